package org.bellwether.core.ha;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Reason.Code;

/**
 * The leader's PostgreSQL is not running (it crashed, or was stopped behind the agent's back): start it again in
 * place, keeping the lock, for at most {@code primary_start_timeout} (Patroni's {@code recover()}). When that runs
 * out, or is 0, and a replica could take over, the lock goes to the replicas instead; PostgreSQL is always stopped
 * before the lock is released, so the old primary cannot come up beside a new one.
 */
final class PrimaryRestart {
    /** {@code pg_controldata} states of a cluster that last ran as a primary. */
    private static final Set<String> PRIMARY_STATES =
            Set.of("in production", "shut down", "shutting down", "in crash recovery");

    private PrimaryRestart() {}

    /** PostgreSQL is stopped and this node holds the lock. */
    static Decision whileStopped(Observation obs, HaMemory memory, ClusterView cluster) {
        Duration timeout = obs.settings().primaryStartTimeout();
        boolean failoverPossible = failoverPossible(cluster, obs.self().name());
        Duration deadline = memory.primaryStartDeadline().orElse(obs.now().plus(timeout));
        Duration left = deadline.minus(obs.now());
        if (failoverPossible && (timeout.isZero() || (left.isZero() || left.isNegative()))) {
            return Decision.of(
                    memory.withPrimaryStartDeadline(Optional.empty()),
                    Reason.of(
                            Code.PRIMARY_START_TIMEOUT,
                            timeout.isZero()
                                    ? "PostgreSQL is down and primary_start_timeout is 0: failing over"
                                    : "PostgreSQL did not start within primary_start_timeout (" + timeout.toSeconds()
                                            + " s): failing over"),
                    new Action.ReleaseLeaderLock());
        }
        boolean wasPrimary =
                obs.local().controlState().map(PRIMARY_STATES::contains).orElse(false);
        // Without a replica to hand over to, waiting longer is better than no primary at all: no time limit then.
        Optional<Duration> waitAtMost = failoverPossible ? Optional.of(left) : Optional.empty();
        return Decision.of(
                memory.withPrimaryStartDeadline(Optional.of(deadline)),
                Reason.of(Code.STARTING_POSTGRES, "starting PostgreSQL as the leader"),
                new Action.RenewLeaderLock(),
                new Action.Start(!wasPrimary, Optional.empty(), waitAtMost));
    }

    /** The postmaster lives but does not accept connections yet, and this node holds the lock. */
    static Decision whileStarting(Observation obs, HaMemory memory, ClusterView cluster) {
        Duration deadline = memory.primaryStartDeadline()
                .orElse(obs.now().plus(obs.settings().primaryStartTimeout()));
        HaMemory next = memory.withPrimaryStartDeadline(Optional.of(deadline));
        if (obs.now().compareTo(deadline) >= 0
                && failoverPossible(cluster, obs.self().name())) {
            // Stop first, still holding the lock; the next cycle finds it stopped past the deadline and releases.
            return Decision.of(
                    next,
                    Reason.of(
                            Code.PRIMARY_START_TIMEOUT,
                            "PostgreSQL did not start within primary_start_timeout:" + " stopping it to fail over"),
                    new Action.RenewLeaderLock(),
                    new Action.Stop(StopMode.IMMEDIATE));
        }
        return Decision.of(
                next, Reason.of(Code.POSTGRES_STARTING, "PostgreSQL is starting"), new Action.RenewLeaderLock());
    }

    /** Another member runs as a replica and may become leader (Patroni also asks it; its member key suffices here). */
    static boolean failoverPossible(ClusterView cluster, String self) {
        for (Member m : cluster.members()) {
            if (!m.name().equals(self)
                    && m.role() == MemberRole.REPLICA
                    && m.state().equals("running")
                    && m.tags().canBecomeLeader()) {
                return true;
            }
        }
        return false;
    }
}
