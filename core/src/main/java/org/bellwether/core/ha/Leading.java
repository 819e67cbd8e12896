package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Reason.Code;

/** This node holds the lock: renew it, be the primary, keep a slot for every member that streams from us. */
final class Leading {
    private Leading() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        String name = obs.self().name();
        if (obs.local().isReplica()) {
            return Decision.of(
                    memory,
                    Reason.of(Code.PROMOTING_AS_LEADER, "holding the lock, promoting"),
                    new Action.RenewLeaderLock(),
                    new Action.Promote());
        }
        Optional<Decision> switchover = ManualSwitchover.fromLeader(obs, memory, cluster);
        if (switchover.isPresent()) {
            return switchover.get();
        }
        List<Action> plan = new ArrayList<>();
        plan.add(new Action.RenewLeaderLock());
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
        if (obs.settings().useSlots()) {
            plan.add(new Action.SyncReplicationSlots(Cascade.slotsOnLeader(name, cluster)));
        }
        // Running as the leader again: a restart after a crash has ended.
        HaMemory next = memory.withPrimaryStartDeadline(Optional.empty());
        return new Decision(plan, next, Reason.of(Code.LEADING, "no action, I am the leader"));
    }
}
