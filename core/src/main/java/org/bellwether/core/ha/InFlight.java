package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ha.Reason.Code;

/** A long PostgreSQL operation is running, or has just failed. The leader keeps its lock alive meanwhile. */
final class InFlight {
    private InFlight() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster, Operation operation) {
        Reason reason = Reason.of(
                Code.OPERATION_IN_PROGRESS, operation.kind().name().toLowerCase(java.util.Locale.ROOT) + " running");
        if (cluster.isLeader(obs.self().name())) {
            return Decision.of(memory, reason, new Action.RenewLeaderLock());
        }
        return Decision.of(memory, reason);
    }

    static Decision afterFailure(Observation obs, HaMemory memory, ClusterView cluster, Operation operation) {
        String what = operation.kind().name().toLowerCase(java.util.Locale.ROOT) + " failed: "
                + operation.error().orElse("no detail");
        if (operation.kind() == Action.Kind.BOOTSTRAP && memory.bootstrapping()) {
            return Decision.of(
                    memory.withBootstrapping(false),
                    Reason.of(Code.BOOTSTRAP_FAILED, what),
                    new Action.CancelInitialize());
        }
        if (operation.kind() == Action.Kind.REWIND || operation.kind() == Action.Kind.CRASH_RECOVERY) {
            return Rejoin.afterFailure(obs, memory, operation);
        }
        boolean leader = cluster.isLeader(obs.self().name());
        if (leader && !obs.local().isPrimary() && operation.kind() != Action.Kind.PROMOTE) {
            // A leader that cannot run PostgreSQL gives the lock to a replica that can.
            return Decision.of(
                    memory.withPrimaryStartDeadline(Optional.empty()),
                    Reason.of(Code.OPERATION_FAILED, what),
                    new Action.ReleaseLeaderLock());
        }
        return Decision.of(memory, Reason.of(Code.OPERATION_FAILED, what));
    }
}
