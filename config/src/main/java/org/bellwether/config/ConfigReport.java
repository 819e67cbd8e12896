package org.bellwether.config;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code bellwether validate CONFIG} says about a configuration: {@code <file>: OK} and any warnings, or the
 * problems that make it unusable. The verdict is data ({@link #exitCode()}, the lines) so the command that prints it
 * stays a thin wrapper.
 *
 * @param config the configuration, when it is usable
 */
public record ConfigReport(String source, Optional<NodeConfig> config, List<String> warnings, List<String> errors) {
    /** The configuration can be used (warnings allowed). */
    public static final int EXIT_OK = 0;
    /** The configuration cannot be used. */
    public static final int EXIT_INVALID = 1;

    public ConfigReport {
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
    }

    public static ConfigReport check(Path file, Map<String, String> environment) {
        try {
            LoadedConfig loaded = ConfigLoader.load(file, environment);
            return new ConfigReport(file.toString(), Optional.of(loaded.config()), loaded.warnings(), List.of());
        } catch (ConfigException e) {
            List<String> errors =
                    e.problems().stream().map(ConfigException.Problem::toString).toList();
            return new ConfigReport(file.toString(), Optional.empty(), e.warnings(), errors);
        }
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public int exitCode() {
        return ok() ? EXIT_OK : EXIT_INVALID;
    }

    /** The verdict on {@code out}; warnings and errors, one per line, on {@code err}. */
    public void print(PrintStream out, PrintStream err) {
        warnings.forEach(w -> err.println("warning: " + w));
        errors.forEach(e -> err.println("error: " + e));
        if (ok()) {
            out.println(source + ": OK" + (warnings.isEmpty() ? "" : " (" + count(warnings.size(), "warning") + ")"));
        } else {
            out.println(source + ": invalid (" + count(errors.size(), "error") + ")");
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The whole {@code validate} command: check, print, and return the exit code. */
    public static int validate(Path file, Map<String, String> environment, PrintStream out, PrintStream err) {
        ConfigReport report = check(file, environment);
        report.print(out, err);
        return report.exitCode();
    }
}
