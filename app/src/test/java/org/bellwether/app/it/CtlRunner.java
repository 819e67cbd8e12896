package org.bellwether.app.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bellwether.cli.CtlCommand;
import org.bellwether.cli.Terminal;
import org.bellwether.testkit.ManagedProcess;

/**
 * Runs {@code bellwether ctl} in this JVM (fast, with standard input and environment given), or an executable
 * ({@code bin/bellwetherctl}, Debian's {@code patronictl}) as a process that is stopped by PID if it overstays.
 */
final class CtlRunner {
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final Path dir;
    final Map<String, String> environment = new HashMap<>();
    private int runs;

    CtlRunner(Path dir) {
        this.dir = dir;
        environment.put("HOME", dir.toString());
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(
                new BufferedReader(new StringReader(stdin)),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                environment,
                false);
        int exit = CtlCommand.commandLine("it", terminal).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs an executable without input; its output (stdout and stderr together) is {@code out}. */
    Result exec(Duration timeout, List<String> command) {
        Path log = dir.resolve("exec-" + (++runs) + ".log");
        try (ManagedProcess process =
                ManagedProcess.start(command.get(0), new ArrayList<>(command), log, environment)) {
            if (!process.waitFor(timeout)) {
                throw new AssertionError("timed out after " + timeout + ": " + command + "\n" + read(log));
            }
            return new Result(process.exitValue(), read(log), "");
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
