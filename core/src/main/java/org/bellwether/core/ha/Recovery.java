package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Reason.Code;

/**
 * PostgreSQL is not running: start it in the role the DCS gives this node; the leader through
 * {@link PrimaryRestart}, a replica after {@link Rejoin} found its history compatible with the leader's.
 */
final class Recovery {
    private Recovery() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        String name = obs.self().name();
        if (cluster.isLeader(name)) {
            return PrimaryRestart.whileStopped(obs, memory, cluster);
        }
        memory = memory.withPrimaryStartDeadline(Optional.empty());
        Optional<Decision> rejoin = Rejoin.beforeStart(obs, memory, cluster);
        if (rejoin.isPresent()) {
            return rejoin.get();
        }
        Optional<Upstream> upstream = Cascade.upstreamFor(obs.self(), cluster);
        String detail = upstream.map(u -> "starting as a replica of " + u.member())
                .orElse("starting as a replica: no leader yet");
        return Decision.of(memory, Reason.of(Code.STARTING_POSTGRES, detail), new Action.Start(true, upstream));
    }

    static Decision whileStarting(Observation obs, HaMemory memory, ClusterView cluster) {
        Reason reason = Reason.of(Code.POSTGRES_STARTING, "PostgreSQL is starting");
        if (cluster.isLeader(obs.self().name())) {
            return PrimaryRestart.whileStarting(obs, memory, cluster);
        }
        return Decision.of(memory, reason);
    }
}
