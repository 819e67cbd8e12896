package org.bellwether.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used. Each problem names where the value came from (a file, or the environment
 * variable that set it), the key path and what is wrong, so the message alone is enough to fix the file; the
 * message of the exception is all problems, one per line.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of problem, for callers that react differently (exit codes, tests), not for display. */
    public enum Kind {
        UNREADABLE,
        SYNTAX,
        MISSING,
        WRONG_TYPE,
        INVALID_VALUE,
        UNSUPPORTED,
        RULE
    }

    /**
     * One problem.
     *
     * @param source the file or environment variable the offending value came from
     * @param path the dotted key path, empty when the problem concerns the whole source
     */
    public record Problem(Kind kind, String source, String path, String message) {
        @Override
        public String toString() {
            return path.isEmpty() ? source + ": " + message : source + ": " + path + ": " + message;
        }
    }

    private final List<Problem> problems;
    private final List<String> warnings;

    public ConfigException(Problem problem) {
        this(List.of(problem), List.of());
    }

    public ConfigException(List<Problem> problems, List<String> warnings) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Warnings found before the configuration was refused; they may explain the errors (a misspelt key). */
    public List<String> warnings() {
        return warnings;
    }
}
