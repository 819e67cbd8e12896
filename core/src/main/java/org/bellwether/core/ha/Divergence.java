package org.bellwether.core.ha;

import java.util.Optional;
import java.util.Set;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;

/**
 * Whether this node's history forked from the leader's, by Patroni's rules ({@code rewind.py}): compare where this
 * node's history ends (timeline and position) with the leader's timeline and the points where its earlier timelines
 * ended.
 */
final class Divergence {
    /** pg_controldata states of a data directory that was shut down cleanly, as pg_rewind requires. */
    static final Set<String> CLEAN_STATES = Set.of("shut down", "shut down in recovery");

    private static final Set<String> REPLICA_STATES = Set.of("shut down in recovery", "in archive recovery");

    private Divergence() {}

    /**
     * Where this node's history ends.
     *
     * @param replica it ran as a replica: its position is how far it replayed (or received); a former primary's is
     *     its last checkpoint
     */
    record Position(boolean replica, Timeline timeline, Lsn lsn) {
        @Override
        public String toString() {
            return (replica ? "replica" : "former primary") + " at " + lsn + " on timeline " + timeline;
        }
    }

    /** The outcome, with a sentence for the log. */
    record Verdict(boolean diverged, String detail) {}

    /**
     * A running replica's position is the furthest WAL it has (received WAL will be replayed); a stopped node's comes
     * from pg_controldata. Empty when it cannot be known: PostgreSQL is starting, or the data directory was not shut
     * down cleanly as a primary (crash recovery has to run first), or pg_controldata could not be read.
     */
    static Optional<Position> of(LocalPostgres local) {
        if (local.isReplica()) {
            if (local.timeline().isEmpty() || local.walPosition().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Position(
                    true, local.timeline().get(), local.walPosition().get()));
        }
        if (local.runState() != LocalPostgres.RunState.STOPPED
                || local.controlFile().isEmpty()
                || local.controlState().isEmpty()) {
            return Optional.empty();
        }
        LocalPostgres.ControlFile control = local.controlFile().get();
        String state = local.controlState().get();
        if (REPLICA_STATES.contains(state)
                && control.minRecoveryEnd().isPresent()
                && control.minRecoveryEndTimeline().isPresent()) {
            return Optional.of(new Position(
                    true,
                    control.minRecoveryEndTimeline().get(),
                    control.minRecoveryEnd().get()));
        }
        // A replica without a minimum recovery point crashed while it was a primary (Patroni reads it the same way).
        if (REPLICA_STATES.contains(state) || state.equals("shut down")) {
            return Optional.of(new Position(false, control.checkpointTimeline(), control.latestCheckpoint()));
        }
        return Optional.empty();
    }

    static Verdict check(Position local, LeaderTimeline.Known leader) {
        String where = leader.leader() + " is on timeline " + leader.timeline() + ", this node is a " + local;
        int order = local.timeline().compareTo(leader.timeline());
        if (order > 0) {
            return new Verdict(true, where + ": ahead of the leader's timeline");
        }
        if (order == 0) {
            return new Verdict(false, where);
        }
        for (HistoryEntry line : leader.history()) {
            if (line.timeline().equals(local.timeline())) {
                Lsn switchPoint = line.switchLsn();
                // A replica that replayed up to the switch point has nothing the leader lacks. A former primary's last
                // checkpoint record ends at the switch point when the leader got everything it wrote; one that
                // starts at or after it was written after the leader's timeline branched off.
                boolean diverged =
                        local.replica() ? local.lsn().isAfter(switchPoint) : !switchPoint.isAfter(local.lsn());
                return new Verdict(
                        diverged,
                        where + "; timeline " + line.timeline() + " ended at " + switchPoint
                                + " in the leader's history" + (diverged ? ": diverged" : ""));
            }
            if (local.timeline().isBefore(line.timeline())) {
                break;
            }
        }
        return new Verdict(
                true, where + "; timeline " + local.timeline() + " is not in the leader's history: diverged");
    }
}
