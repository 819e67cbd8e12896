package org.bellwether.agent;

import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Consumer;
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
    private Optional<SortedMap<String, Object>> lastRead = Optional.empty();

    ConfigKeyReader() {
        this(line -> LOG.warn("{}", line));
    }

    /** Findings go to {@code warnings}, one line each ({@code config key: loop_wait: expected ...; keeping 2}). */
    ConfigKeyReader(Consumer<String> warnings) {
        this.warnings = warnings;
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
            return reading.settings();
        } catch (RuntimeException e) {
            // The validator is built never to throw; should it, the node carries on with what it has.
            warnings.accept("config key: cannot be read (" + e + "); keeping the current settings");
            return current;
        }
    }
}
