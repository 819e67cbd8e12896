package org.bellwether.core.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.slots.SlotHorizons;

/**
 * Everything one HA cycle decides on. Time enters as values: {@code now} on the agent's monotonic clock (since it
 * started) and {@code wallTime} for what is shown to people and written to the DCS.
 *
 * <p>{@code lockDeadline} is when this node's leader lock stops being safe to rely on: the moment of the last
 * successful acquire or renew <em>request</em>, on the local monotonic clock, plus ttl, minus a safety margin. It is
 * empty when the node does not hold the lock.
 *
 * <p>{@code leaderTimeline} is the leader's timeline and history, present only in cycles where {@link RejoinProbe}
 * asked the agent to fetch them.
 *
 * <p>{@code ops} carries the operator's request and what operating the node needs to know ({@link Ops}).
 *
 * <p>{@code watchdogFailed}: {@code watchdog.mode} is {@code required} and the watchdog cannot be used (no writable
 * device, or it could not be armed with a safe timeout); such a node must not lead.
 *
 * <p>{@code lastKnownSettings}: see {@link #settings()}.
 *
 * <p>{@code failsafe}: what failsafe mode learned this cycle while the DCS was unreachable ({@link FailsafeView}).
 *
 * <p>{@code leaderSlots}: on a replica with copies of logical slots, what the primary holds back for them, fetched
 * when {@link SlotProbe} asks for it.
 */
public record Observation(
        NodeIdentity self,
        Duration now,
        Instant wallTime,
        DcsView dcs,
        LocalPostgres local,
        Optional<Operation> operation,
        SortedMap<String, PeerStatus> peers,
        Optional<Duration> lockDeadline,
        HaSettings lastKnownSettings,
        boolean shutdownRequested,
        Optional<LeaderTimeline> leaderTimeline,
        Ops ops,
        boolean watchdogFailed,
        FailsafeView failsafe,
        Optional<SlotHorizons> leaderSlots) {

    public Observation {
        peers = Collections.unmodifiableSortedMap(new TreeMap<>(peers));
    }

    /** Without the leader's slot horizons: every cycle that does not check copies of logical slots. */
    public Observation(
            NodeIdentity self,
            Duration now,
            Instant wallTime,
            DcsView dcs,
            LocalPostgres local,
            Optional<Operation> operation,
            SortedMap<String, PeerStatus> peers,
            Optional<Duration> lockDeadline,
            HaSettings lastKnownSettings,
            boolean shutdownRequested,
            Optional<LeaderTimeline> leaderTimeline,
            Ops ops,
            boolean watchdogFailed,
            FailsafeView failsafe) {
        this(
                self,
                now,
                wallTime,
                dcs,
                local,
                operation,
                peers,
                lockDeadline,
                lastKnownSettings,
                shutdownRequested,
                leaderTimeline,
                ops,
                watchdogFailed,
                failsafe,
                Optional.empty());
    }

    /** The same observation with the leader's slot horizons, fetched to judge this replica's logical slot copies. */
    public Observation withLeaderSlots(Optional<SlotHorizons> value) {
        return new Observation(
                self,
                now,
                wallTime,
                dcs,
                local,
                operation,
                peers,
                lockDeadline,
                lastKnownSettings,
                shutdownRequested,
                leaderTimeline,
                ops,
                watchdogFailed,
                failsafe,
                value);
    }

    /** Without a fetched leader timeline or anything to operate on: what most cycles observe. */
    public Observation(
            NodeIdentity self,
            Duration now,
            Instant wallTime,
            DcsView dcs,
            LocalPostgres local,
            Optional<Operation> operation,
            SortedMap<String, PeerStatus> peers,
            Optional<Duration> lockDeadline,
            HaSettings lastKnownSettings,
            boolean shutdownRequested) {
        this(
                self,
                now,
                wallTime,
                dcs,
                local,
                operation,
                peers,
                lockDeadline,
                lastKnownSettings,
                shutdownRequested,
                Optional.empty(),
                Ops.NONE,
                false,
                FailsafeView.NONE);
    }

    /** The same observation with {@code ops} in place of this one's. */
    public Observation withOps(Ops value) {
        return with(leaderTimeline, value, watchdogFailed, failsafe);
    }

    /** The same observation with the leader's timeline fetched for a rejoin check. */
    public Observation withLeaderTimeline(Optional<LeaderTimeline> value) {
        return with(value, ops, watchdogFailed, failsafe);
    }

    /** The same observation with the watchdog's state in place of this one's. */
    public Observation withWatchdogFailed(boolean value) {
        return with(leaderTimeline, ops, value, failsafe);
    }

    /** The same observation with what failsafe mode learned in place of this one's. */
    public Observation withFailsafe(FailsafeView value) {
        return with(leaderTimeline, ops, watchdogFailed, value);
    }

    private Observation with(
            Optional<LeaderTimeline> timeline, Ops operating, boolean watchdog, FailsafeView failsafeView) {
        return new Observation(
                self,
                now,
                wallTime,
                dcs,
                local,
                operation,
                peers,
                lockDeadline,
                lastKnownSettings,
                shutdownRequested,
                timeline,
                operating,
                watchdog,
                failsafeView,
                leaderSlots);
    }

    public Optional<ClusterView> cluster() {
        return dcs instanceof DcsView.Available a ? Optional.of(a.cluster()) : Optional.empty();
    }

    /**
     * Settings in force: the agent's reading of the {@code config} key (checked, with this node's last good value for
     * anything refused, and only the PostgreSQL parameters PostgreSQL accepts), or what it last knew while the DCS is
     * unreadable. Never the key read afresh here: that would bring back every value the agent refused.
     */
    public HaSettings settings() {
        return lastKnownSettings;
    }

    public boolean holdsValidLock() {
        return lockDeadline.map(deadline -> now.compareTo(deadline) < 0).orElse(false);
    }
}
