package org.bellwether.postgres.fence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A guard process beside the agent that stops PostgreSQL from accepting writes once the leader's lock deadline has
 * passed without being renewed. It is what a kernel watchdog is to Patroni, without the reboot: an agent that is
 * frozen (SIGSTOP, a long pause) or killed while its PostgreSQL runs as primary can no longer leave a writable primary
 * behind after another node may have been promoted.
 *
 * <p>Protocol on standard input, one command per line: {@code ARM <deadline>} where the deadline is in
 * {@link System#nanoTime()} units (CLOCK_MONOTONIC, shared by every JVM on the machine), {@code DISARM}, and
 * {@code EXIT}. End of input means the agent is gone: an armed guard still fences at the deadline, then exits.
 *
 * <p>Fencing is PostgreSQL's immediate shutdown (SIGQUIT to the postmaster, which takes every backend down at once),
 * then SIGKILL for whatever is left after a short grace. This class must stay free of dependencies: it runs in its own
 * small JVM.
 */
public final class FenceGuard {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Path postmasterPid;
    private volatile long deadline;
    private volatile boolean armed;
    private volatile boolean agentGone;
    private volatile boolean exit;

    FenceGuard(Path postmasterPid) {
        this.postmasterPid = postmasterPid;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: FenceGuard <data_dir>/postmaster.pid");
            System.exit(2);
        }
        FenceGuard guard = new FenceGuard(Path.of(args[0]));
        Thread reader = new Thread(guard::readCommands, "fence-commands");
        reader.setDaemon(true);
        reader.start();
        guard.watch();
    }

    private void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                apply(line.trim());
            }
        } catch (IOException e) {
            log("reading commands failed: " + e.getMessage());
        }
        agentGone = true;
    }

    void apply(String line) {
        if (line.startsWith("ARM ")) {
            deadline = Long.parseLong(line.substring(4).trim());
            armed = true;
        } else if (line.equals("DISARM")) {
            armed = false;
        } else if (line.equals("EXIT")) {
            armed = false;
            exit = true;
        }
    }

    private void watch() throws InterruptedException {
        while (!exit) {
            if (armed && System.nanoTime() - deadline >= 0) {
                armed = false;
                fence();
            }
            if (agentGone && !armed) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
        }
    }

    /** Immediate shutdown of the postmaster found in postmaster.pid, then SIGKILL of anything left. */
    void fence() {
        Optional<ProcessHandle> postmaster = readPostmaster();
        if (postmaster.isEmpty() || !postmaster.get().isAlive()) {
            log("lock deadline passed; PostgreSQL is not running");
            return;
        }
        ProcessHandle pm = postmaster.get();
        log("lock deadline passed without renewal: stopping PostgreSQL (pid " + pm.pid() + ") immediately");
        List<ProcessHandle> children = pm.children().toList();
        signal(pm.pid(), "QUIT");
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (pm.isAlive() && System.nanoTime() - giveUp < 0) {
            sleepQuietly();
        }
        if (pm.isAlive()) {
            log("postmaster still alive after SIGQUIT, sending SIGKILL");
            signal(pm.pid(), "KILL");
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(c -> signal(c.pid(), "KILL"));
    }

    private Optional<ProcessHandle> readPostmaster() {
        try {
            List<String> lines = Files.readAllLines(postmasterPid, StandardCharsets.US_ASCII);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            log("kill -" + signal + " " + pid + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly() {
        try {
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String message) {
        System.err.println(Instant.now() + " fence-guard: " + message);
    }
}
