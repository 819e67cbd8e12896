package org.bellwether.cli;

import java.util.Optional;
import org.bellwether.cli.format.Output.Format;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options several commands share, with patronictl's names and help. */
final class Options {
    private Options() {}

    /** {@code -f/--format pretty|tsv|json|yaml|yml}. */
    static final class FormatOption {
        @Option(
                names = {"-f", "--format"},
                paramLabel = "FORMAT",
                converter = FormatConverter.class,
                description = "Output format: pretty, tsv, json, yaml (default: pretty).")
        Format format = Format.PRETTY;
    }

    /** {@code -W} and {@code -w/--watch SEC}: repeat the command every 2 or SEC seconds until interrupted. */
    static final class WatchOptions {
        @Option(names = "-W", description = "Auto update the screen every 2 seconds.")
        boolean everyTwoSeconds;

        @Option(
                names = {"-w", "--watch"},
                paramLabel = "SEC",
                description = "Auto update the screen every SEC seconds.")
        Double seconds;

        /** The interval, when watching. */
        Optional<Double> interval() {
            if (seconds != null && seconds > 0) {
                return Optional.of(seconds);
            }
            return everyTwoSeconds ? Optional.of(2.0) : Optional.empty();
        }
    }

    /**
     * {@code --lag-in-mb}: patronictl 3's lag column instead of 4's. Bellwether's own option (patronictl 4 has none),
     * for scripts that read {@code Lag in MB}.
     */
    static final class LagColumnsOption {
        @Option(
                names = "--lag-in-mb",
                description = "Show patronictl 3's single 'Lag in MB' column instead of the receive and replay"
                        + " LSNs and lags.")
        boolean lagInMb;

        LagColumns columns() {
            return lagInMb ? LagColumns.LAG_IN_MB : LagColumns.RECEIVE_AND_REPLAY;
        }
    }

    /** {@code --force}. */
    static final class ForceOption {
        @Option(names = "--force", description = "Do not ask for confirmation at any point.")
        boolean force;
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return Format.parse(value)
                    .filter(f -> f != Format.TOPOLOGY)
                    .orElseThrow(() -> new CommandLine.TypeConversionException(
                            "'" + value + "' is not one of 'pretty', 'tsv', 'json', 'yaml', 'yml'"));
        }
    }
}
