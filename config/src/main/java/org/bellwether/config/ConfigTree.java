package org.bellwether.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Operations on the parsed tree: maps of strings to maps, lists and scalars, as Patroni's YAML loader produces. */
final class ConfigTree {
    private ConfigTree() {}

    static String join(String prefix, String key) {
        if (key.isEmpty()) {
            return prefix;
        }
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /**
     * Patroni's {@code patch_config}: mappings merge key by key, anything else replaces, and a null value removes the
     * key. Used to lay the files of a directory over each other and the environment over the files, recording which
     * source set each path.
     */
    @SuppressWarnings("unchecked")
    static void patch(
            Map<String, Object> target,
            Map<String, Object> patch,
            String prefix,
            String source,
            Map<String, String> origins) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String path = join(prefix, e.getKey());
            Object value = e.getValue();
            Object current = target.get(e.getKey());
            if (value == null) {
                target.remove(e.getKey());
                forget(path, origins);
            } else if (value instanceof Map<?, ?> m && current instanceof Map<?, ?> c) {
                patch((Map<String, Object>) c, (Map<String, Object>) m, path, source, origins);
            } else {
                target.put(e.getKey(), copy(value));
                forget(path, origins);
                remember(value, path, source, origins);
            }
        }
    }

    private static void forget(String path, Map<String, String> origins) {
        origins.keySet().removeIf(k -> k.equals(path) || k.startsWith(path + "."));
    }

    private static void remember(Object value, String path, String source, Map<String, String> origins) {
        origins.put(path, source);
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                remember(e.getValue(), join(path, String.valueOf(e.getKey())), source, origins);
            }
        }
    }

    /** A mutable deep copy, so that merging never changes a tree that was handed in. */
    @SuppressWarnings("unchecked")
    static Object copy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(copy(v)));
            return out;
        }
        return value;
    }

    /**
     * A deeply unmodifiable copy for the records: mappings become sorted (their order carries no meaning and sorted
     * output is reproducible), lists keep their order and may hold nulls, as YAML lists may.
     */
    static Object freeze(Object value) {
        if (value instanceof Map<?, ?> m) {
            return Collections.unmodifiableSortedMap(freezeMap(m));
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(freeze(v)));
            return Collections.unmodifiableList(out);
        }
        return value;
    }

    static TreeMap<String, Object> freezeMap(Map<?, ?> m) {
        TreeMap<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), freeze(v)));
        return out;
    }
}
