package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Reason.Code;

/** Another node holds the lock: stream from it, and never run as a primary beside it. */
final class Following {
    private Following() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        String leader = cluster.leaderName().orElseThrow();
        Optional<Upstream> upstream = cluster.leaderMember().flatMap(Bootstrap::upstreamOf);
        if (obs.local().isPrimary()) {
            return Decision.of(
                    memory,
                    Reason.of(Code.DEMOTING_OTHER_NODE_LEADS, leader + " holds the lock, demoting"),
                    new Action.Demote(StopMode.IMMEDIATE, upstream));
        }
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
        if (!obs.local().upstream().equals(Optional.of(upstream.get().address()))) {
            return Decision.of(
                    memory,
                    Reason.of(Code.REFOLLOWING_LEADER, "changing upstream to " + leader),
                    new Action.Follow(upstream.get()));
        }
        return Decision.of(memory, Reason.of(Code.FOLLOWING_LEADER, "following " + leader));
    }
}
