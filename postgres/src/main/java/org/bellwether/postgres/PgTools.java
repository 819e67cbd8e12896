package org.bellwether.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.postgres.ProcessRunner.Command;
import org.bellwether.postgres.ProcessRunner.Result;

/**
 * PostgreSQL's programs (pg_ctl, pg_controldata) and directory creation as the user they run as. The postmaster pg_ctl starts is a daemon in its own session (pg_ctl calls
 * {@code setsid}) with its output in the server log, so it keeps running when the agent dies, even by SIGKILL of the
 * agent's whole process group.
 */
final class PgTools {
    private static final Duration CONTROLDATA_TIMEOUT = Duration.ofSeconds(5);
    /** pg_ctl gets its own {@code -t}; the runner allows a little more so pg_ctl can report the timeout itself. */
    private static final Duration GRACE = Duration.ofSeconds(15);

    private static final int LOG_TAIL_LINES = 20;

    private final Path binDir;
    private final ProcessRunner runner;
    /** The programs' version as {@code server_version_num} counts it, once asked; 0 until then. */
    private volatile int versionNum;

    PgTools(Path binDir, ProcessRunner runner) {
        this.binDir = binDir;
        this.runner = runner;
    }

    String program(String name) {
        return binDir.resolve(name).toString();
    }

    Path binDir() {
        return binDir;
    }

    ProcessRunner runner() {
        return runner;
    }

    /**
     * Creates the data directory, private, through the command wrapper, so that it belongs to the user PostgreSQL
     * runs as even when the agent does not (tests run as root and PostgreSQL as postgres).
     */
    void createDirectory(DataDirectory dir) throws PostgresException {
        runner.run(Command.of(
                        "create " + dir.path(),
                        GRACE,
                        List.of("mkdir", "-p", "-m", "0700", dir.path().toString())))
                .orThrow();
    }

    /** Reads pg_control; works whether or not PostgreSQL runs. */
    ControlData controlData(DataDirectory dir) throws PostgresException {
        Result result = runner.run(Command.of(
                                "pg_controldata",
                                CONTROLDATA_TIMEOUT,
                                List.of(
                                        program("pg_controldata"),
                                        "-D",
                                        dir.path().toString()))
                        .withEnv("LC_ALL", "C")
                        .quietly())
                .orThrow();
        try {
            return ControlData.parse(result.output());
        } catch (IllegalArgumentException e) {
            throw new PostgresException("pg_controldata -D " + dir.path() + ": " + e.getMessage(), e);
        }
    }

    /** Starts the postmaster and waits until it accepts connections (as a primary, or as a hot standby). */
    void start(DataDirectory dir, Duration timeout) throws PostgresException {
        List<String> args = List.of(
                program("pg_ctl"),
                "start",
                "-w",
                "-t",
                Long.toString(Math.max(1, timeout.toSeconds())),
                "-D",
                dir.path().toString(),
                "-l",
                dir.serverLog().toString());
        Result result = runner.run(Command.of("pg_ctl start", timeout.plus(GRACE), args));
        if (!result.succeeded()) {
            throw new PostgresException("pg_ctl start failed with exit code " + result.exitCode() + ": "
                    + result.output().trim() + "\nserver log " + dir.serverLog() + " ends with:\n"
                    + logTail(dir.serverLog()));
        }
    }

    /** Stops the postmaster and waits for it to exit; a server that is not running counts as stopped. */
    void stop(DataDirectory dir, StopMode mode, Duration timeout) throws PostgresException {
        if (dir.livePostmaster().isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(List.of(program("pg_ctl"), "stop", "-w", "-m"));
        args.add(mode.name().toLowerCase(Locale.ROOT));
        args.addAll(List.of(
                "-t",
                Long.toString(Math.max(1, timeout.toSeconds())),
                "-D",
                dir.path().toString()));
        Result result = runner.run(Command.of("pg_ctl stop -m " + args.get(4), timeout.plus(GRACE), args));
        if (!result.succeeded() && dir.livePostmaster().isPresent()) {
            result.orThrow();
        }
    }

    /** Ends recovery and waits until the server runs as a primary. */
    void promote(DataDirectory dir, Duration timeout) throws PostgresException {
        List<String> args = List.of(
                program("pg_ctl"),
                "promote",
                "-w",
                "-t",
                Long.toString(Math.max(1, timeout.toSeconds())),
                "-D",
                dir.path().toString());
        runner.run(Command.of("pg_ctl promote", timeout.plus(GRACE), args)).orThrow();
    }

    /** Makes the postmaster re-read its configuration files (SIGHUP). */
    void reload(DataDirectory dir) throws PostgresException {
        List<String> args =
                List.of(program("pg_ctl"), "reload", "-D", dir.path().toString());
        runner.run(Command.of("pg_ctl reload", GRACE, args)).orThrow();
    }

    /**
     * The programs' major version as {@code server_version_num} counts it (15 becomes 150000), from
     * {@code pg_ctl --version}: what a connection string for them may hold when no data directory tells yet.
     */
    int versionNum() throws PostgresException {
        if (versionNum == 0) {
            Result result = runner.run(
                            Command.of("pg_ctl --version", CONTROLDATA_TIMEOUT, List.of(program("pg_ctl"), "--version"))
                                    .quietly())
                    .orThrow();
            versionNum = parseVersionNum(result.output());
        }
        return versionNum;
    }

    /** {@code pg_ctl (PostgreSQL) 15.14 (Debian ...)} gives 150000, {@code 9.6.24} gives 90600; 0 when unreadable. */
    static int parseVersionNum(String versionOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?")
                .matcher(versionOutput);
        if (!m.find()) {
            return 0;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return major >= 10 ? major * 10000 : major * 10000 + minor * 100;
    }

    static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }
}
