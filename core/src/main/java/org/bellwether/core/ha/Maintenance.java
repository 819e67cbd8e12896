package org.bellwether.core.ha;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.NodeRequest.Body;
import org.bellwether.core.ha.Reason.Code;
import org.bellwether.core.ha.RequestAnswer.Result;

/**
 * What an operator asked of this node (restart now or later, reload, reinitialize) and the restart it scheduled. Runs
 * before the usual decision so that a request is answered in the cycle that sees it, Patroni's way: refused while
 * another operation runs, done otherwise. A request that only changes what the node remembers (scheduling or
 * cancelling a restart) is answered on top of the usual decision. A reload waits, unanswered, for a cycle without a
 * PostgreSQL operation.
 */
final class Maintenance {
    private Maintenance() {}

    static Optional<Decision> decide(Observation obs, HaMemory memory, ClusterView cluster) {
        Optional<NodeRequest> request = obs.ops().request();
        if (request.isPresent()) {
            return answer(obs, memory, cluster, request.get());
        }
        return scheduledRestart(obs, memory, cluster);
    }

    private static Optional<Decision> answer(
            Observation obs, HaMemory memory, ClusterView cluster, NodeRequest request) {
        Body body = request.body();
        if (body instanceof NodeRequest.Reload) {
            return reload(obs, memory, request);
        }
        if (body instanceof NodeRequest.ScheduleRestart || body instanceof NodeRequest.CancelScheduledRestart) {
            return Optional.of(schedule(obs, memory, request));
        }
        Optional<String> refusal = busy(obs, memory).or(() -> refusal(obs, cluster, body));
        if (refusal.isPresent()) {
            return Optional.of(Decision.of(memory, Reason.of(Code.REQUEST_ANSWERED, refusal.get()))
                    .withAnswer(RequestAnswer.of(request, Result.REFUSED, refusal.get())));
        }
        if (body instanceof NodeRequest.Restart) {
            return Optional.of(restart(obs, memory, cluster, "restart requested")
                    .withAnswer(RequestAnswer.of(request, Result.STARTED, "restart initiated")));
        }
        boolean fromLeader = ((NodeRequest.Reinitialize) body).fromLeader();
        Upstream source = (fromLeader
                        ? cluster.leaderMember().flatMap(Bootstrap::upstreamOf)
                        : Bootstrap.cloneSource(obs.self().name(), cluster))
                .orElseThrow();
        return Optional.of(Decision.of(
                        memory,
                        Reason.of(
                                Code.REINITIALIZING_ON_REQUEST,
                                "reinitializing: cloning again from " + source.member()),
                        new Action.Reinitialize(source))
                .withAnswer(RequestAnswer.of(request, Result.STARTED, "reinitialize started")));
    }

    /** Reload on top of the usual decision, in a cycle without a PostgreSQL operation (else it waits). */
    private static Optional<Decision> reload(Observation obs, HaMemory memory, NodeRequest request) {
        if (busy(obs, memory).isPresent()) {
            return Optional.empty();
        }
        Decision usual = HaDecider.decide(obs.withOps(obs.ops().withoutRequest()), memory);
        if (usual.plan().stream().anyMatch(a -> a.kind().isLongOperation())) {
            return Optional.empty();
        }
        List<Action> plan = new ArrayList<>(usual.plan());
        plan.add(new Action.Reload());
        return Optional.of(new Decision(plan, usual.next(), usual.reason())
                .withAnswer(RequestAnswer.of(request, Result.DONE, "reloaded")));
    }

    /** Scheduling or cancelling a restart changes only memory: answered on top of the usual decision. */
    private static Decision schedule(Observation obs, HaMemory memory, NodeRequest request) {
        Observation rest = obs.withOps(obs.ops().withoutRequest());
        Optional<ScheduledRestart> current = memory.ops().scheduledRestart();
        if (request.body() instanceof NodeRequest.ScheduleRestart schedule) {
            if (current.isPresent()) {
                return HaDecider.decide(rest, memory)
                        .withAnswer(RequestAnswer.of(request, Result.CONFLICT, "Another restart is already scheduled"));
            }
            ScheduledRestart later = new ScheduledRestart(
                    schedule.at(), schedule.conditions(), obs.local().postmasterStartTime());
            return HaDecider.decide(rest, memory.withOps(memory.ops().withScheduledRestart(Optional.of(later))))
                    .withAnswer(RequestAnswer.of(request, Result.SCHEDULED, "Restart scheduled"));
        }
        if (current.isEmpty()) {
            return HaDecider.decide(rest, memory)
                    .withAnswer(RequestAnswer.of(request, Result.NOT_FOUND, "no restarts are scheduled"));
        }
        return HaDecider.decide(rest, memory.withOps(memory.ops().withScheduledRestart(Optional.empty())))
                .withAnswer(RequestAnswer.of(request, Result.DONE, "scheduled restart deleted"));
    }

