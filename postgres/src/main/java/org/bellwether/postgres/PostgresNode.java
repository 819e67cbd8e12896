package org.bellwether.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.bellwether.core.Lsn;
import org.bellwether.core.PendingRestart;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.LeaderTimeline;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.Upstream;
import org.bellwether.core.slots.SlotChange;
import org.bellwether.core.slots.SlotHorizons;

/**
 * This node's PostgreSQL: observing it and changing its state. It carries out what it is told; it never chooses
 * between promoting, rewinding or re-cloning. Long calls (bootstrap, clone, start, stop, promote, crash recovery, rewind,
 * reinitialize) block until done or failed; the agent runs them off its loop thread. The calls added after the first
 * version have defaults that refuse, so other implementations (the simulator's) keep compiling until they model them.
 *
 * <p>{@code clusterParameters} are {@code postgresql.parameters} from the DCS {@code config} key; local
 * {@code postgresql.parameters} are merged over them.
 */
public interface PostgresNode {
    /**
     * What PostgreSQL is doing now; never throws, answers within a few seconds. A live postmaster the agent cannot
     * query (starting up, recovering, or refusing the agent's login) is {@code STARTING}; the system identifier and
     * cluster state come from pg_controldata and are known while it is stopped.
     */
    LocalPostgres observe();

    /**
     * Creates a new cluster: initdb with {@code bootstrap.initdb}, writes postgresql.conf and pg_hba.conf, starts it
     * as a primary and creates the replication and rewind users. On failure the data directory is moved aside.
     *
     * @return the new cluster's system identifier
     */
    String bootstrap(SortedMap<String, Object> clusterParameters) throws PostgresException;

    /** Fills the empty data directory from {@code source} with pg_basebackup; on failure leaves it empty. */
    void cloneFrom(Upstream source) throws PostgresException;

    /**
     * Writes the configuration and starts PostgreSQL, waiting until it accepts connections. As a replica it writes
     * standby.signal and, with an upstream, primary_conninfo ({@code application_name} = member name) and
     * primary_slot_name. Fails if PostgreSQL already runs.
     */
    void start(boolean asReplica, Optional<Upstream> upstream, SortedMap<String, Object> clusterParameters)
            throws PostgresException;

    /**
     * Like {@link #start(boolean, Optional, SortedMap)}, but if PostgreSQL does not accept connections within
     * {@code waitAtMost} it is stopped (immediate) and the start fails: the caller may give the leader lock away
     * next, and this server must not come up as a primary after that.
     */
    default void start(
            boolean asReplica,
            Optional<Upstream> upstream,
            SortedMap<String, Object> clusterParameters,
            Duration waitAtMost)
            throws PostgresException {
        start(asReplica, upstream, clusterParameters);
    }

    /** Stops PostgreSQL and waits for the postmaster to exit. Stopping a stopped server succeeds. */
    void stop(StopMode mode) throws PostgresException;

    /** Promotes the running replica and waits until it accepts writes. */
    void promote() throws PostgresException;

    /**
     * Points the running replica at a new upstream: rewrites primary_conninfo/primary_slot_name and reloads
     * (PostgreSQL 13 and later; older servers are restarted). Fails if PostgreSQL is not running.
     */
    void follow(Upstream upstream) throws PostgresException;

    /**
     * Makes the slot changes one by one; a change that fails (a slot that became active meanwhile, a plugin that is
     * missing) is logged and the others are still made. Fails only when PostgreSQL cannot be reached at all.
     */
    void changeSlots(List<SlotChange> changes) throws PostgresException;

    /**
     * On a running replica: reads the state of the named logical slots from {@code source} (the primary), stops
     * PostgreSQL, writes the slots into {@code pg_replslot} and starts PostgreSQL again as a replica of {@code
     * source}. Slots the primary does not have are skipped.
     */
    default void copyLogicalSlots(Upstream source, List<String> names) throws PostgresException {
        throw new PostgresException("copying logical slots is not supported by this node");
    }

