package org.bellwether.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HaSettings;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.SyncState;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.Observation;
import org.bellwether.core.ha.TimelineHistory;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;
import org.bellwether.postgres.PostgresNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a plan in order. DCS steps run here and a failed one ends the plan, so a promotion never runs after a
 * lost lock race; the PostgreSQL operation (always last) is handed to the {@link OperationRunner}.
 */
final class PlanExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(PlanExecutor.class);

    private final Dcs dcs;
    private final PostgresNode postgres;
    private final Operations operations;
    private final LeaseTracker lease;
    private final WriteFence fence;
    private final Supplier<Duration> clock;
    private Optional<Lsn> lastPublishedOptime = Optional.empty();
    private Action.StatusSlots lastPublishedSlots = new Action.StatusSlots(new TreeMap<>(), java.util.List.of());
    /** The {@code history} key as this plan has left it so far: each appended line builds on the one before. */
    private java.util.List<HistoryEntry> historyInPlan = java.util.List.of();

    private boolean dcsFailed;

    private Reloader reloader;
    private final CallbackDispatch callbacks;
    private final SyncReleaseWait syncRelease;

    /** What the {@code RELOAD} action runs. */
    @FunctionalInterface
    interface Reloader {
        void reload(SortedMap<String, Object> parameters, java.util.List<String> pgHba) throws Exception;
    }

    PlanExecutor(
            Dcs dcs,
            PostgresNode postgres,
            Operations operations,
            LeaseTracker lease,
            WriteFence fence,
            Supplier<Duration> clock,
            CallbackDispatch callbacks,
            SyncReleaseWait syncRelease) {
        this.callbacks = callbacks;
        this.syncRelease = syncRelease;
        this.dcs = dcs;
        this.postgres = postgres;
        this.operations = operations;
        this.lease = lease;
        this.fence = fence;
        this.clock = clock;
        this.reloader = (parameters, pgHba) -> postgres.reload(parameters);
    }

    void onReload(Reloader value) {
        this.reloader = value;
    }

    /**
     * Whether a DCS call of the last plan failed (timed out or could not reach the DCS): one that ended the plan, or
     * the clearing of the failover key, which does not.
     */
    boolean dcsFailed() {
        return dcsFailed;
    }

    /** Runs the plan; returns false if a step failed (the rest was skipped). */
    boolean execute(java.util.List<Action> plan, Observation obs) {
        historyInPlan = obs.cluster().map(ClusterView::history).orElse(java.util.List.of());
        dcsFailed = false;
        for (Action action : plan) {
            try {
                if (!step(action, obs)) {
                    LOG.info("plan stopped at {}: not done", action.kind());
                    return false;
                }
            } catch (DcsException e) {
                LOG.warn("plan stopped at {}: {}", action.kind(), e.getMessage());
                dcsFailed = true;
                return false;
            } catch (Exception e) {
                LOG.warn("plan stopped at {}: {}", action.kind(), e.toString());
                return false;
            }
        }
        return true;
    }

    private boolean step(Action action, Observation obs) throws Exception {
        HaSettings settings = obs.settings();
        SortedMap<String, Object> parameters = settings.postgresqlParameters();
        switch (action.kind()) {
            case TAKE_INITIALIZE_KEY:
                return dcs.takeInitializeKey(((Action.TakeInitializeKey) action).value());
            case WRITE_INITIALIZE:
                dcs.writeInitialize(((Action.WriteInitialize) action).systemId());
                return true;
            case REPAIR_INITIALIZE:
                repairInitialize((Action.RepairInitialize) action);
                return true;
            case CANCEL_INITIALIZE:
                dcs.cancelInitialize();
                return true;
            case WRITE_CONFIG:
                return dcs.writeConfig(((Action.WriteConfig) action).config(), OptionalLong.empty());
            case ACQUIRE_LEADER_LOCK:
                return lockStep(settings, dcs::acquireLeaderLock);
            case RENEW_LEADER_LOCK:
                boolean renewed = lockStep(settings, dcs::renewLeaderLock);
                if (renewed) {
                    // A DCS that stops answering here ends the plan as the renewal's own failure would: each further
                    // call would wait out retry_timeout too, and the cycle could outlast the lock deadline before
                    // anything could act on the outage (a failsafe round, above all).
                    publishStatus(obs.local().writeLsn(), ((Action.RenewLeaderLock) action).slots());
                }
                return renewed;
            case RELEASE_LEADER_LOCK:
                release(obs.local().writeLsn());
                return true;
            case DELETE_INVALID_LEADER_KEY:
                return deleteInvalidLeaderKey((Action.DeleteInvalidLeaderKey) action);
            case APPEND_HISTORY:
                appendHistory(((Action.AppendHistory) action).entry(), settings.maxTimelinesHistory());
                return true;
            case WRITE_FAILSAFE:
                dcs.writeFailsafe(((Action.WriteFailsafe) action).members());
                return true;
            case CHECKPOINT:
                postgres.requestCheckpoint();
                return true;
            case SYNC_REPLICATION_SLOTS:
                postgres.changeSlots(((Action.SyncReplicationSlots) action).changes());
                return true;
            case COPY_LOGICAL_SLOTS:
                Action.CopyLogicalSlots copy = (Action.CopyLogicalSlots) action;
                return submit(action, obs, () -> postgres.copyLogicalSlots(copy.source(), copy.names()));
            case WRITE_SYNC:
                Action.WriteSync write = (Action.WriteSync) action;
                SyncState sync = new SyncState(write.leader(), write.standbys(), write.quorum(), write.version());
                boolean written = dcs.writeSync(sync, OptionalLong.of(write.version()));
                if (written) {
                    LOG.info(
                            "sync key: leader {}, synchronous standbys {}, quorum {}",
                            write.leader().orElse("none"),
                            write.standbys(),
                            write.quorum());
                }
                return written;
            case SET_SYNCHRONOUS_STANDBY_NAMES:
                postgres.setSynchronousStandbyNames(((Action.SetSynchronousStandbyNames) action).value());
                return true;
            case FOLLOW:
                postgres.follow(((Action.Follow) action).upstream());
                return true;
            case BOOTSTRAP:
                return submit(action, obs, () -> postgres.bootstrap(parameters));
            case CLONE:
                return submit(action, obs, () -> postgres.cloneFrom(((Action.Clone) action).source()));
            case START:
                Action.Start start = (Action.Start) action;
                if (start.waitAtMost().isPresent()) {
                    Duration limit = start.waitAtMost().get();
                    return submit(
                            action, obs, () -> postgres.start(start.asReplica(), start.upstream(), parameters, limit));
                }
                return submit(action, obs, () -> postgres.start(start.asReplica(), start.upstream(), parameters));
            case STOP:
                return submit(action, obs, () -> postgres.stop(((Action.Stop) action).mode()));
            case PROMOTE:
                return submit(action, obs, postgres::promote);
            case CLEAR_FAILOVER:
                clearFailover((Action.ClearFailover) action);
                return true;
            case RELOAD:
                reloader.reload(parameters, settings.pgHba());
                callbacks.after(action, obs.local());
                return true;
            case RESTART:
                Action.Restart restart = (Action.Restart) action;
                return submit(action, obs, () -> {
                    if (restart.releaseSyncFirst()) {
                        syncRelease.await(settings);
                    }
                    try {
                        postgres.stop(Action.StopMode.FAST);
                        postgres.start(restart.asReplica(), restart.upstream(), parameters);
                    } finally {
                        syncRelease.end();
                    }
                });
            case DEMOTE:
                Action.Demote demote = (Action.Demote) action;
                // A node that demotes no longer leads, even if its lock has not expired (the DCS being unreachable,
                // it cannot be released): /primary answers 503 from now on, and the fence, fed no deadline, keeps
                // the last one only while PostgreSQL still runs as primary instead of stopping the demoted replica.
                lease.lost();
                return submit(action, obs, () -> {
                    postgres.stop(demote.mode());
                    // Stopped, nothing is left to fence; the loop would disarm only a cycle later, and a cycle that
                    // first waits out an unreachable DCS ends after the old deadline: the guard would then stop the
                    // replica this demotion is about to start.
                    fence.release();
                    postgres.start(true, demote.upstream(), parameters);
                });
            case CRASH_RECOVERY:
                return submit(action, obs, postgres::crashRecovery);
            case REWIND:
                return submit(action, obs, () -> postgres.rewind(((Action.Rewind) action).source()));
            case REINITIALIZE:
                return submit(action, obs, () -> postgres.reinitialize(((Action.Reinitialize) action).source()));
        }
        throw new IllegalStateException("unhandled action " + action);
    }

    /** Runs a long operation; its callbacks are called once it succeeded, from the operation's thread. */
    private boolean submit(Action action, Observation obs, Operations.Body body) {
        return operations.submit(action.kind(), () -> {
            body.run();
            callbacks.after(action, obs.local());
        });
    }

    /**
     * The leader's repair of the {@code initialize} key. Like clearing the failover key it does not stop the plan: the
     * next cycle reads the key again and repairs it then.
     */
    private void repairInitialize(Action.RepairInitialize repair) {
        try {
            if (dcs.replaceInitialize(repair.systemId(), repair.version())) {
                LOG.info(
                        "initialize key (version {}) held no system identifier: wrote this leader's, {}",
                        repair.version(),
                        repair.systemId());
            } else {
                LOG.info("initialize key changed since version {}; it is read again next cycle", repair.version());
            }
        } catch (DcsException e) {
            dcsFailed = true;
            LOG.warn("could not repair the initialize key: {}", e.getMessage());
        }
    }

    private boolean deleteInvalidLeaderKey(Action.DeleteInvalidLeaderKey delete) throws DcsException {
        boolean deleted = dcs.deleteLeaderKey(delete.version());
        if (deleted) {
            LOG.info(
                    "deleted the leader key at version {}: it named no node and nobody renewed it for ttl",
                    delete.version());
        } else {
            LOG.info("leader key changed since version {}; not deleted", delete.version());
        }
        return deleted;
    }

    /** A failover key left behind is harmless (the leader clears it later), so failing here does not stop the plan. */
    private void clearFailover(Action.ClearFailover clear) {
        try {
            FailoverIntent empty = new FailoverIntent(Optional.empty(), Optional.empty(), Optional.empty(), 0);
            if (!dcs.writeFailover(empty, clear.version())) {
                LOG.info("failover key changed meanwhile; left as it is");
            }
        } catch (DcsException e) {
            dcsFailed = true;
            LOG.warn("could not clear the failover key: {}", e.getMessage());
        }
    }

    @FunctionalInterface
    private interface LockCall {
        boolean call() throws DcsException;
    }

    /** Acquire or renew: the deadline counts from before the request left, never from its answer. */
    private boolean lockStep(HaSettings settings, LockCall call) throws DcsException {
        Duration sentAt = clock.get();
        boolean held;
        try {
            held = call.call();
        } catch (DcsException e) {
            // Unknown outcome: the lease may or may not have been extended, so the old deadline stands.
            throw e;
        }
        if (held) {
            lease.renewed(sentAt, settings.ttl());
        } else {
            lease.lost();
        }
        return held;
    }

    private void appendHistory(HistoryEntry entry, int maxLines) throws DcsException {
        java.util.List<HistoryEntry> next =
                TimelineHistory.capped(TimelineHistory.appended(historyInPlan, entry), maxLines);
        dcs.writeHistory(next);
        historyInPlan = next;
        LOG.info(
                "history: timeline {} ended at {} ({}), new leader {}",
                entry.timeline(),
                entry.switchLsn(),
                entry.reason(),
                entry.newLeader().orElse("-"));
    }

    /** Writes the status key when it changed; a renewal without a slot part keeps the one published last. */
    private void publishStatus(Optional<Lsn> optime, Optional<Action.StatusSlots> slots) throws DcsException {
        Action.StatusSlots slotPart = slots.orElse(lastPublishedSlots);
        if (optime.isEmpty() || optime.equals(lastPublishedOptime) && slotPart.equals(lastPublishedSlots)) {
            return;
        }
        dcs.writeStatus(optime.get(), slotPart.positions(), slotPart.retain());
        lastPublishedOptime = optime;
        lastPublishedSlots = slotPart;
    }

    /** Releases the lock after recording the last WAL position, so replicas can judge their lag. */
    void release(Optional<Lsn> lastPosition) throws DcsException {
        Optional<Lsn> position = lastPosition.or(postgres::checkpointLsn);
        if (position.isPresent()) {
            try {
                dcs.writeStatus(position.get(), lastPublishedSlots.positions(), lastPublishedSlots.retain());
            } catch (DcsException e) {
                LOG.warn("could not publish the last WAL position before releasing the lock: {}", e.getMessage());
            }
        }
        dcs.releaseLeaderLock();
        lease.lost();
    }
}
