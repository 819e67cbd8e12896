package org.bellwether.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwether.testkit.ManagedProcess;
import org.bellwether.testkit.PostgresBinaries;

/**
 * PostgreSQL's pgbench, from the same bin directory as the server, against one port on 127.0.0.1. Each invocation is
 * a {@link ManagedProcess}, so a run that hangs (a commit waiting for a standby that never answers) is stopped by PID.
 */
final class Pgbench {
    /** One run's figures, as pgbench prints them. */
    record Result(double latencyMillis, double tps) {}

    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    private final int port;
    private final Path logDir;
    private int invocations;

    Pgbench(int port, Path logDir) {
        this.port = port;
        this.logDir = logDir;
    }

    /** {@code pgbench -i -s 1}: the tables the default tpcb-like script works on. */
    void initialize() {
        invoke(List.of("-i", "-s", "1"), Duration.ofSeconds(120));
    }

    /** {@code pgbench -n -c clients -T seconds}, the default tpcb-like script, without vacuuming first. */
    Result run(int clients, int seconds) {
        String out = invoke(
                List.of("-n", "-c", String.valueOf(clients), "-T", String.valueOf(seconds)),
                Duration.ofSeconds(seconds + 60L));
        return new Result(figure(LATENCY, out), figure(TPS, out));
    }

    private String invoke(List<String> arguments, Duration bound) {
        Path log = logDir.resolve("pgbench-" + (++invocations) + ".log");
        List<String> command = new java.util.ArrayList<>(List.of(
                PostgresBinaries.binDir().resolve("pgbench").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-U",
                "postgres"));
        command.addAll(arguments);
        command.add("postgres");
        try (ManagedProcess pgbench =
                ManagedProcess.start("pgbench", command, log, Map.of("PGPASSWORD", TestNode.SUPERUSER_PASSWORD))) {
            if (!pgbench.waitFor(bound)) {
                throw new AssertionError("pgbench " + arguments + " still running after " + bound + ": " + read(log));
            }
            String out = read(log);
            if (pgbench.exitValue() != 0) {
                throw new AssertionError("pgbench " + arguments + " exited " + pgbench.exitValue() + ": " + out);
            }
            return out;
        }
    }

    private static double figure(Pattern pattern, String out) {
        Matcher m = pattern.matcher(out);
        return Optional.of(m)
                .filter(Matcher::find)
                .map(x -> Double.parseDouble(x.group(1)))
                .orElseThrow(() -> new AssertionError("no '" + pattern + "' in pgbench's output: " + out));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
