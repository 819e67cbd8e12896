package org.bellwether.app.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The nested maps a configuration is built in: insertion-ordered, string keys, Patroni's way of merging. */
final class Tree {
    private Tree() {}

    /** The map at {@code key} in {@code tree}, made (empty) when absent or not a map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> tree, String key) {
        Object value = tree.get(key);
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        Map<String, Object> made = new LinkedHashMap<>();
        tree.put(key, made);
        return made;
    }

    /** The map at the end of {@code path}, each step made when absent. */
    static Map<String, Object> section(Map<String, Object> tree, String... path) {
        Map<String, Object> node = tree;
        for (String key : path) {
            node = section(node, key);
        }
        return node;
    }

    /** The text at {@code key}, or {@code ""}. */
    static String text(Map<String, Object> tree, String key) {
        Object value = tree.get(key);
        return value == null ? "" : String.valueOf(value);
    }

    /**
     * Patroni's {@code patch_config}: a {@code null} in {@code patch} removes the key, a map merges into a map, and
     * anything else replaces the value.
     */
    @SuppressWarnings("unchecked")
    static void patch(Map<String, Object> into, Map<?, ?> patch) {
        for (Map.Entry<?, ?> e : patch.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (value == null) {
                into.remove(key);
            } else if (value instanceof Map<?, ?> m && into.get(key) instanceof Map<?, ?> existing) {
                patch((Map<String, Object>) existing, m);
            } else {
                into.put(key, copy(value));
            }
        }
    }

    /** A deep copy in which every map is a mutable, insertion-ordered one. */
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

    @SuppressWarnings("unchecked")
    static Map<String, Object> copyOf(Map<String, Object> tree) {
        return (Map<String, Object>) copy(tree);
    }
}
