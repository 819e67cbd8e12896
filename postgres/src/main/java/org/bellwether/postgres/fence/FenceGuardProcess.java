package org.bellwether.postgres.fence;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bellwether.postgres.PostgresException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the {@link FenceGuard}: starts it as its own small JVM in its own session (so neither a
 * signal to the agent nor the agent's death reaches it) and feeds it the lock deadline every cycle.
 */
public final class FenceGuardProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FenceGuardProcess.class);

    private final Process process;
    private final OutputStream commands;
    private String last = "";
    private boolean closed;

    private FenceGuardProcess(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
    }

    /**
     * Starts a guard for the PostgreSQL of {@code dataDir}, with this JVM's java binary and class path. Its output
     * goes to {@code log}.
     */
    public static FenceGuardProcess start(Path dataDir, Path log) throws PostgresException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                "setsid",
                java,
                "-Xmx16m",
                "-Xss256k",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                FenceGuard.class.getName(),
                dataDir.resolve("postmaster.pid").toString()));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new FenceGuardProcess(process);
        } catch (IOException e) {
            throw new PostgresException("starting the fencing guard: " + e.getMessage(), e);
        }
    }

    /** Stop PostgreSQL if no newer deadline arrives by {@code nanoTimeDeadline} ({@link System#nanoTime()}). */
    public void arm(long nanoTimeDeadline) {
        send("ARM " + nanoTimeDeadline);
    }

    public void disarm() {
        send("DISARM");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    private synchronized void send(String command) {
        if (closed || command.equals(last)) {
            return;
        }
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            last = command;
        } catch (IOException e) {
            LOG.error("fencing guard is not listening ({}): {}", command, e.getMessage());
        }
    }

    /** Closes the guard's input without a word: what the agent's death looks like to the guard. */
    synchronized void abandon() throws IOException {
        closed = true;
        commands.close();
    }

    /** Disarms and lets the guard exit (a clean agent shutdown). */
    @Override
    public synchronized void close() {
        send("EXIT");
        closed = true;
        try {
            commands.close();
        } catch (IOException e) {
            LOG.debug("closing the fencing guard's input: {}", e.getMessage());
        }
    }
}
