package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Reason.Code;

/**
 * The HA decision: a pure function from what a node observes to what it does. The guards run in Patroni's order
 * ({@code _run_cycle}); each hands off to the sub-decision that owns the situation.
 */
public final class HaDecider {
    private HaDecider() {}

    public static Decision decide(Observation obs, HaMemory memory) {
        Decision decided = Bootstrap.withInitializeRepair(decideCycle(obs, memory), obs, memory);
        return StandbyClusterGuard.apply(obs, decided);
    }

    private static Decision decideCycle(Observation obs, HaMemory memory) {
        if (memory.terminal()) {
            return Decision.of(memory, Reason.of(Code.SYSTEM_ID_MISMATCH, "refusing to act on this data directory"));
        }
        if (obs.dcs() instanceof DcsView.Unavailable unavailable) {
            return DcsOutage.decide(obs, memory, unavailable.error());
        }
        ClusterView cluster = obs.cluster().orElseThrow();
        memory = InvalidLeaderKey.observe(obs, memory, cluster);
        Optional<Decision> requested = Maintenance.decide(obs, memory, cluster);
        if (requested.isPresent()) {
            return requested.get();
        }
        Optional<Operation> operation = obs.operation();
        if (operation.isPresent() && operation.get().isRunning()) {
            return InFlight.decide(obs, memory, cluster, operation.get());
        }
        if (operation.isPresent() && operation.get().phase() == Operation.Phase.FAILED) {
            return InFlight.afterFailure(obs, memory, cluster, operation.get());
        }
        Optional<Decision> expired = InvalidLeaderKey.expire(obs, memory, cluster);
        if (expired.isPresent()) {
            return expired.get();
        }
        if (obs.local().dataDirectory() == LocalPostgres.DataDirectory.MISSING_OR_EMPTY) {
            return Bootstrap.decide(obs, memory, cluster);
        }
        Optional<Decision> identity = Bootstrap.checkIdentity(obs, memory, cluster);
        if (identity.isPresent()) {
            return identity.get();
        }
        Optional<Decision> handover = ManualSwitchover.continueHandover(obs, memory, cluster);
        if (handover.isPresent()) {
            return handover.get();
        }
        memory = ManualSwitchover.forgetHandover(memory);
        if (cluster.isPaused()) {
            return Paused.decide(obs, memory, cluster);
        }
        switch (obs.local().runState()) {
            case STOPPED:
                return Recovery.decide(obs, memory, cluster);
            case STARTING:
                return Recovery.whileStarting(obs, memory, cluster);
            case RUNNING:
                break;
        }
        if (cluster.leader().isEmpty()) {
            HaMemory seen = memory;
            return InvalidLeaderKey.whileHeldByNobody(obs, seen, cluster)
                    .orElseGet(() -> LeaderRace.decide(obs, seen, cluster));
        }
        if (cluster.isLeader(obs.self().name())) {
            return Leading.decide(obs, memory, cluster);
        }
        return Following.decide(obs, memory, cluster);
    }
}
