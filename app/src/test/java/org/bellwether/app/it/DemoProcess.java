package org.bellwether.app.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwether.testkit.Signals;

/**
 * {@code bin/bellwether demo} run the way the README runs it, with its commands written to its standard input and
 * every output line recorded with the moment it appeared. {@link #close()} stops it by PID if it still runs.
 */
final class DemoProcess implements AutoCloseable {
    /** One line of the demo's output, and when this test read it ({@link System#nanoTime()}). */
    record Line(String text, long nanos) {}

    private final Process process;
    private final OutputStream commands;
    private final List<Line> lines = new ArrayList<>();
    private volatile boolean readerRunning = true;
    final long startedNanos;

    private DemoProcess(Process process, long startedNanos) {
        this.process = process;
        this.commands = process.getOutputStream();
        this.startedNanos = startedNanos;
        Thread reader = new Thread(this::record, "demo-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Runs {@code bin/bellwether demo <args>} in {@code home}, the repository with a build. */
    static DemoProcess start(Path home, String... args) {
        List<String> command = new ArrayList<>(List.of("bin/bellwether", "demo"));
        command.addAll(List.of(args));
        try {
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .start();
            return new DemoProcess(process, started);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command + " in " + home, e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Types a command and Enter, as a user at the terminal would. */
    void type(String command) {
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("typing '" + command + "' into the demo", e);
        }
    }

    /** The first line from {@code fromLine} on that matches, waiting up to {@code timeout} for it. */
    Found await(Pattern pattern, int fromLine, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = fromLine;
        while (true) {
            synchronized (lines) {
                for (; next < lines.size(); next++) {
                    Matcher m = pattern.matcher(lines.get(next).text());
                    if (m.find()) {
                        return new Found(m, next, lines.get(next).nanos());
                    }
                }
                if (!process.isAlive() && !readerRunning) {
                    throw new AssertionError("the demo ended before printing /" + pattern + "/:\n" + output());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line matching /" + pattern + "/ within " + timeout + ":\n" + output());
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 500_000_000L))));
            }
        }
    }

    /** A matching line: its groups, its index and when it appeared. */
    record Found(Matcher match, int index, long nanos) {
        String group(int i) {
            return match.group(i);
        }
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    String output() {
        synchronized (lines) {
            StringBuilder all = new StringBuilder();
            lines.forEach(l -> all.append(l.text()).append('\n'));
            return all.toString();
        }
    }

    /** SIGTERM (the demo then stops what it started), SIGKILL after 40 s (its reaper then does). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            Signals.send(process.pid(), "TERM");
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                Signals.send(process.pid(), "KILL");
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void record() {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (lines) {
                    lines.add(new Line(line, System.nanoTime()));
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // The demo is gone; what it printed is recorded.
        } finally {
            readerRunning = false;
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }
}
