package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Reason.Code;

/**
 * Another node holds the lock: stream from it (or from the member {@code replicatefrom} names, see {@link Cascade}),
 * and never run as a primary beside it.
 */
final class Following {
    private Following() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        String leader = cluster.leaderName().orElseThrow();
        if (obs.local().isPrimary()) {
            return Decision.of(
                    memory,
                    Reason.of(Code.DEMOTING_OTHER_NODE_LEADS, leader + " holds the lock, demoting"),
                    new Action.Demote(StopMode.IMMEDIATE, cluster.leaderMember().flatMap(Bootstrap::upstreamOf)));
        }
        Optional<Upstream> upstream = Cascade.upstreamFor(obs.self(), cluster);
        if (upstream.isEmpty()) {
            return Decision.of(
                    memory, Reason.of(Code.FOLLOWING_LEADER, "following " + leader + " (address not published yet)"));
        }
        if (obs.local().isReplica()) {
            Optional<Decision> diverged = Rejoin.whileRunning(obs, memory, cluster);
            if (diverged.isPresent()) {
                return diverged.get();
            }
            memory = Rejoin.remember(obs, memory);
        }
        String source = upstream.get().member();
        String via = source.equals(leader) ? "" : " (replicatefrom; the leader is " + leader + ")";
        List<Action> plan = new ArrayList<>();
        boolean refollow =
                !obs.local().upstream().equals(Optional.of(upstream.get().address()));
        if (refollow) {
            plan.add(new Action.Follow(upstream.get()));
        }
        Optional<SlotSteps.Steps> slots = obs.local().isReplica()
                ? Optional.of(SlotSteps.onReplica(obs, memory, cluster, upstream.get(), refollow))
                : Optional.empty();
        // After the follow: a failure here must not stop it. A copy of logical slots restarts PostgreSQL, so it is
        // a long operation and comes last.
        List<Action> slotActions = slots.map(SlotSteps.Steps::actions).orElse(List.of());
        slotActions.stream().filter(a -> !a.kind().isLongOperation()).forEach(plan::add);
        SyncReplication.readyOnReplica(obs).ifPresent(plan::add);
        slotActions.stream().filter(a -> a.kind().isLongOperation()).forEach(plan::add);
        if (slots.isPresent()) {
            memory = memory.withSlots(slots.get().memory());
        }
        if (refollow) {
            return new Decision(
                    plan, memory, Reason.of(Code.REFOLLOWING_LEADER, "changing upstream to " + source + via));
        }
        return new Decision(plan, memory, Reason.of(Code.FOLLOWING_LEADER, "following " + source + via));
    }
}
