package org.bellwether.config;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.config.ConfigException.Kind;

/**
 * The sections of custom replica creation methods: each name in {@code postgresql.create_replica_methods} other than
 * {@code basebackup} refers to a section of the same name holding its {@code command} and options.
 */
final class ReplicaMethods {
    private ReplicaMethods() {}

    static SortedMap<String, SortedMap<String, Object>> read(Section s) throws ConfigException {
        SortedMap<String, SortedMap<String, Object>> out = new TreeMap<>();
        List<String> methods = s.textList("create_replica_methods");
        for (String method : methods) {
            if (method.equals("basebackup")) {
                continue;
            }
            if (!s.has(method)) {
                s.warn(
                        "create_replica_methods",
                        "method '" + method + "' has no postgresql." + method + " section; Patroni skips it");
                continue;
            }
            Section section = s.requiredSection(method);
            if (!section.has("command")) {
                throw section.error(Kind.MISSING, "command", "required for replica method '" + method + "'");
            }
            section.text("command");
            out.put(method, section.asRawMap());
        }
        return out;
    }
}
