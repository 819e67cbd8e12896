package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Reason.Code;

/**
 * Before this node streams from the leader, its history must be a prefix of the leader's: a former primary that wrote
 * after a replica's promotion, or a replica that received more than the promoted node, has a forked history that no
 * amount of streaming repairs. Such a node is rewound with pg_rewind, or re-cloned where the configuration allows,
 * or stays stopped with a reason; it never starts on a forked history. Patroni's rules ({@code rewind.py},
 * {@code ha.py recover/follow}).
 *
 * <p>The check only runs when the observer reports the control file ({@link LocalPostgres#controlFile()}): without
 * it, nothing here applies and the node starts as before, as Patroni does when pg_controldata cannot be read.
 */
final class Rejoin {
    private Rejoin() {}

    /** The leader this cycle checks against, or empty when no check is due (kept in step with the decisions below). */
    static Optional<Upstream> leaderToCheck(
            ClusterView cluster, String self, LocalPostgres local, Optional<Operation> operation, HaMemory memory) {
        Optional<Member> leader = cluster.leaderMember().filter(m -> !m.name().equals(self));
        Optional<Upstream> upstream = leader.flatMap(Bootstrap::upstreamOf);
        if (upstream.isEmpty() || cluster.isPaused() || local.controlFile().isEmpty()) {
            return Optional.empty();
        }
        Operation.Phase phase = operation.map(Operation::phase).orElse(Operation.Phase.SUCCEEDED);
        if (phase == Operation.Phase.RUNNING) {
            return Optional.empty();
        }
        if (phase == Operation.Phase.FAILED) {
            // After a failed pg_rewind the answer tells whether the leader was there to rewind from.
            return operation.get().kind() == Action.Kind.REWIND ? upstream : Optional.empty();
        }
        if (leader.get().role() != MemberRole.PRIMARY || Divergence.of(local).isEmpty()) {
            return Optional.empty();
        }
        if (local.runState() == LocalPostgres.RunState.STOPPED) {
            return upstream;
        }
        return dueWhileRunning(local, leader.get(), upstream.get(), memory) ? upstream : Optional.empty();
    }

    /**
     * A running replica is checked when it is about to follow the leader, or when the leader's timeline is ahead of
     * it and it does not stream (a replica with a forked history cannot): not every cycle.
     */
    private static boolean dueWhileRunning(LocalPostgres local, Member leader, Upstream upstream, HaMemory memory) {
        boolean checked = memory.checkedAgainst()
                .map(c -> c.leader().equals(leader.name())
                        && leader.timeline().map(t -> t.equals(c.timeline())).orElse(true))
                .orElse(false);
        if (checked) {
            return false;
        }
        boolean aboutToFollow = !local.upstream().equals(Optional.of(upstream.address()));
        boolean stuckBehind = !local.streaming()
                && leader.timeline().isPresent()
                && local.timeline()
                        .map(t -> t.isBefore(leader.timeline().get()))
                        .orElse(false);
        return aboutToFollow || stuckBehind;
    }

    /**
     * PostgreSQL is stopped and another node leads: what to do before starting as its replica. Empty when the start
     * may go ahead as before (no control file, or no leader member to check against).
     */
    static Optional<Decision> beforeStart(Observation obs, HaMemory memory, ClusterView cluster) {
        String self = obs.self().name();
        LocalPostgres local = obs.local();
        Optional<Member> leader = cluster.leaderMember().filter(m -> !m.name().equals(self));
        Optional<Upstream> upstream = leader.flatMap(Bootstrap::upstreamOf);
        if (local.controlFile().isEmpty() || upstream.isEmpty()) {
            return Optional.empty();
        }
        Optional<Divergence.Position> position = Divergence.of(local);
        if (position.isEmpty() && local.controlFile().get().backupLabel()) {
            // A fresh clone: its control file is its source's; starting it finishes the backup (Patroni alike).
            return Optional.empty();
        }
        if (position.isEmpty()) {
            if (memory.rejoinFailure().isPresent()) {
                return Optional.of(withoutRewind(
                        obs, memory, cluster, memory.rejoinFailure().get(), false));
            }
            return Optional.of(Decision.of(
                    memory,
                    Reason.of(
                            Code.CRASH_RECOVERY,
                            "data directory was not shut down cleanly ("
                                    + local.controlState().orElse("unknown state")
                                    + "): crash recovery in single-user mode before checking it against "
                                    + leader.get().name()),
                    new Action.CrashRecovery()));
        }
        if (leader.get().role() != MemberRole.PRIMARY) {
            return Optional.of(
                    wait(memory, Code.CHECKING_LEADER_HISTORY, leader.get().name() + " does not run as primary yet"));
        }
        Optional<Decision> unknown = unlessKnown(obs, memory, leader.get().name());
        if (unknown.isPresent()) {
            return unknown;
        }
        LeaderTimeline.Known known = (LeaderTimeline.Known) obs.leaderTimeline().orElseThrow();
        Divergence.Verdict verdict = Divergence.check(position.get(), known);
        if (!verdict.diverged()) {
            return Optional.of(Decision.of(
                    checked(memory, known),
                    Reason.of(
                            Code.STARTING_POSTGRES,
                            "starting as a replica of " + known.leader() + ": " + verdict.detail()),
                    new Action.Start(true, upstream)));
        }
        return Optional.of(diverged(obs, memory, cluster, leader.get(), upstream.get(), verdict));
    }

