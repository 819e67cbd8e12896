package org.bellwether.core;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.slots.SlotSettings;

/**
 * The typed view of the dynamic configuration that the HA decision reads, with Patroni's defaults. It is built from
 * what {@link ConfigRules#validate} accepts, so every value is within its range ({@link ConfigKey}): the durations
 * convert to milliseconds and add up without overflow. Timing is adjusted the way Patroni adjusts it
 * ({@link Timing#adjusted}): when {@code loop_wait + 2 * retry_timeout > ttl}, loop_wait and then retry_timeout are
 * lowered so that a leader always stops before its lock can expire elsewhere.
 *
 * <p>{@code maximumLagOnSyncNode} is {@code maximum_lag_on_syncnode}: a synchronous standby candidate further behind
 * the best one than this many bytes is passed over; zero or less (the default, -1) never passes one over.
 *
 * <p>{@code pgHba} is the dynamic {@code postgresql.pg_hba}: the lines a node writes to pg_hba.conf when its own file
 * names none (empty: none given).
 *
 * <p>{@code maxTimelinesHistory} is how many lines the leader keeps in the {@code history} key, the newest; 0 keeps
 * them all.
 *
 * <p>{@code slots} holds {@code slots}, {@code ignore_slots} and {@code member_slots_ttl}. With permanent logical
 * slots, {@code postgresqlParameters} has {@code hot_standby_feedback} on, as Patroni forces it: a replica's copies of
 * the slots are safe to use after a failover only while the primary keeps the catalog rows they need.
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
        SortedMap<String, Object> postgresqlParameters,
        SlotSettings slots,
        int maxTimelinesHistory,
        List<String> pgHba) {

    public static final int DEFAULT_TTL = 30;
    public static final int DEFAULT_LOOP_WAIT = 10;
    public static final int DEFAULT_RETRY_TIMEOUT = 10;
    public static final long DEFAULT_MAXIMUM_LAG_ON_FAILOVER = 1048576;

    public HaSettings {
        postgresqlParameters = Collections.unmodifiableSortedMap(new TreeMap<>(postgresqlParameters));
        pgHba = List.copyOf(pgHba);
    }

    /** These settings with other {@code postgresql.parameters} (those PostgreSQL accepted of the configured ones). */
    public HaSettings withPostgresqlParameters(SortedMap<String, Object> parameters) {
        return new HaSettings(
                ttl,
                loopWait,
                retryTimeout,
                maximumLagOnFailover,
                primaryStartTimeout,
                checkTimeline,
                pause,
                usePgRewind,
                useSlots,
                removeDataDirectoryOnRewindFailure,
                removeDataDirectoryOnDivergedTimelines,
                synchronousMode,
                synchronousModeStrict,
                synchronousNodeCount,
                maximumLagOnSyncNode,
                failsafeMode,
                parameters,
                slots,
                maxTimelinesHistory,
                pgHba);
    }

    /** What {@link #read} made of a configuration: the settings, and what was wrong with it (key and message). */
    public record Reading(HaSettings settings, List<ConfigRules.Finding> findings) {
        public Reading {
            findings = List.copyOf(findings);
        }
    }

    public static HaSettings defaults() {
        return from(Map.of());
    }

    /** The settings of a configuration, with Patroni's defaults for whatever is absent or refused. */
    public static HaSettings from(Map<String, ?> raw) {
        return read(raw, Optional.empty()).settings();
    }

    /**
     * Reads a configuration with {@link ConfigRules#validate}: a setting that is refused keeps its value in
     * {@code previous} (this node's last good settings) or, without one, Patroni's default, and its finding says which.
     * Never throws, whatever {@code raw} holds.
     */
    public static Reading read(Map<String, ?> raw, Optional<HaSettings> previous) {
        return HaSettingsReader.read(raw, previous);
    }
}
