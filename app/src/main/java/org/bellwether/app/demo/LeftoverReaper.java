package org.bellwether.app.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small shell process that cleans up after the demo if its JVM dies without doing so (SIGKILL, a crash): shutdown
 * hooks do not run then, and agents and PostgreSQL would keep running. The demo tells it, over a pipe, which
 * processes it started and which directories it made; when the pipe closes without {@link #finish()}, the JVM is
 * gone, and the reaper stops those processes by PID and removes the directories. See {@code leftover-reaper.sh}.
 */
final class LeftoverReaper implements AutoCloseable {
    private static final String SCRIPT = "leftover-reaper.sh";

    private final Process process;
    private final OutputStream events;

    private LeftoverReaper(Process process) {
        this.process = process;
        this.events = process.getOutputStream();
    }

    static LeftoverReaper start() {
        try (InputStream in = LeftoverReaper.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the Bellwether jar");
            }
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(List.of("bash", "-c", script, "bellwether-demo-reaper"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new LeftoverReaper(process);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the demo's clean-up process (bash)", e);
        }
    }

    void started(long pid) {
        tell("pid " + pid);
    }

    void exited(long pid) {
        tell("gone " + pid);
    }

    void made(Path directory) {
        tell("dir " + directory);
    }

    /** The demo stopped everything itself: the reaper exits without touching anything. */
    void finish() {
        tell("done");
        close();
    }

    /** Closes the pipe (without {@link #finish()} this makes the reaper clean up) and waits for the reaper to exit. */
    @Override
    public void close() {
        try {
            events.close();
        } catch (IOException e) {
            // The reaper is gone already; nothing to wait for.
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void tell(String line) {
        try {
            events.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            events.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("telling the demo's clean-up process '" + line + "'", e);
        }
    }
}