    /**
     * The catalog horizons on {@code leader} that say whether this replica's copies of logical slots are safe to use
     * after a failover: {@code catalog_xmin} of this replica's physical slot there ({@code ownSlot}) and of each of
     * {@code logicalSlots}. Never throws; empty when the leader cannot be asked within seconds.
     */
    default Optional<SlotHorizons> leaderSlotHorizons(Upstream leader, String ownSlot, List<String> logicalSlots) {
        return Optional.empty();
    }

    /** The latest checkpoint location from pg_controldata (for {@code status.optime} when the leader stops). */
    Optional<Lsn> checkpointLsn();

    /**
     * {@code leader}'s current timeline and timeline history, asked over a replication connection; never throws and
     * answers within seconds. A failure is {@link LeaderTimeline.Unreachable}.
     */
    default LeaderTimeline leaderTimeline(Upstream leader) {
        return new LeaderTimeline.Unreachable(leader.member(), "this node cannot ask for timeline histories");
    }

    /** Starts a CHECKPOINT on the running server without waiting for it (one at a time); completion shows in pg_control. */
    default void requestCheckpoint() throws PostgresException {
        throw new PostgresException("CHECKPOINT is not supported by this node");
    }

    /**
     * Brings the stopped, uncleanly shut down data directory to a clean shutdown: single-user mode without recovery
     * settings, then stop.
     */
    default void crashRecovery() throws PostgresException {
        throw new PostgresException("crash recovery is not supported by this node");
    }

    /**
     * Stops PostgreSQL if it runs, rewinds the data directory onto {@code source}'s history with pg_rewind and writes
     * the configuration of a replica following it; PostgreSQL stays stopped.
     */
    default void rewind(Upstream source) throws PostgresException {
        throw new PostgresException("pg_rewind is not supported by this node");
    }

    /** Stops PostgreSQL if it runs, removes the data directory and clones it again from {@code source}. */
    default void reinitialize(Upstream source) throws PostgresException {
        throw new PostgresException("reinitializing is not supported by this node");
    }

    /*
     * Operating the node. Defaults let implementations written before these existed (the simulator's) keep compiling:
     * one without configuration files has nothing to reload and nothing pending.
     */

    /**
     * Rewrites the configuration files for the role PostgreSQL has (with {@code clusterParameters} and the local
     * settings as they are now) and, if it runs, makes it reload them. Parameters that need a restart show up in
     * {@link #pendingRestart()} afterwards.
     */
    default void reload(SortedMap<String, Object> clusterParameters) throws PostgresException {}

    /** Parameters the running server will change only after a restart; none when it is not running. */
    default PendingRestart pendingRestart() {
        return PendingRestart.NONE;
    }

    /**
     * Sets {@code synchronous_standby_names} on the running server (primary or replica, so a replica about to be
     * promoted is set before it accepts writes) and makes it reload; empty gives the setting back to the
     * configuration. The value survives restarts and is not rewritten with the configuration files.
     */
    default void setSynchronousStandbyNames(Optional<String> value) throws PostgresException {
        throw new PostgresException(
                "synchronous replication is not supported by " + getClass().getSimpleName());
    }

    /** Removes the data directory of a stopped PostgreSQL (reinitialize), so a clone can fill it again. */
    default void removeDataDirectory() throws PostgresException {
        throw new PostgresException(
                "removing the data directory is not supported by " + getClass().getSimpleName());
    }

    /**
     * The parameters in {@code parameters} this node's PostgreSQL would refuse, each with the reason. The default sees
     * only what cannot be written to a configuration file at all; the real adapter asks PostgreSQL's server program.
     *
     * @throws PostgresException when the check itself could not run (the parameters are then unchecked)
     */
    default java.util.List<ParameterCheck.Problem> checkParameters(java.util.Map<String, ?> parameters)
            throws PostgresException {
        return ParameterCheck.inForm(parameters);
    }
}
