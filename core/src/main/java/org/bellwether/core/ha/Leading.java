package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Reason.Code;

/**
 * This node holds the lock: renew it, be the primary, keep a slot for every member that streams from us, and in
 * synchronous mode keep {@code synchronous_standby_names} and the {@code sync} key in step ({@link SyncReplication}).
 */
final class Leading {
    private Leading() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        String name = obs.self().name();
        if (obs.local().isReplica()) {
            List<Action> plan = new ArrayList<>();
            plan.add(new Action.RenewLeaderLock());
            plan.addAll(SyncReplication.beforePromote(obs, cluster));
            plan.add(new Action.Promote());
            return new Decision(plan, memory, Reason.of(Code.PROMOTING_AS_LEADER, "holding the lock, promoting"));
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
            List<String> slots = cluster.members().stream()
                    .filter(m -> !m.name().equals(name))
                    .map(m -> SlotNames.forMember(m.name()))
                    .sorted()
                    .toList();
            plan.add(new Action.SyncReplicationSlots(slots));
        }
        SyncReplication.Steps sync = SyncReplication.onPrimary(obs, memory, cluster);
        plan.addAll(sync.actions());
        // Running as the leader again: a restart after a crash has ended.
        HaMemory next = sync.next().withPrimaryStartDeadline(Optional.empty());
        String detail = sync.change().map(c -> "leading; " + c).orElse("no action, I am the leader");
        return new Decision(plan, next, Reason.of(Code.LEADING, detail));
    }
}
