package org.bellwether.agent;

import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.HaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the DCS {@code config} key into the agent's settings. The key is read with the core's validator only when it
 * changed: a refused value keeps this node's last good one (never an exception out of the cycle), and each finding is
 * logged at WARN once per change of the key, naming the key and what was kept, rather than every cycle.
 */
final class ConfigKeyReader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigKeyReader.class);

    private final Consumer<String> warnings;
    private final UnaryOperator<SortedMap<String, Object>> parameterGate;
    private Optional<SortedMap<String, Object>> lastRead = Optional.empty();

    /** @param parameterGate what of {@code postgresql.parameters} may reach PostgreSQL ({@link ParameterGate#admit}) */
    ConfigKeyReader(UnaryOperator<SortedMap<String, Object>> parameterGate) {
        this(line -> LOG.warn("{}", line), parameterGate);
    }

    /** Findings go to {@code warnings}, one line each ({@code config key: loop_wait: expected ...; keeping 2}). */
    ConfigKeyReader(Consumer<String> warnings, UnaryOperator<SortedMap<String, Object>> parameterGate) {
        this.warnings = warnings;
        this.parameterGate = parameterGate;
    }

    /** The settings {@code config} gives a node whose settings are {@code current}; those when the key is unchanged. */
    HaSettings settingsFor(ClusterConfig config, HaSettings current) {
        if (lastRead.isPresent() && lastRead.get().equals(config.raw())) {
            return current;
        }
        lastRead = Optional.of(config.raw());
        try {
            HaSettings.Reading reading = config.settings(current);
            reading.findings().forEach(f -> warnings.accept("config key: " + f.text()));
            HaSettings read = reading.settings();
            return read.withPostgresqlParameters(parameterGate.apply(read.postgresqlParameters()));
        } catch (RuntimeException e) {
            // The validator is built never to throw; should it, the node carries on with what it has.
            warnings.accept("config key: cannot be read (" + e + "); keeping the current settings");
            return current;
        }
    }
}
