package org.bellwether.config;

import java.util.List;

/**
 * A usable configuration and what looked wrong in it without being fatal (unknown keys, settings Patroni ignores),
 * each warning naming the source and the key path.
 */
public record LoadedConfig(NodeConfig config, List<String> warnings) {
    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
