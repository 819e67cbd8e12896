package org.bellwether.core;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code config} key: the cluster-wide dynamic configuration as the JSON object it is on the wire (values are
 * {@code String}, {@code Boolean}, {@code Number}, {@code List} and {@code Map}), and its DCS version for
 * compare-and-set.
 */
public record ClusterConfig(SortedMap<String, Object> raw, long version) {
    public ClusterConfig {
        raw = Collections.unmodifiableSortedMap(new TreeMap<>(raw));
    }

    /** The settings this configuration gives, Patroni's defaults standing in for values that are refused. */
    public HaSettings settings() {
        return HaSettings.from(raw);
    }

    /** The settings this configuration gives to a node whose last good settings are {@code previous}. */
    public HaSettings.Reading settings(HaSettings previous) {
        return HaSettings.read(raw, Optional.of(previous));
    }
}
