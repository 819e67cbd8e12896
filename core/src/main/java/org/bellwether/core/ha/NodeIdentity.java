package org.bellwether.core.ha;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.Tags;

/**
 * What a node knows of itself from its local configuration: its name, tags, and the dynamic configuration it writes
 * to the {@code config} key if it bootstraps the cluster ({@code bootstrap.dcs}).
 */
public record NodeIdentity(String name, Tags tags, SortedMap<String, Object> bootstrapDcs) {
    public NodeIdentity {
        bootstrapDcs = Collections.unmodifiableSortedMap(new TreeMap<>(bootstrapDcs));
    }
}
