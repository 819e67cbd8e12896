package org.bellwether.core.ha;

import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.HistoryEntry;

/**
 * What the decision asks the agent to do. DCS actions run in plan order on the loop thread and stop the plan at the
 * first failure; a PostgreSQL lifecycle action (at most one per plan, always last) runs as a long {@link Operation}.
 */
public sealed interface Action {
    Kind kind();

    /** Every action, with whether it is a long PostgreSQL operation. */
    enum Kind {
        TAKE_INITIALIZE_KEY(false),
        WRITE_INITIALIZE(false),
        REPAIR_INITIALIZE(false),
        CANCEL_INITIALIZE(false),
        WRITE_CONFIG(false),
        CLEAR_FAILOVER(false),
        RELOAD(false),
        RESTART(true),
        ACQUIRE_LEADER_LOCK(false),
        RENEW_LEADER_LOCK(false),
        RELEASE_LEADER_LOCK(false),
        DELETE_INVALID_LEADER_KEY(false),
        APPEND_HISTORY(false),
        WRITE_FAILSAFE(false),
        SYNC_REPLICATION_SLOTS(false),
        WRITE_SYNC(false),
        SET_SYNCHRONOUS_STANDBY_NAMES(false),
        FOLLOW(false),
        CHECKPOINT(false),
        BOOTSTRAP(true),
        CLONE(true),
        START(true),
        STOP(true),
        PROMOTE(true),
        DEMOTE(true),
        CRASH_RECOVERY(true),
        REWIND(true),
        REINITIALIZE(true),
        COPY_LOGICAL_SLOTS(true);

        private final boolean longOperation;

        Kind(boolean longOperation) {
            this.longOperation = longOperation;
        }

        public boolean isLongOperation() {
            return longOperation;
        }
    }

