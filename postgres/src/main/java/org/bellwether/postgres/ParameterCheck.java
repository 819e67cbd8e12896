package org.bellwether.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bellwether.postgres.ProcessRunner.Command;
import org.bellwether.postgres.ProcessRunner.Result;

/**
 * Asks PostgreSQL's own server program whether it would start with a set of parameters, so that a value no node could
 * start with ({@code work_mem: garbage}, an unknown name, a value outside its range) is refused where it is written
 * rather than found at the next restart of every node.
 *
 * <p>The trial is {@code postgres -D <empty dir> -C port -c name=value ...}: the server parses every {@code -c} option
 * with the same code that reads {@code postgresql.conf} (types, units, ranges, enum values, unknown names) and exits
 * after printing one setting, without touching any data directory. It stops at the first bad option, so the check runs
 * again without it to find the next. What it cannot see is what only a starting server finds
 * ({@code shared_preload_libraries} naming a library that is not installed, too little shared memory).
 */
public final class ParameterCheck {
    /** One parameter PostgreSQL would refuse, with PostgreSQL's words (or ours, for what cannot be written at all). */
    public record Problem(String name, String message) {
        @Override
        public String toString() {
            return name + ": " + message;
        }
    }

    /** A GUC name as postgresql.conf accepts it: an identifier, or a dotted custom name ({@code pg_stat_statements.max}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)*");
    /** Server options that point the trial server somewhere else instead of being checked. */
    private static final Set<String> NOT_TRIED = Set.of("data_directory", "config_file", "hba_file", "ident_file");

    private static final Pattern NAMED = Pattern.compile("parameter \"([^\"]+)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Each bad parameter costs one run of the server program (~50 ms); a body with more stops at this many. */
    private static final int MAX_RUNS = 10;

    private final Path postgres;
    private final ProcessRunner runner;

    /** @param binDir where PostgreSQL's programs are; {@code runner} runs them as the user the server runs as */
    public ParameterCheck(Path binDir, ProcessRunner runner) {
        this.postgres = binDir.resolve("postgres");
        this.runner = runner;
    }

    /** {@code postgresql.parameters} of a dynamic configuration (the {@code config} key, a patch, bootstrap.dcs). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parametersOf(Map<String, ?> config) {
        return config.get("postgresql") instanceof Map<?, ?> pg && pg.get("parameters") instanceof Map<?, ?> p
                ? (Map<String, Object>) p
                : Map.of();
    }

    /**
     * What cannot be written to postgresql.conf whatever PostgreSQL thinks of it: a name that is not a parameter name, a
     * value that is a mapping or a list, a value with a line break or a NUL. Needs no PostgreSQL.
     */
    public static List<Problem> inForm(Map<String, ?> parameters) {
        List<Problem> problems = new ArrayList<>();
        parameters.forEach((name, value) -> formProblem(name, value).ifPresent(problems::add));
        return problems;
    }

    private static Optional<Problem> formProblem(String name, Object value) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.of(new Problem(
                    String.valueOf(name), "not a parameter name (letters, digits, '_', '$', and '.' between parts)"));
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return Optional.of(new Problem(
                    name, "expected a single value, got a " + (value instanceof Map<?, ?> ? "mapping" : "list")));
        }
        if (value != null && ServerParameters.text(value).chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            return Optional.of(new Problem(name, "a value with a line break cannot be written to postgresql.conf"));
        }
        return Optional.empty();
    }

    /**
     * Every problem PostgreSQL or the file format would have with {@code parameters}; {@code null} values (a removal)
     * are not checked.
     *
     * @throws PostgresException when the server program could not be run at all (the parameters are then unchecked)
     */
    public List<Problem> check(Map<String, ?> parameters) throws PostgresException {
        List<Problem> problems = new ArrayList<>(inForm(parameters));
        Map<String, String> trial = new LinkedHashMap<>();
        parameters.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.nullsFirst(Comparator.naturalOrder())))
                .filter(e -> e.getValue() != null
                        && formProblem(e.getKey(), e.getValue()).isEmpty())
                .filter(e -> !NOT_TRIED.contains(e.getKey().toLowerCase(Locale.ROOT)))
                .forEach(e -> trial.put(e.getKey(), ServerParameters.text(e.getValue())));
        if (trial.isEmpty()) {
            return problems;
        }
        Path dir = emptyDataDirectory();
        try {
            for (int run = 0; run < MAX_RUNS && !trial.isEmpty(); run++) {
                Optional<Problem> refused = tryOnce(dir, trial);
                if (refused.isEmpty()) {
                    break;
                }
                problems.add(refused.get());
                if (trial.remove(refused.get().name()) == null) {
                    break; // PostgreSQL named no parameter we gave it: nothing left to narrow down
                }
            }
        } finally {
            removeQuietly(dir);
        }
        return problems;
    }

    private Optional<Problem> tryOnce(Path dir, Map<String, String> trial) throws PostgresException {
        List<String> args = new ArrayList<>(List.of(postgres.toString(), "-D", dir.toString(), "-C", "port"));
        trial.forEach((name, value) -> {
            args.add("-c");
            args.add(name + "=" + value);
        });
        Result result = runner.run(
                Command.of("postgres -C (parameter check)", TIMEOUT, args).asCheck());
        if (result.succeeded()) {
            return Optional.empty();
        }
        String message = serverMessage(result.output());
        if (message.contains("root\" execution") || message.contains("root execution")) {
            throw new PostgresException("cannot check PostgreSQL parameters as root: the server program refuses root");
        }
        return Optional.of(new Problem(namedIn(message, trial).orElse(""), message));
    }

    /** The FATAL line (without its prefix), with a HINT appended when PostgreSQL gave one. */
    static String serverMessage(String output) {
        String fatal = null;
        String hint = null;
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int at = line.indexOf("FATAL:  ");
            if (at >= 0 && fatal == null) {
                StringBuilder text = new StringBuilder(line.substring(at + 8).strip());
                // A value with a tab or line break continues on the next, indented line.
                while (i + 1 < lines.length && lines[i + 1].startsWith("\t")) {
                    text.append(' ').append(lines[++i].strip());
                }
                fatal = text.toString();
            }
            int h = line.indexOf("HINT:  ");
            if (h >= 0 && hint == null) {
                hint = line.substring(h + 7).strip();
            }
        }
        if (fatal == null) {
            String first = output.strip().lines().findFirst().orElse("no output");
            return "PostgreSQL refused the parameters: " + first;
        }
        return hint == null ? fatal : fatal + " (" + hint + ")";
    }

    private static Optional<String> namedIn(String message, Map<String, String> trial) {
        Matcher m = NAMED.matcher(message);
        if (!m.find()) {
            return Optional.empty();
        }
        String named = m.group(1);
        return trial.keySet().stream().filter(k -> k.equalsIgnoreCase(named)).findFirst();
    }

    /**
     * A directory with empty configuration files: all the trial server reads. Readable by the user the runner runs the
     * server as, which is not this JVM's user in tests run as root.
     */
    private static Path emptyDataDirectory() throws PostgresException {
        try {
            Path dir = Files.createTempDirectory(
                    "bellwether-guc-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            for (String file : List.of("postgresql.conf", "postgresql.auto.conf")) {
                Files.createFile(
                        dir.resolve(file),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            }
            return dir;
        } catch (IOException e) {
            throw new PostgresException("cannot create a directory to check PostgreSQL parameters: " + e.getMessage());
        }
    }

    private static void removeQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a leftover empty directory in the temporary directory is harmless
        }
    }
}
