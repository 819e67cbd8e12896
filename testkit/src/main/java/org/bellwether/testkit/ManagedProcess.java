package org.bellwether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started and must stop, by PID, also when the test fails: {@link #close()} sends SIGTERM, waits,
 * then SIGKILL. Output goes to a log file beside the process's working files so a failure can be read afterwards.
 */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ManagedProcess start(String name, List<String> command, Path log, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return new ManagedProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name + ": " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name (TERM, KILL, STOP, CONT) to this process's PID. */
    public void signal(String signal) {
        Signals.send(pid(), signal);
    }

    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** SIGCONT (in case a test froze it), SIGTERM, up to 20 s, then SIGKILL. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        Signals.send(pid(), "CONT");
        Signals.send(pid(), "TERM");
        if (!waitFor(Duration.ofSeconds(20))) {
            Signals.send(pid(), "KILL");
            waitFor(Duration.ofSeconds(10));
        }
    }
}
