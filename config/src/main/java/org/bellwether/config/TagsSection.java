package org.bellwether.config;

import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads {@code tags.*}: every tag is kept as written (custom tags are published and matched by health checks), and
 * the well-known ones are checked for type. Patroni evaluates boolean tags with Python's truthiness, so a quoted
 * {@code "false"} would mean true there; such values are refused rather than read two ways.
 */
final class TagsSection {
    private static final String[] BOOLEAN_TAGS = {"nofailover", "noloadbalance", "clonefrom", "nosync", "nostream"};

    private TagsSection() {}

    static SortedMap<String, Object> read(Section s) throws ConfigException {
        for (String tag : BOOLEAN_TAGS) {
            s.bool(tag);
        }
        Optional<Long> failoverPriority = s.integer("failover_priority", 0, Integer.MAX_VALUE);
        Optional<Long> syncPriority = s.integer("sync_priority", 0, Integer.MAX_VALUE);
        s.text("replicatefrom");
        contradiction(s, "nofailover", failoverPriority);
        contradiction(s, "nosync", syncPriority);
        SortedMap<String, Object> tags = new TreeMap<>();
        for (String key : s.keys()) {
            if (s.has(key)) {
                tags.put(key, ConfigTree.freeze(s.raw(key)));
            }
        }
        return tags;
    }

    /** Patroni's rule: when the two disagree, the boolean wins, with a warning. */
    private static void contradiction(Section s, String flag, Optional<Long> priority) throws ConfigException {
        Optional<Boolean> set = s.bool(flag);
        if (set.isEmpty() || priority.isEmpty()) {
            return;
        }
        String other = flag.equals("nofailover") ? "failover_priority" : "sync_priority";
        if (set.get() == priority.get() > 0) {
            s.warn(other, "contradicts " + flag + ": " + set.get() + "; " + flag + " wins, as in Patroni");
        }
    }
}
