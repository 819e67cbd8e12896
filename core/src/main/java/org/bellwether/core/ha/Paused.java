package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Reason.Code;

/**
 * Maintenance mode: no automatic action on PostgreSQL; the leader keeps its lock, a lone primary may take it. A
 * switchover or failover to a named candidate still happens, because an operator asked for it, and the leader
 * keeps choosing synchronous standbys.
 */
final class Paused {
    private Paused() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        String name = obs.self().name();
        Reason reason = Reason.of(Code.PAUSED, "paused: no automatic actions");
        if (cluster.isLeader(name)) {
            if (!obs.local().isPrimary()) {
                return Decision.of(memory, reason, new Action.RenewLeaderLock());
            }
            // Choosing synchronous standbys is not an action on PostgreSQL's life: without it, a standby that
            // goes away while paused would stall every commit until the pause ends (Patroni keeps doing it too).
            SyncReplication.Steps sync = SyncReplication.onPrimary(obs, memory, cluster);
            // Slots too, as Patroni: made and advanced while paused, never dropped (SlotReconcile sees the pause).
            SlotSteps.Steps slots = SlotSteps.onLeader(obs, memory, cluster);
            List<Action> plan = new ArrayList<>();
            plan.add(new Action.RenewLeaderLock(
                    Optional.of(new Action.StatusSlots(slots.statusSlots(), slots.retainSlots()))));
            plan.addAll(sync.actions());
            plan.addAll(slots.actions());
            Decision asUsual = new Decision(plan, sync.next().withSlots(slots.memory()), reason);
            // A switchover to a named candidate is the one change an operator may still ask for.
            return ManualSwitchover.fromLeader(obs, memory, cluster, asUsual).orElse(asUsual);
        }
        boolean namedHere = SwitchoverPolicy.activeRequest(cluster)
                .filter(f -> f.scheduledAt().isEmpty()
                        && f.candidate().filter(name::equals).isPresent())
                .isPresent();
        Optional<Decision> heldByNobody = InvalidLeaderKey.whileHeldByNobody(obs, memory, cluster);
        if (heldByNobody.isPresent()) {
            return heldByNobody.get();
        }
        if (cluster.leader().isEmpty() && obs.local().isReplica() && namedHere) {
            return ManualSwitchover.race(obs, memory, cluster);
        }
        if (cluster.leader().isEmpty() && obs.local().isPrimary()) {
            return Decision.of(memory, reason, new Action.AcquireLeaderLock());
        }
        return Decision.of(memory, reason);
    }
}
