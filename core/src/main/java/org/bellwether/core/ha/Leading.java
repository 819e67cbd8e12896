package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Reason.Code;

/**
 * This node holds the lock: renew it, be the primary, keep a slot for every member that streams from us, and in
 * synchronous mode keep {@code synchronous_standby_names} and the {@code sync} key in step ({@link SyncReplication}).
 */
final class Leading {
    private Leading() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        if (obs.watchdogFailed() && !cluster.isPaused()) {
            // Patroni's enforce_primary_role: without the required watchdog this node may not be the primary. The
            // lock goes only once PostgreSQL no longer runs as primary, so nobody is promoted beside it.
            String why = "watchdog.mode is required but the watchdog could not be armed";
            if (obs.local().isPrimary()) {
                return Decision.of(
                        memory,
                        Reason.of(Code.WATCHDOG_FAILED, why + ": demoting"),
                        new Action.Demote(Action.StopMode.IMMEDIATE, Optional.empty()));
            }
            return Decision.of(
                    memory,
                    Reason.of(Code.WATCHDOG_FAILED, why + ": releasing the lock"),
                    new Action.ReleaseLeaderLock());
        }
        if (obs.local().isReplica()) {
            List<Action> plan = new ArrayList<>();
            plan.add(new Action.RenewLeaderLock());
            plan.addAll(SyncReplication.beforePromote(obs, cluster));
            plan.add(new Action.Promote());
            return new Decision(plan, memory, Reason.of(Code.PROMOTING_AS_LEADER, "holding the lock, promoting"));
        }
        Decision asUsual = asUsual(obs, memory, cluster);
        return ManualSwitchover.fromLeader(obs, memory, cluster, asUsual).orElse(asUsual);
    }

    /** What the leader does each cycle while no switchover stops it: renew, history, slots, synchronous standbys. */
    private static Decision asUsual(Observation obs, HaMemory memory, ClusterView cluster) {
        String name = obs.self().name();
        List<Action> plan = new ArrayList<>();
        SlotSteps.Steps slots = SlotSteps.onLeader(obs, memory, cluster);
        plan.add(new Action.RenewLeaderLock(
                Optional.of(new Action.StatusSlots(slots.statusSlots(), slots.retainSlots()))));
        LocalPostgres local = obs.local();
        if (local.timeline().isPresent()) {
            TimelineHistory.missingLines(
                            cluster.history(),
                            local.timelineHistory(),
                            local.timeline().get(),
                            name,
                            obs.wallTime())
                    .forEach(line -> plan.add(new Action.AppendHistory(line)));
        }
        if (local.awaitingCheckpointAfterPromote()) {
            // Until it is done, pg_rewind against this node would not see its new timeline (Patroni issue #3367).
            plan.add(new Action.Checkpoint());
        }
        if (obs.settings().failsafeMode()) {
            SortedMap<String, String> members = new TreeMap<>();
            cluster.members().forEach(m -> m.apiUrl().ifPresent(url -> members.put(m.name(), url)));
            if (!cluster.failsafe().equals(Optional.of(members))) {
                plan.add(new Action.WriteFailsafe(members));
            }
        }
        plan.addAll(slots.actions());
        SyncReplication.Steps sync = SyncReplication.onPrimary(obs, memory, cluster);
        plan.addAll(sync.actions());
        // Running as the leader again: a restart after a crash has ended.
        HaMemory next = sync.next().withPrimaryStartDeadline(Optional.empty()).withSlots(slots.memory());
        String detail = sync.change().map(c -> "leading; " + c).orElse("no action, I am the leader");
        return new Decision(plan, next, Reason.of(Code.LEADING, detail));
    }
}
