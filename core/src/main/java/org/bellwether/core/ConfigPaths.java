package org.bellwether.core;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Dotted paths into the dynamic configuration ({@code postgresql.parameters.work_mem}), as findings name them: which
 * paths a change sets, and whether a finding concerns them. A write is refused only for errors on what it changes.
 */
public final class ConfigPaths {
    /** Names are shown escaped and, beyond this, cut short; paths are built the same way everywhere, so they match. */
    private static final int MAX_NAME = 200;

    private ConfigPaths() {}

    /** {@code name} under {@code prefix} ({@code ""} for the top level), with control characters escaped. */
    public static String join(String prefix, Object name) {
        String shown = ConfigValues.printable(String.valueOf(name), MAX_NAME);
        return prefix.isEmpty() ? shown : prefix + "." + shown;
    }

    /**
     * What a JSON merge patch (or Patroni's {@code patch_config}) sets or deletes: the path of every value in it that
     * is not a mapping, and of every empty mapping.
     */
    public static SortedSet<String> ofPatch(Map<?, ?> patch) {
        SortedSet<String> out = new TreeSet<>();
        collectPatch("", patch, out);
        return out;
    }

    /** The paths whose values differ between {@code before} and {@code after}: set, changed or removed. */
    public static SortedSet<String> changed(Map<?, ?> before, Map<?, ?> after) {
        SortedSet<String> out = new TreeSet<>();
        collectChanges("", before, after, out);
        return out;
    }

    /**
     * Whether a finding's {@code key} concerns one of {@code paths}: it is one of them, a section holding one (a
     * section-wide problem such as a standby_cluster without a source), or a setting within one. The key {@code ""}
     * (the whole configuration) concerns every change.
     */
    public static boolean touches(String key, Collection<String> paths) {
        if (key.isEmpty()) {
            return !paths.isEmpty();
        }
        return paths.stream().anyMatch(p -> p.equals(key) || p.startsWith(key + ".") || key.startsWith(p + "."));
    }

    private static void collectPatch(String prefix, Map<?, ?> patch, SortedSet<String> out) {
        patch.forEach((name, value) -> {
            String path = join(prefix, name);
            if (value instanceof Map<?, ?> inner && !inner.isEmpty()) {
                collectPatch(path, inner, out);
            } else {
                out.add(path);
            }
        });
    }

    private static void collectChanges(String prefix, Map<?, ?> before, Map<?, ?> after, SortedSet<String> out) {
        before.forEach((name, old) -> {
            if (!after.containsKey(name)) {
                out.add(join(prefix, name));
            }
        });
        after.forEach((name, value) -> {
            String path = join(prefix, name);
            Object old = before.get(name);
            if (old instanceof Map<?, ?> o && value instanceof Map<?, ?> v) {
                collectChanges(path, o, v, out);
            } else if (!before.containsKey(name) || !sameValue(old, value)) {
                out.add(path);
            }
        });
    }

    /** Equal, with numbers compared by value (a YAML 10 and a JSON 10 may arrive as different classes). */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            try {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
            } catch (NumberFormatException e) {
                return x.toString().equals(y.toString()); // NaN, infinities
            }
        }
        return Objects.equals(a, b);
    }
}