    /**
     * PostgreSQL runs as a replica and another node leads: when a check was due, act on a forked history. Empty when
     * following may go on; {@link #remember} then keeps a passed check.
     */
    static Optional<Decision> whileRunning(Observation obs, HaMemory memory, ClusterView cluster) {
        Optional<Member> leader = cluster.leaderMember();
        Optional<Upstream> upstream = leader.flatMap(Bootstrap::upstreamOf);
        Optional<Divergence.Position> position = Divergence.of(obs.local());
        Optional<LeaderTimeline> fetched = obs.leaderTimeline()
                .filter(t -> leader.map(Member::name).filter(t.leader()::equals).isPresent());
        if (upstream.isEmpty() || position.isEmpty() || !(fetched.orElse(null) instanceof LeaderTimeline.Known known)) {
            // Unreachable: following goes on; a replica with a forked history cannot stream, so it is asked again.
            return Optional.empty();
        }
        Divergence.Verdict verdict = Divergence.check(position.get(), known);
        if (!verdict.diverged()) {
            return Optional.empty();
        }
        return Optional.of(diverged(obs, memory, cluster, leader.get(), upstream.get(), verdict));
    }

    /** Memory after a running replica's check passed, so the same leader and timeline are not checked again. */
    static HaMemory remember(Observation obs, HaMemory memory) {
        if (obs.leaderTimeline().orElse(null) instanceof LeaderTimeline.Known known) {
            return checked(memory, known);
        }
        return memory;
    }

    /** A pg_rewind or crash recovery failed. */
    static Decision afterFailure(Observation obs, HaMemory memory, Operation operation) {
        String error = operation.error().orElse("no detail");
        if (operation.kind() == Action.Kind.CRASH_RECOVERY) {
            String failure = "crash recovery failed: " + error;
            return wait(memory.withRejoinFailure(Optional.of(failure)), Code.REJOIN_FAILED, failure);
        }
        Optional<LeaderTimeline> leader = obs.leaderTimeline();
        if (leader.isPresent() && leader.get() instanceof LeaderTimeline.Known known) {
            String failure = "pg_rewind from " + known.leader() + " failed: " + error;
            return wait(memory.withRejoinFailure(Optional.of(failure)), Code.REJOIN_FAILED, failure);
        }
        // The leader went away during the rewind: nothing is known about the rewind itself, try again later.
        return wait(
                memory,
                Code.REJOIN_FAILED,
                "pg_rewind failed while the leader was not reachable, will retry: " + error);
    }

    /** Empty when the leader's timeline is known this cycle; else the decision to wait for it. */
    private static Optional<Decision> unlessKnown(Observation obs, HaMemory memory, String leader) {
        Optional<LeaderTimeline> fetched =
                obs.leaderTimeline().filter(t -> t.leader().equals(leader));
        if (fetched.isEmpty()) {
            return Optional.of(
                    wait(memory, Code.CHECKING_LEADER_HISTORY, "checking " + leader + "'s timeline history"));
        }
        if (fetched.get() instanceof LeaderTimeline.Unreachable unreachable) {
            return Optional.of(wait(
                    memory,
                    Code.LEADER_HISTORY_UNAVAILABLE,
                    "cannot read " + leader + "'s timeline history (" + unreachable.error()
                            + "); not starting before this node's history is checked against it"));
        }
        return Optional.empty();
    }

