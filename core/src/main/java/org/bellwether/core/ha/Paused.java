package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Reason.Code;

/**
 * Maintenance mode: no automatic action on PostgreSQL; the leader keeps its lock, a lone primary may take it. A
 * switchover or failover to a named candidate still happens, because an operator asked for it.
 */
final class Paused {
    private Paused() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        String name = obs.self().name();
        Reason reason = Reason.of(Code.PAUSED, "paused: no automatic actions");
        if (cluster.isLeader(name)) {
            // A switchover to a named candidate is the one change an operator may still ask for.
            Optional<Decision> switchover =
                    obs.local().isPrimary() ? ManualSwitchover.fromLeader(obs, memory, cluster) : Optional.empty();
            return switchover.orElseGet(() -> Decision.of(memory, reason, new Action.RenewLeaderLock()));
        }
        boolean namedHere = SwitchoverPolicy.activeRequest(cluster)
                .filter(f -> f.scheduledAt().isEmpty()
                        && f.candidate().filter(name::equals).isPresent())
                .isPresent();
        if (cluster.leader().isEmpty() && obs.local().isReplica() && namedHere) {
            return ManualSwitchover.race(obs, memory, cluster);
        }
        if (cluster.leader().isEmpty() && obs.local().isPrimary()) {
            return Decision.of(memory, reason, new Action.AcquireLeaderLock());
        }
        return Decision.of(memory, reason);
    }
}
