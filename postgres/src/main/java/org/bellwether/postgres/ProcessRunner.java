package org.bellwether.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place in Bellwether that spawns processes. Every command goes through the command wrapper (identity in
 * production; tests pass one that runs PostgreSQL tools as the {@code postgres} user), has a time limit, and has its
 * output captured so failures can say what the tool said.
 *
 * <p>Environment variables are passed as an {@code env K=V} prefix inside the wrapped command rather than through the
 * child's environment, because a wrapper may reset the environment ({@code setpriv --reset-env}). They are therefore
 * visible in {@code ps} and must never carry a secret: passwords travel in a pgpass file.
 */
public final class ProcessRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    private static final int MAX_OUTPUT_CHARS = 64 * 1024;
    private static final Duration READER_GRACE = Duration.ofSeconds(2);

    private final UnaryOperator<List<String>> wrapper;

    public ProcessRunner(UnaryOperator<List<String>> wrapper) {
        this.wrapper = wrapper;
    }

    /** Runs processes as they are: what production uses. */
    public static ProcessRunner direct() {
        return new ProcessRunner(UnaryOperator.identity());
    }

    /**
     * What to run.
     *
     * @param description what the command does, for messages ("initdb", "pg_ctl start")
     * @param quiet logs at DEBUG instead of INFO (commands run every cycle, such as pg_controldata)
     * @param failureIsAnswer a non-zero exit is the answer the caller asked for (a check), logged at DEBUG too
     */
    public record Command(
            String description,
            List<String> args,
            SortedMap<String, String> env,
            Duration timeout,
            boolean quiet,
            boolean failureIsAnswer) {
        public Command {
            args = List.copyOf(args);
            env = new TreeMap<>(env);
            if (env.keySet().stream()
                    .anyMatch(k -> k.toUpperCase(java.util.Locale.ROOT).contains("PASSWORD"))) {
                throw new IllegalArgumentException("passwords must not be passed in the environment: " + env.keySet());
            }
        }

        public static Command of(String description, Duration timeout, List<String> args) {
            return new Command(description, args, new TreeMap<>(), timeout, false, false);
        }

        public Command withEnv(String name, String value) {
            SortedMap<String, String> more = new TreeMap<>(env);
            more.put(name, value);
            return new Command(description, args, more, timeout, quiet, failureIsAnswer);
        }

        public Command quietly() {
            return new Command(description, args, env, timeout, true, failureIsAnswer);
        }

        /** A check whose refusal is an expected answer: quiet, and a non-zero exit is not a warning. */
        public Command asCheck() {
            return new Command(description, args, env, timeout, true, true);
        }

        /** The argument vector before wrapping: {@code env K=V ... args}. */
        List<String> argv() {
            if (env.isEmpty()) {
                return args;
            }
            List<String> argv = new ArrayList<>();
            argv.add("env");
            env.forEach((k, v) -> argv.add(k + "=" + v));
            argv.addAll(args);
            return argv;
        }
    }

    /** How a command ended: its exit code and its combined stdout and stderr (the tail, if it was long). */
    public record Result(String description, int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** Throws unless the command exited with 0; the message carries the tool's output. */
        public Result orThrow() throws PostgresException {
            if (!succeeded()) {
                throw new PostgresException(description + " failed with exit code " + exitCode + ": " + output.trim());
            }
            return this;
        }
    }

    /**
     * Runs a command to completion. Throws only when it cannot be started or does not finish in time (it is then
     * killed, with its descendants); a non-zero exit is a {@link Result}.
     */
    public Result run(Command command) throws PostgresException {
        List<String> argv = wrapper.apply(command.argv());
        log(command, "{}: running {}", command.description(), argv);
        long started = System.nanoTime();
        Process process;
        try {
            process = ChildEnvironment.of(new ProcessBuilder(argv))
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new PostgresException(
                    command.description() + ": cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        OutputCollector output = new OutputCollector(process.getInputStream(), command.description());
        output.start();
        boolean finished = waitFor(process, command.timeout());
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(5));
            output.awaitEnd(READER_GRACE);
            LOG.warn(
                    "{}: killed after {} s; output: {}",
                    command.description(),
                    command.timeout().toSeconds(),
                    output);
            throw new PostgresException(command.description() + " did not finish within "
                    + command.timeout().toSeconds() + " s and was killed; output: "
                    + output.text().trim());
        }
        // A daemon the command started may keep the pipe open; do not wait for it.
        output.awaitEnd(READER_GRACE);
        Result result = new Result(command.description(), process.exitValue(), output.text());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (result.succeeded()) {
            log(command, "{}: exit 0 after {} ms", command.description(), millis);
            LOG.debug("{}: output: {}", command.description(), output);
        } else if (command.failureIsAnswer()) {
            LOG.debug("{}: exit {} after {} ms: {}", command.description(), result.exitCode(), millis, output);
        } else {
            LOG.warn("{}: exit {} after {} ms: {}", command.description(), result.exitCode(), millis, output);
        }
        return result;
    }

    private static void log(Command command, String format, Object... args) {
        if (command.quiet()) {
            LOG.debug(format, args);
        } else {
            LOG.info(format, args);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Drains the child's output on its own thread so a chatty child never blocks on a full pipe. */
    private static final class OutputCollector extends Thread {
        private final InputStream in;
        private final String description;
        private final StringBuilder text = new StringBuilder();

        OutputCollector(InputStream in, String description) {
            super("output of " + description);
            setDaemon(true);
            this.in = in;
            this.description = description;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                LOG.debug("{}: reading output stopped: {}", description, e.getMessage());
            }
        }

        private synchronized void append(String chunk) {
            text.append(chunk);
            if (text.length() > MAX_OUTPUT_CHARS) {
                text.delete(0, text.length() - MAX_OUTPUT_CHARS);
            }
        }

        synchronized String text() {
            return text.toString();
        }

        void awaitEnd(Duration grace) {
            try {
                join(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return text().trim();
        }
    }
}