    /** The histories forked: rewind, re-clone, or stay out of the way. */
    private static Decision diverged(
            Observation obs,
            HaMemory memory,
            ClusterView cluster,
            Member leader,
            Upstream upstream,
            Divergence.Verdict verdict) {
        HaSettings settings = obs.settings();
        LocalPostgres local = obs.local();
        boolean justRewound = obs.operation()
                .filter(op -> op.kind() == Action.Kind.REWIND && op.phase() == Operation.Phase.SUCCEEDED)
                .isPresent();
        if (justRewound) {
            // pg_rewind found nothing to do, or did not do enough: a second run would not do better.
            memory = memory.withRejoinFailure(
                    Optional.of("pg_rewind from " + leader.name() + " finished but the histories still differ"));
        }
        boolean rewindable =
                local.controlFile().map(LocalPostgres.ControlFile::rewindable).orElse(false);
        if (settings.usePgRewind() && rewindable && memory.rejoinFailure().isEmpty()) {
            if (leader.checkpointAfterPromote().equals(Optional.of(false))) {
                return wait(
                        memory,
                        Code.WAITING_FOR_LEADER_CHECKPOINT,
                        verdict.detail() + "; waiting for " + leader.name() + "'s checkpoint after its promotion");
            }
            boolean stoppedUncleanly = !local.isRunning()
                    && !local.controlState()
                            .map(Divergence.CLEAN_STATES::contains)
                            .orElse(false);
            if (stoppedUncleanly) {
                return Decision.of(
                        memory,
                        Reason.of(
                                Code.CRASH_RECOVERY,
                                verdict.detail() + "; crash recovery first: pg_rewind needs a" + " clean shutdown"),
                        new Action.CrashRecovery());
            }
            return Decision.of(
                    memory,
                    Reason.of(Code.REWINDING, verdict.detail() + "; rewinding from " + leader.name()),
                    new Action.Rewind(upstream));
        }
        String whyNot = memory.rejoinFailure()
                .orElseGet(() -> !settings.usePgRewind()
                        ? "use_pg_rewind is off"
                        : "pg_rewind needs wal_log_hints or data checksums");
        return withoutRewind(obs, memory, cluster, verdict.detail() + "; " + whyNot, local.isRunning());
    }

    /** pg_rewind is not an option: re-clone if the configuration allows it, else stay away from the leader. */
    private static Decision withoutRewind(
            Observation obs, HaMemory memory, ClusterView cluster, String why, boolean running) {
        HaSettings settings = obs.settings();
        boolean reinitialize = settings.removeDataDirectoryOnDivergedTimelines()
                || (memory.rejoinFailure().isPresent() && settings.removeDataDirectoryOnRewindFailure());
        if (reinitialize) {
            Optional<Upstream> source = Bootstrap.cloneSource(obs.self().name(), cluster);
            if (source.isEmpty()) {
                return wait(memory, Code.REINITIALIZING, why + "; no running member to clone from yet");
            }
            return Decision.of(
                    memory.withRejoinFailure(Optional.empty()),
                    Reason.of(
                            Code.REINITIALIZING,
                            why + "; removing the data directory and cloning from "
                                    + source.get().member()),
                    new Action.Reinitialize(source.get()));
        }
        String detail = why + "; remove_data_directory_on_diverged_timelines is off: reinitialize this member by hand";
        if (running) {
            // A replica with a forked history serves data the cluster never had and must never win a leader race.
            return Decision.of(
                    memory,
                    Reason.of(Code.DIVERGED_CANNOT_REJOIN, detail + " (stopping it)"),
                    new Action.Stop(StopMode.FAST));
        }
        return wait(memory, Code.DIVERGED_CANNOT_REJOIN, detail + " (staying stopped)");
    }

    private static HaMemory checked(HaMemory memory, LeaderTimeline.Known known) {
        return memory.withRejoinFailure(Optional.empty())
                .withCheckedAgainst(Optional.of(new HaMemory.CheckedLeader(known.leader(), known.timeline())));
    }

    private static Decision wait(HaMemory memory, Code code, String detail) {
        return Decision.of(memory, Reason.of(code, detail));
    }
}
