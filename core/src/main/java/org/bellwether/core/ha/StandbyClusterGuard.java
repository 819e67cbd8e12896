package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Reason.Code;

/**
 * A {@code standby_cluster} section in the {@code config} key makes the cluster a copy of another cluster, whose
 * leader replicates from that cluster's primary and never promotes. Bellwether does not run a standby leader, so here a
 * node of such a cluster takes none of the steps that could give it a second writable primary: it does not bootstrap a
 * new cluster, take or keep the leader lock, promote, or start PostgreSQL as a primary; a primary it runs is demoted.
 * Following a standby leader (a Patroni node's) as a replica stays allowed. The section reaches the DCS only from a
 * Patroni node or a direct write: Bellwether's own configuration checks refuse it.
 */
final class StandbyClusterGuard {
    private StandbyClusterGuard() {}

    static boolean isStandbyCluster(ClusterView cluster) {
        return cluster.config()
                .map(c -> c.raw().get("standby_cluster"))
                .filter(v -> v instanceof Map<?, ?> m && !m.isEmpty())
                .isPresent();
    }

    /** {@code decision}, unless it would leave this node a writable primary of a standby cluster. */
    static Decision apply(Observation obs, Decision decision) {
        Optional<ClusterView> seen = obs.cluster();
        if (seen.isEmpty() || !isStandbyCluster(seen.get()) || !writable(decision, obs.local())) {
            return decision;
        }
        ClusterView cluster = seen.get();
        List<Action> plan = new ArrayList<>();
        if (cluster.isLeader(obs.self().name())) {
            plan.add(new Action.ReleaseLeaderLock());
        }
        boolean operationRunning = obs.operation().map(Operation::isRunning).orElse(false);
        if (operationRunning) {
            // One PostgreSQL operation at a time: the demotion waits for the running one to end.
        } else if (obs.local().isPrimary()) {
            plan.add(new Action.Demote(StopMode.FAST, Optional.empty()));
        } else {
            decision.plan().stream()
                    .filter(a -> a instanceof Action.Start s && !s.asReplica())
                    .findFirst()
                    .ifPresent(a -> plan.add(new Action.Start(true, Optional.empty())));
        }
        return new Decision(
                plan,
                decision.next(),
                Reason.of(
                        Code.STANDBY_CLUSTER_NOT_RUN,
                        "the config key has a standby_cluster section; Bellwether does not run a standby leader, so"
                                + " this node neither leads nor promotes (was: " + decision.reason() + ")"));
    }

    /** Whether the plan would make or keep this node the writable leader of the cluster. */
    private static boolean writable(Decision decision, LocalPostgres local) {
        if (local.isPrimary()) {
            return true;
        }
        return decision.plan().stream()
                .anyMatch(a -> a instanceof Action.TakeInitializeKey
                        || a instanceof Action.Bootstrap
                        || a instanceof Action.AcquireLeaderLock
                        || a instanceof Action.RenewLeaderLock
                        || a instanceof Action.Promote
                        || (a instanceof Action.Start s && !s.asReplica()));
    }
}