    /** Why a restart or reinitialize request cannot be done at all, as the operator should read it. */
    private static Optional<String> refusal(Observation obs, ClusterView cluster, Body body) {
        if (body instanceof NodeRequest.Restart restart) {
            if (obs.local().dataDirectory() == LocalPostgres.DataDirectory.MISSING_OR_EMPTY) {
                return Optional.of("PostgreSQL has no data directory yet, there is nothing to restart");
            }
            return conditionsMismatch(obs, restart.conditions())
                    .map(why -> "restart conditions are not satisfied: " + why);
        }
        String me = obs.self().name();
        if (cluster.leader().isEmpty()) {
            return Optional.of("Cluster has no leader, can not reinitialize");
        }
        if (cluster.isLeader(me)) {
            return Optional.of("I am the leader, can not reinitialize");
        }
        boolean fromLeader = ((NodeRequest.Reinitialize) body).fromLeader();
        Optional<Upstream> source =
                fromLeader ? cluster.leaderMember().flatMap(Bootstrap::upstreamOf) : Bootstrap.cloneSource(me, cluster);
        if (source.isEmpty()) {
            return Optional.of("no running member to clone from, can not reinitialize");
        }
        return Optional.empty();
    }

    /** Patroni's "... already in progress": an operation runs, or a switchover is being handed over. */
    private static Optional<String> busy(Observation obs, HaMemory memory) {
        Optional<Operation> op = obs.operation().filter(Operation::isRunning);
        if (op.isPresent()) {
            return Optional.of(op.get().kind().name().toLowerCase(Locale.ROOT) + " already in progress");
        }
        if (memory.ops().handover().isPresent()) {
            return Optional.of("switchover already in progress");
        }
        return Optional.empty();
    }

    /** The restart filters that do not hold for this node, as Patroni names them; empty when all hold. */
    static Optional<String> conditionsMismatch(Observation obs, RestartConditions conditions) {
        LocalPostgres local = obs.local();
        MemberRole role = local.isRunning() && !local.inRecovery() ? MemberRole.PRIMARY : MemberRole.REPLICA;
        if (conditions.role().isPresent() && conditions.role().get() != role) {
            return Optional.of("host role mismatch (" + role.wire() + ")");
        }
        if (conditions.belowVersion().isPresent()
                && local.serverVersion()
                        .map(v -> conditions.belowVersion().getAsInt() <= v)
                        .orElse(false)) {
            return Optional.of(
                    "postgres version mismatch (" + local.serverVersion().get() + ")");
        }
        if (conditions.onlyIfPending() && !obs.ops().pendingRestart().isPending()) {
            return Optional.of("pending restart flag is not set");
        }
        return Optional.empty();
    }

    /**
     * Restart in the role the node has: the leader keeps renewing its lock while PostgreSQL restarts; a synchronous
     * standby first asks the leader to let it go.
     */
    private static Decision restart(Observation obs, HaMemory memory, ClusterView cluster, String why) {
        String me = obs.self().name();
        boolean leader = cluster.isLeader(me);
        boolean asReplica = obs.local().isRunning() ? obs.local().inRecovery() : !leader;
        Optional<Upstream> upstream = asReplica ? Cascade.upstreamFor(obs.self(), cluster) : Optional.empty();
        boolean releaseSyncFirst = SyncStandbyRelease.isNeeded(cluster, obs.local(), me, obs.settings());
        Action restart = new Action.Restart(asReplica, upstream, releaseSyncFirst);
        Reason reason = Reason.of(Code.RESTARTING, why + ": restarting PostgreSQL");
        return leader
                ? Decision.of(memory, reason, new Action.RenewLeaderLock(), restart)
                : Decision.of(memory, reason, restart);
    }

    /**
     * A restart scheduled earlier: run it when its time has come (Patroni: within loop_wait; here at the time, the
     * loop looking often when it is near), drop it when stale (over 1.5 loop_wait late), when PostgreSQL restarted
     * meanwhile, or when its conditions no longer hold. Not while paused, as in Patroni.
     */
    private static Optional<Decision> scheduledRestart(Observation obs, HaMemory memory, ClusterView cluster) {
        Optional<ScheduledRestart> scheduled = memory.ops().scheduledRestart();
        if (scheduled.isEmpty() || busy(obs, memory).isPresent() || cluster.isPaused()) {
            return Optional.empty();
        }
        ScheduledRestart restart = scheduled.get();
        HaMemory without = memory.withOps(memory.ops().withScheduledRestart(Optional.empty()));
        Optional<java.time.Instant> started = obs.local().postmasterStartTime();
        if (started.isPresent()
                && restart.postmasterStartTime().isPresent()
                && !started.equals(restart.postmasterStartTime())) {
            return Optional.of(dropped(obs, without, "PostgreSQL restarted at " + started.get() + " already"));
        }
        if (restart.at().isAfter(obs.wallTime())) {
            return Optional.empty();
        }
        Duration late = Duration.between(restart.at(), obs.wallTime());
        if (late.compareTo(obs.settings().loopWait().multipliedBy(3).dividedBy(2)) > 0) {
            return Optional.of(dropped(obs, without, "it is stale (" + late.toSeconds() + " s late)"));
        }
        Optional<String> mismatch = conditionsMismatch(obs, restart.conditions());
        if (mismatch.isPresent()) {
            return Optional.of(dropped(obs, without, mismatch.get()));
        }
        return Optional.of(restart(obs, without, cluster, "scheduled restart at " + restart.at()));
    }

    private static Decision dropped(Observation obs, HaMemory without, String why) {
        Decision usual = HaDecider.decide(obs, without);
        return new Decision(
                usual.plan(),
                usual.next(),
                Reason.of(Code.RESTART_SKIPPED, "scheduled restart dropped: " + why + "; " + usual.reason()));
    }
}
