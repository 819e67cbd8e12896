package org.bellwether.core;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The typed view of the dynamic configuration that the HA decision reads, with Patroni's defaults. Timing is adjusted
 * the way Patroni adjusts it: when {@code loop_wait + 2 * retry_timeout > ttl}, loop_wait and then retry_timeout are
 * lowered so that a leader always stops before its lock can expire elsewhere.
 *
 * <p>{@code maximumLagOnSyncNode} is {@code maximum_lag_on_syncnode}: a synchronous standby candidate further behind
 * the best one than this many bytes is passed over; zero or less (the default, -1) never passes one over.
 */
public record HaSettings(
        Duration ttl,
        Duration loopWait,
        Duration retryTimeout,
        long maximumLagOnFailover,
        Duration primaryStartTimeout,
        boolean checkTimeline,
        boolean pause,
        boolean usePgRewind,
        boolean useSlots,
        boolean removeDataDirectoryOnRewindFailure,
        boolean removeDataDirectoryOnDivergedTimelines,
        SynchronousMode synchronousMode,
        boolean synchronousModeStrict,
        int synchronousNodeCount,
        long maximumLagOnSyncNode,
        boolean failsafeMode,
        SortedMap<String, Object> postgresqlParameters) {

    public static final int DEFAULT_TTL = 30;
    public static final int DEFAULT_LOOP_WAIT = 10;
    public static final int DEFAULT_RETRY_TIMEOUT = 10;
    public static final long DEFAULT_MAXIMUM_LAG_ON_FAILOVER = 1048576;

    public HaSettings {
        postgresqlParameters = Collections.unmodifiableSortedMap(new TreeMap<>(postgresqlParameters));
    }

    public static HaSettings defaults() {
        return from(Map.of());
    }

    public static HaSettings from(Map<String, Object> raw) {
        long ttl = Math.max(2, number(raw.get("ttl"), DEFAULT_TTL));
        long loopWait = Math.max(1, number(raw.get("loop_wait"), DEFAULT_LOOP_WAIT));
        long retry = Math.max(1, number(raw.get("retry_timeout"), DEFAULT_RETRY_TIMEOUT));
        if (loopWait + 2 * retry > ttl) {
            loopWait = Math.max(1, Math.min(loopWait, ttl - 2 * retry));
            if (loopWait + 2 * retry > ttl) {
                retry = Math.max(1, (ttl - loopWait) / 2);
            }
        }
        Object startTimeout = raw.containsKey("primary_start_timeout")
                ? raw.get("primary_start_timeout")
                : raw.get("master_start_timeout");
        Map<String, Object> postgresql = map(raw.get("postgresql"));
        return new HaSettings(
                Duration.ofSeconds(ttl),
                Duration.ofSeconds(loopWait),
                Duration.ofSeconds(retry),
                number(raw.get("maximum_lag_on_failover"), DEFAULT_MAXIMUM_LAG_ON_FAILOVER),
                Duration.ofSeconds(Math.max(0, number(startTimeout, 300))),
                Tags.isTrue(raw.get("check_timeline")),
                Tags.isTrue(raw.get("pause")),
                Tags.isTrue(postgresql.get("use_pg_rewind")),
                !postgresql.containsKey("use_slots") || Tags.isTrue(postgresql.get("use_slots")),
                Tags.isTrue(postgresql.get("remove_data_directory_on_rewind_failure")),
                Tags.isTrue(postgresql.get("remove_data_directory_on_diverged_timelines")),
                SynchronousMode.fromWire(raw.get("synchronous_mode")),
                Tags.isTrue(raw.get("synchronous_mode_strict")),
                (int) Math.max(1, number(raw.get("synchronous_node_count"), 1)),
                number(raw.get("maximum_lag_on_syncnode"), -1),
                Tags.isTrue(raw.get("failsafe_mode")),
                new TreeMap<>(map(postgresql.get("parameters"))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static long number(Object value, long fallback) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
