package org.bellwether.config;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The sections of custom replica creation methods: each name in {@code postgresql.create_replica_methods} other than
 * {@code basebackup} refers to a section of the same name holding its {@code command} and options. Such methods are
 * refused by the settings table ({@link SettingsTable}); the sections are kept as written, for messages.
 */
final class ReplicaMethods {
    private ReplicaMethods() {}

    static SortedMap<String, SortedMap<String, Object>> read(Section s) throws ConfigException {
        SortedMap<String, SortedMap<String, Object>> out = new TreeMap<>();
        for (String method : s.textList("create_replica_methods")) {
            if (!method.equals("basebackup") && s.has(method)) {
                out.put(method, s.requiredSection(method).asRawMap());
            }
        }
        return out;
    }
}