    /**
     * The slot part of the {@code status} key: {@code slots} (positions of the slots other nodes keep copies of) and
     * {@code retain_slots} (slots of departed members kept for {@code member_slots_ttl}).
     */
    record StatusSlots(SortedMap<String, org.bellwether.core.Lsn> positions, java.util.List<String> retain) {
        public StatusSlots {
            positions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(positions));
            retain = java.util.List.copyOf(retain);
        }
    }

    /** How PostgreSQL is stopped: {@code fast} (clean, with a shutdown checkpoint) or {@code immediate}. */
    enum StopMode {
        FAST,
        IMMEDIATE
    }

    /**
     * Create the {@code initialize} key if nobody has: with an empty value to race for bootstrapping a new cluster,
     * with the system identifier to adopt an existing data directory.
     */
    record TakeInitializeKey(String value) implements Action {
        public Kind kind() {
            return Kind.TAKE_INITIALIZE_KEY;
        }
    }

    /** Record the system identifier of the cluster this node bootstrapped or adopted. */
    record WriteInitialize(String systemId) implements Action {
        public Kind kind() {
            return Kind.WRITE_INITIALIZE;
        }
    }

    /**
     * On the leader: replace an {@code initialize} value that is no system identifier (or a missing key) with this
     * node's, if the key is still at {@code version} (0: absent), as Patroni's leader does. Failing does not stop the
     * plan: the next cycle reads the key again and tries again.
     */
    record RepairInitialize(String systemId, long version) implements Action {
        public Kind kind() {
            return Kind.REPAIR_INITIALIZE;
        }
    }

    /** Give up a bootstrap that failed, so another node may try. */
    record CancelInitialize() implements Action {
        public Kind kind() {
            return Kind.CANCEL_INITIALIZE;
        }
    }

    /** Write the cluster-wide dynamic configuration ({@code bootstrap.dcs}) when the key is missing. */
    record WriteConfig(SortedMap<String, Object> config) implements Action {
        public WriteConfig {
            config = new TreeMap<>(config);
        }

        public Kind kind() {
            return Kind.WRITE_CONFIG;
        }
    }

    /** Create the leader key if absent (compare-and-set); failing stops the plan. */
    record AcquireLeaderLock() implements Action {
        public Kind kind() {
            return Kind.ACQUIRE_LEADER_LOCK;
        }
    }

    /** Keep the leader key alive and publish {@code status}; failing stops the plan. */
    /**
     * Renew the leader lock, then publish the {@code status} key: the WAL position and, when given, the slot part
     * ({@link StatusSlots}); without one, the slot part last published stays as it was.
     */
    record RenewLeaderLock(Optional<StatusSlots> slots) implements Action {
        public RenewLeaderLock() {
            this(Optional.empty());
        }

        public Kind kind() {
            return Kind.RENEW_LEADER_LOCK;
        }
    }

    /** Delete the leader key if it is still ours, after writing the last WAL position to {@code status}. */
    record ReleaseLeaderLock() implements Action {
        public Kind kind() {
            return Kind.RELEASE_LEADER_LOCK;
        }
    }

    /**
     * Delete a {@code leader} key that names no possible node if it is still at {@code version}: nobody can renew
     * it, and it stayed unchanged for ttl ({@link InvalidLeaderKey}). Failing (it changed) stops the plan.
     */
    record DeleteInvalidLeaderKey(long version) implements Action {
        public Kind kind() {
            return Kind.DELETE_INVALID_LEADER_KEY;
        }
    }

    /**
     * Add a line to the {@code history} key after a promotion: lines of {@code entry}'s timeline and later are
     * replaced, so several actions in one plan write the lines in order and a line can gain its timestamp and new
     * leader's name.
     */
    record AppendHistory(HistoryEntry entry) implements Action {
        public Kind kind() {
            return Kind.APPEND_HISTORY;
        }
    }

    /** On the leader in failsafe mode: the members it must reach while the DCS is down ({@code name -> api_url}). */
    record WriteFailsafe(SortedMap<String, String> members) implements Action {
        public WriteFailsafe {
            members = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(members));
        }

        public Kind kind() {
            return Kind.WRITE_FAILSAFE;
        }
    }

    /**
     * Bring the local replication slots to what the cluster wants: each change is tried on its own, and a failure is
     * logged without stopping the plan's other steps.
     */
    record SyncReplicationSlots(java.util.List<org.bellwether.core.slots.SlotChange> changes) implements Action {
        public SyncReplicationSlots {
            changes = java.util.List.copyOf(changes);
        }

        public Kind kind() {
            return Kind.SYNC_REPLICATION_SLOTS;
        }
    }

    /**
     * On a replica: copy the named logical slots from the primary ({@code source}), which means stopping PostgreSQL,
     * writing each slot's state file and starting it again as a replica of {@code source}.
     */
    record CopyLogicalSlots(Upstream source, java.util.List<String> names) implements Action {
        public CopyLogicalSlots {
            names = java.util.List.copyOf(names);
        }

        public Kind kind() {
            return Kind.COPY_LOGICAL_SLOTS;
        }
    }

    /**
     * Write the {@code sync} key (the leader, and the standbys that may be promoted) if it is still at
     * {@code version} (0: absent); failing stops the plan, so PostgreSQL is never changed after a refused shrink.
     * An empty leader empties the key (synchronous mode switched off). {@code quorum} is quorum mode's number of
     * voters a candidate must find not ahead of it; 0 otherwise.
     */
    record WriteSync(Optional<String> leader, java.util.List<String> standbys, int quorum, long version)
            implements Action {
        public WriteSync {
            standbys = java.util.List.copyOf(new java.util.TreeSet<>(standbys));
        }

        public WriteSync(Optional<String> leader, java.util.List<String> standbys, long version) {
            this(leader, standbys, 0, version);
        }

        public Kind kind() {
            return Kind.WRITE_SYNC;
        }
    }

    /**
     * Set {@code synchronous_standby_names} on the running server and reload; empty gives it back to the
     * configuration. Quick, so it runs on the loop thread like a DCS step; failing stops the plan.
     */
    record SetSynchronousStandbyNames(Optional<String> value) implements Action {
        public Kind kind() {
            return Kind.SET_SYNCHRONOUS_STANDBY_NAMES;
        }
    }

    /** Point a running replica at another upstream (rewrites primary_conninfo and reloads). */
    record Follow(Upstream upstream) implements Action {
        public Kind kind() {
            return Kind.FOLLOW;
        }
    }

    /** initdb, write configuration, start, create the replication and rewind users. */
    record Bootstrap() implements Action {
        public Kind kind() {
            return Kind.BOOTSTRAP;
        }
    }

    /** Fill the empty data directory from a running member with pg_basebackup. */
    record Clone(Upstream source) implements Action {
        public Kind kind() {
            return Kind.CLONE;
        }
    }

    /**
     * Start PostgreSQL as a primary (no upstream) or as a replica following {@code upstream} if known. With
     * {@code waitAtMost}, a server that does not accept connections in that time is stopped (immediate) and the start
     * fails: a leader restarting its crashed primary must not come up after it gave the lock away.
     */
    record Start(boolean asReplica, Optional<Upstream> upstream, Optional<Duration> waitAtMost) implements Action {
        public Start(boolean asReplica, Optional<Upstream> upstream) {
            this(asReplica, upstream, Optional.empty());
        }

        public Kind kind() {
            return Kind.START;
        }
    }

    /** Stop PostgreSQL. */
    record Stop(StopMode mode) implements Action {
        public Kind kind() {
            return Kind.STOP;
        }
    }

    /** Promote this replica to primary; only ever planned right after this node acquired or holds the lock. */
    record Promote() implements Action {
        public Kind kind() {
            return Kind.PROMOTE;
        }
    }

    /**
     * Ask the primary for a CHECKPOINT without waiting for it: after a promotion, pg_control names the new timeline
     * only once a checkpoint finished, and pg_rewind against this node needs that. Completion is observed in the
     * control file, not reported by the action.
     */
    record Checkpoint() implements Action {
        public Kind kind() {
            return Kind.CHECKPOINT;
        }
    }

    /**
     * Bring an uncleanly shut down data directory to a clean shutdown: start PostgreSQL in single-user mode without
     * recovery settings (it replays its own WAL only) and let it stop. Its end of history is then known.
     */
    record CrashRecovery() implements Action {
        public Kind kind() {
            return Kind.CRASH_RECOVERY;
        }
    }

    /**
     * Stop PostgreSQL if it runs, rewind the data directory onto {@code source}'s history with pg_rewind, and write
     * the configuration of a replica following {@code source}. PostgreSQL stays stopped.
     */
    record Rewind(Upstream source) implements Action {
        public Kind kind() {
            return Kind.REWIND;
        }
    }

    /** Stop PostgreSQL if it runs, remove the data directory, and clone it again from {@code source}. */
    record Reinitialize(Upstream source) implements Action {
        public Kind kind() {
            return Kind.REINITIALIZE;
        }
    }

    /** Stop a primary and start it again as a replica of {@code upstream} (or of nobody yet). */
    record Demote(StopMode mode, java.util.Optional<Upstream> upstream) implements Action {
        public Kind kind() {
            return Kind.DEMOTE;
        }
    }

    /**
     * Empty the {@code failover} key (Patroni writes {@code {}}), only if it is still at {@code version} when one is
     * given: a newer request written meanwhile is not lost. Failing does not stop the plan: a key left behind is
     * cleared by the leader on a later cycle.
     */
    record ClearFailover(java.util.OptionalLong version) implements Action {
        public Kind kind() {
            return Kind.CLEAR_FAILOVER;
        }
    }

    /** Re-read the local configuration, rewrite PostgreSQL's configuration files, and signal it to reload them. */
    record Reload() implements Action {
        public Kind kind() {
            return Kind.RELOAD;
        }
    }

    /**
     * Stop PostgreSQL (fast) and start it again in the same role: as the leader's primary, or as a replica.
     *
     * @param releaseSyncFirst this standby is listed in the {@code sync} key: it asks the leader to let it go before
     *     PostgreSQL stops ({@link SyncStandbyRelease})
     */
    record Restart(boolean asReplica, java.util.Optional<Upstream> upstream, boolean releaseSyncFirst)
            implements Action {
        public Kind kind() {
            return Kind.RESTART;
        }
    }
}
