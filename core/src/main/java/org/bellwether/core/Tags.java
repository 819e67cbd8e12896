package org.bellwether.core;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per-node hints published in the member key ({@code tags} in Patroni's configuration). The well-known ones are typed;
 * every tag, known or custom, is also kept as it was written so it can be published and matched
 * ({@code GET /replica?tag_key=value}).
 */
public record Tags(
        boolean noFailover,
        boolean noLoadBalance,
        boolean cloneFrom,
        boolean noSync,
        int failoverPriority,
        int syncPriority,
        Optional<String> replicateFrom,
        SortedMap<String, Object> all) {

    public static final Tags NONE = of(new TreeMap<>());

    public Tags {
        all = Collections.unmodifiableSortedMap(new TreeMap<>(all));
    }

    /** Builds tags from their published form: booleans may be written as true/false or as strings. */
    public static Tags of(SortedMap<String, Object> raw) {
        boolean noFailover = isTrue(raw.get("nofailover"));
        int priority = noFailover ? 0 : intValue(raw.get("failover_priority"), 1);
        Object replicateFrom = raw.get("replicatefrom");
        // Patroni: nosync wins over sync_priority; a priority of 0 or less means never synchronous.
        boolean noSync = isTrue(raw.get("nosync"));
        int syncPriority = noSync ? 0 : intValue(raw.get("sync_priority"), 1);
        return new Tags(
                noFailover || priority <= 0,
                isTrue(raw.get("noloadbalance")),
                isTrue(raw.get("clonefrom")),
                noSync || syncPriority <= 0,
                priority,
                syncPriority,
                replicateFrom == null ? Optional.empty() : Optional.of(replicateFrom.toString()),
                raw);
    }

    /**
     * These tags with {@code nosync} set: what a synchronous standby publishes for a while to be released before its
     * PostgreSQL stops. The configured tags stay as they are.
     */
    public Tags withNoSync() {
        SortedMap<String, Object> raw = new TreeMap<>(all);
        raw.put("nosync", true);
        return of(raw);
    }

    /** A member may become leader automatically only without {@code nofailover} and with a positive priority. */
    public boolean canBecomeLeader() {
        return !noFailover && failoverPriority > 0;
    }

    /** A member may be chosen as a synchronous standby only without {@code nosync} and with a positive priority. */
    public boolean canBeSynchronous() {
        return !noSync && syncPriority > 0;
    }

    /** Patroni's {@code parse_bool}, as everywhere else ({@link PatroniBool}). */
    static boolean isTrue(Object value) {
        return PatroniBool.isTrue(value);
    }

    private static int intValue(Object value, int fallback) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
