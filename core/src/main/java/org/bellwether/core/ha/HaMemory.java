package org.bellwether.core.ha;

import java.time.Duration;
import java.util.Optional;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.slots.SlotMemory;

/**
 * What a node carries from one cycle to the next. Everything else it needs is observed afresh each cycle.
 *
 * @param bootstrapping this node won the {@code initialize} race and is creating the cluster
 * @param terminal the node found a condition it must not act on (another cluster's data directory)
 * @param primaryStartDeadline while the leader restarts its crashed PostgreSQL: when {@code primary_start_timeout}
 *     runs out (observation clock); cleared once it runs as the leader again
 * @param rejoinFailure why the way back to the leader's history failed (pg_rewind against a reachable leader, or
 *     crash recovery): a second attempt would fail the same way, so only a re-clone (if allowed) remains
 * @param checkedAgainst the leader and timeline a running replica was last found not to have diverged from, so the
 *     check is not repeated every cycle
 * @param ops a switchover being handed over and a scheduled restart
 * @param syncCheckpoint on the leader in synchronous mode: the {@code synchronous_standby_names} in effect and the
 *     primary's WAL position when it was first seen in effect; a standby it names counts as synchronous once it has
 *     flushed that far (every commit acknowledged before it was named is then on it)
 * @param invalidLeaderSeen a {@code leader} key naming no possible node: the version seen, when it was first seen at
 *     that version, and the longest ttl in force since (see {@link InvalidLeaderKey})
 * @param slots what this node remembers about replication slots ({@link SlotMemory})
 */
public record HaMemory(
        boolean bootstrapping,
        boolean terminal,
        Optional<Duration> primaryStartDeadline,
        Optional<String> rejoinFailure,
        Optional<CheckedLeader> checkedAgainst,
        OpsMemory ops,
        Optional<SyncCheckpoint> syncCheckpoint,
        Optional<InvalidLeaderSeen> invalidLeaderSeen,
        SlotMemory slots) {
    public static final HaMemory INITIAL = new HaMemory(false, false);

    /** A leader key that names nobody, at {@code version}, first seen at {@code since} (observation clock). */
    public record InvalidLeaderSeen(long version, Duration since, Duration longestTtl) {}

    /** A leader's timeline this node's history was checked against and found compatible with. */
    public record CheckedLeader(String leader, Timeline timeline) {}

    /** A {@code synchronous_standby_names} value and where the primary's WAL was when it was seen in effect. */
    public record SyncCheckpoint(String standbyNames, Lsn primaryFlush) {}

    public HaMemory(boolean bootstrapping, boolean terminal) {
        this(
                bootstrapping,
                terminal,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                OpsMemory.NONE,
                Optional.empty(),
                Optional.empty(),
                SlotMemory.NONE);
    }

    public HaMemory withBootstrapping(boolean value) {
        return new HaMemory(
                value,
                terminal,
                primaryStartDeadline,
                rejoinFailure,
                checkedAgainst,
                ops,
                syncCheckpoint,
                invalidLeaderSeen,
                slots);
    }

    public HaMemory withTerminal() {
        return new HaMemory(
                bootstrapping,
                true,
                primaryStartDeadline,
                rejoinFailure,
                checkedAgainst,
                ops,
                syncCheckpoint,
                invalidLeaderSeen,
                slots);
    }

    public HaMemory withPrimaryStartDeadline(Optional<Duration> deadline) {
        return new HaMemory(
                bootstrapping,
                terminal,
                deadline,
                rejoinFailure,
                checkedAgainst,
                ops,
                syncCheckpoint,
                invalidLeaderSeen,
                slots);
    }

    public HaMemory withRejoinFailure(Optional<String> failure) {
        return new HaMemory(
                bootstrapping,
                terminal,
                primaryStartDeadline,
                failure,
                checkedAgainst,
                ops,
                syncCheckpoint,
                invalidLeaderSeen,
                slots);
    }

    public HaMemory withCheckedAgainst(Optional<CheckedLeader> checked) {
        return new HaMemory(
                bootstrapping,
                terminal,
                primaryStartDeadline,
                rejoinFailure,
                checked,
                ops,
                syncCheckpoint,
                invalidLeaderSeen,
                slots);
    }

    public HaMemory withOps(OpsMemory value) {
        return new HaMemory(
                bootstrapping,
                terminal,
                primaryStartDeadline,
                rejoinFailure,
                checkedAgainst,
                value,
                syncCheckpoint,
                invalidLeaderSeen,
                slots);
    }

    public HaMemory withSyncCheckpoint(Optional<SyncCheckpoint> value) {
        return new HaMemory(
                bootstrapping,
                terminal,
                primaryStartDeadline,
                rejoinFailure,
                checkedAgainst,
                ops,
                value,
                invalidLeaderSeen,
                slots);
    }

    public HaMemory withInvalidLeaderSeen(Optional<InvalidLeaderSeen> value) {
        return new HaMemory(
                bootstrapping,
                terminal,
                primaryStartDeadline,
                rejoinFailure,
                checkedAgainst,
                ops,
                syncCheckpoint,
                value,
                slots);
    }

    public HaMemory withSlots(SlotMemory value) {
        return new HaMemory(
                bootstrapping,
                terminal,
                primaryStartDeadline,
                rejoinFailure,
                checkedAgainst,
                ops,
                syncCheckpoint,
                invalidLeaderSeen,
                value);
    }
}
