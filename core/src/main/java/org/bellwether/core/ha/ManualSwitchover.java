package org.bellwether.core.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.OpsMemory.Handover;
import org.bellwether.core.ha.Reason.Code;

/**
 * The {@code failover} key: an operator's switchover or failover (Patroni 3.5).
 *
 * <p>On the leader, a graceful switchover runs over several cycles. Once a candidate streams from it, the leader
 * stops PostgreSQL (fast, so the replicas stream everything up to the shutdown checkpoint) while still holding and
 * renewing the lock; once a candidate reports it received WAL past the shutdown checkpoint, the leader releases the
 * lock and starts as a replica of that candidate. Its history is then a prefix of the candidate's: no pg_rewind, no
 * clone. If no candidate gets there in time, it starts again as the primary it still is, and clears the request.
 *
 * <p>Without a leader, the key decides who races: the named candidate alone while it is healthy; otherwise every
 * eligible member but the former leader, without the lag limit.
 */
final class ManualSwitchover {
    /** How long a stopped leader waits for a candidate to report the shutdown checkpoint, at least. */
    private static final Duration MIN_HANDOVER_WAIT = Duration.ofSeconds(5);
    /**
     * How long a leader waits for a candidate to stream from it before it stops PostgreSQL anyway: long enough for a
     * WAL receiver to retry ({@code wal_retrieve_retry_interval}, 5 s by default) and connect. While a switchover is
     * due the leader looks often, whatever loop_wait is.
     */
    private static final Duration STREAM_WAIT = Duration.ofSeconds(10);

    private ManualSwitchover() {}

    /**
     * The leader, PostgreSQL running as primary, acts on the key after renewing the lock; empty when there is no key
     * or its time has not come. {@code asUsual} is what it does otherwise, and goes on doing while it waits.
     */
    static Optional<Decision> fromLeader(Observation obs, HaMemory memory, ClusterView cluster, Decision asUsual) {
        Optional<FailoverIntent> key = SwitchoverPolicy.activeRequest(cluster);
        if (key.isEmpty()) {
            return forgetCandidateWait(asUsual);
        }
        FailoverIntent request = key.get();
        String me = obs.self().name();
        HaSettings settings = obs.settings();
        String action = request.leader().isPresent() ? "switchover" : "failover";
        if (request.scheduledAt().isPresent()) {
            Instant at = request.scheduledAt().get();
            if (at.isAfter(obs.wallTime())) {
                return Optional.empty();
            }
            Duration late = Duration.between(at, obs.wallTime());
            if (late.compareTo(settings.loopWait().multipliedBy(3).dividedBy(2)) > 0) {
                return Optional.of(clear(
                        memory,
                        request,
                        "found a stale scheduled " + action + " (" + at + ", " + late.toSeconds()
                                + " s ago), cleaning up"));
            }
        }
        if (request.leader().isPresent() && !request.leader().get().equals(me)) {
            return Optional.of(clear(
                    memory,
                    request,
                    action + ": leader name does not match: " + request.leader().get() + " != " + me));
        }
        if (request.candidate().filter(me::equals).isPresent()) {
            return Optional.of(clear(memory, request, action + ": I am already the leader"));
        }
        if (request.candidate().isEmpty() && cluster.isPaused()) {
            return Optional.of(
                    clear(memory, request, action + " is possible only to a specific candidate in a paused state"));
        }
        List<String> problems = new ArrayList<>();
        List<Member> candidates = eligible(obs, cluster, request, obs.local().writeLsn(), problems);
        if (candidates.isEmpty()) {
            return Optional.of(clear(
                    memory,
                    request,
                    action + " is not possible: no member can take over (" + String.join("; ", problems) + ")"));
        }
        Optional<Decision> notStreaming = awaitStreamingCandidate(obs, cluster, request, candidates, action, asUsual);
        if (notStreaming.isPresent()) {
            return notStreaming;
        }
        Handover handover = new Handover(request.candidate(), obs.now());
        return Optional.of(Decision.of(
                memory.withOps(memory.ops().withCandidateWait(Optional.empty()).withHandover(Optional.of(handover))),
                Reason.of(
                        Code.SWITCHOVER_DEMOTING,
                        action + " to " + request.candidate().orElse("any eligible member")
                                + ": stopping PostgreSQL (fast) for a shutdown checkpoint"),
                new Action.RenewLeaderLock(),
                new Action.Stop(StopMode.FAST)));
    }

    /**
     * Before stopping PostgreSQL, a candidate must stream from this node: only then does the walsender that ships the
     * shutdown checkpoint exist. A replica reports {@code streaming} as soon as its WAL receiver starts, before the
     * leader has accepted it (a missing slot, a new timeline not yet fetched), and one that is not connected when the
     * leader stops never receives the checkpoint, so the switchover would fail after a write outage. Waiting costs
     * nothing: the primary keeps running. Past the limit (a candidate streaming through a cascade, say) the stop goes
     * ahead and the hand-over decides as before. Empty when the stop may go ahead.
     */
    private static Optional<Decision> awaitStreamingCandidate(
            Observation obs,
            ClusterView cluster,
            FailoverIntent request,
            List<Member> candidates,
            String action,
            Decision asUsual) {
        if (candidates.stream().anyMatch(m -> streamsFromHere(obs.local(), cluster, m))) {
            return Optional.empty();
        }
        HaMemory memory = asUsual.next();
        Duration since = memory.ops()
                .candidateWait()
                .filter(w -> w.requestVersion() == request.version())
                .map(OpsMemory.CandidateWait::since)
                .orElse(obs.now());
        if (obs.now().minus(since).compareTo(STREAM_WAIT) >= 0) {
            return Optional.empty();
        }
        String names = String.join(", ", candidates.stream().map(Member::name).toList());
        OpsMemory.CandidateWait wait = new OpsMemory.CandidateWait(request.version(), since);
        // The leader goes on leading meanwhile: the slot the candidate needs may be the one it is about to create.
        return Optional.of(new Decision(
                asUsual.plan(),
                memory.withOps(memory.ops().withCandidateWait(Optional.of(wait))),
                Reason.of(
                        Code.SWITCHOVER_WAITING_FOR_CANDIDATE,
                        action + ": waiting (at most " + STREAM_WAIT.toSeconds() + " s) for " + names
                                + " to stream from this node before stopping PostgreSQL")));
    }

    /** A request that went away (done, withdrawn, cleared) while the leader waited: a later one waits afresh. */
    private static Optional<Decision> forgetCandidateWait(Decision asUsual) {
        OpsMemory ops = asUsual.next().ops();
        if (ops.candidateWait().isEmpty()) {
            return Optional.empty();
        }
        HaMemory next = asUsual.next().withOps(ops.withCandidateWait(Optional.empty()));
        return Optional.of(new Decision(asUsual.plan(), next, asUsual.reason(), asUsual.answer()));
    }

    /** Whether the walsender for this member streams, or the member streams through another replica instead. */
    private static boolean streamsFromHere(LocalPostgres local, ClusterView cluster, Member m) {
        if (Cascade.streamsThroughAnother(m, cluster)) {
            return true;
        }
        return local.replication().stream()
                .anyMatch(r -> r.applicationName().equals(m.name()) && r.state().equals("streaming"));
    }

    /**
     * The leader stopped PostgreSQL for a switchover: hand the lock over once a candidate has the shutdown checkpoint.
     * Empty when there is no hand-over under way any more (the caller forgets it and decides as usual).
     */
    static Optional<Decision> continueHandover(Observation obs, HaMemory memory, ClusterView cluster) {
        Optional<Handover> handover = memory.ops().handover();
        if (handover.isEmpty()
                || !cluster.isLeader(obs.self().name())
                || obs.local().runState() == LocalPostgres.RunState.RUNNING) {
            // Lost the lock, or the stop never happened (the plan stopped before it): nothing to hand over.
            return Optional.empty();
        }
        Duration waited = obs.now().minus(handover.get().since());
        Duration limit = handoverWait(obs.settings());
        if (obs.local().runState() == LocalPostgres.RunState.STARTING) {
            // A postmaster that no longer answers: still shutting down (the observation can predate the end of the
            // stop it reports as finished). Keep the lock and look again; past the limit, decide as usual.
            return waited.compareTo(limit) >= 0
                    ? Optional.empty()
                    : Optional.of(Decision.of(
                            memory,
                            Reason.of(Code.SWITCHOVER_WAITING_FOR_CANDIDATE, "PostgreSQL is still shutting down"),
                            new Action.RenewLeaderLock()));
        }
        HaMemory done = forgetHandover(memory);
        Optional<Lsn> checkpoint = obs.ops().shutdownCheckpoint();
        Optional<Member> target = checkpoint.flatMap(lsn -> receivedPast(obs, cluster, handover.get(), lsn));
        if (target.isPresent() && Bootstrap.upstreamOf(target.get()).isPresent()) {
            return Optional.of(Decision.of(
                    done,
                    Reason.of(
                            Code.SWITCHOVER_HANDING_OVER,
                            target.get().name() + " received the shutdown checkpoint at " + checkpoint.get()
                                    + ": releasing the lock, following it"),
                    new Action.ReleaseLeaderLock(),
                    new Action.Start(true, Bootstrap.upstreamOf(target.get()))));
        }
        String awaited = handover.get().candidate().orElse("a candidate");
        if (waited.compareTo(limit) >= 0) {
            List<Action> plan = new ArrayList<>(List.of(new Action.RenewLeaderLock()));
            SwitchoverPolicy.activeRequest(cluster)
                    .ifPresent(f -> plan.add(new Action.ClearFailover(OptionalLong.of(f.version()))));
            plan.add(new Action.Start(false, Optional.empty()));
            return Optional.of(new Decision(
                    plan,
                    done,
                    Reason.of(
                            Code.SWITCHOVER_ABORTED,
                            awaited + " did not report the shutdown checkpoint"
                                    + checkpoint.map(c -> " at " + c).orElse("") + " within " + limit.toSeconds()
                                    + " s; starting again as the primary")));
        }
        return Optional.of(Decision.of(
                memory,
                Reason.of(
                        Code.SWITCHOVER_WAITING_FOR_CANDIDATE,
                        "waiting for " + awaited + " to receive the shutdown checkpoint"
                                + checkpoint.map(c -> " at " + c).orElse("")),
                new Action.RenewLeaderLock()));
    }

    static HaMemory forgetHandover(HaMemory memory) {
        return memory.ops().handover().isEmpty()
                ? memory
                : memory.withOps(memory.ops().withHandover(Optional.empty()));
    }

    /**
     * A replica, the lock free and a request in the key: who may race. The lag limit does not apply: the operator
     * asked for this member, or for any member but the leader that stepped down.
     */
    static Decision race(Observation obs, HaMemory memory, ClusterView cluster) {
        FailoverIntent request = SwitchoverPolicy.activeRequest(cluster).orElseThrow();
        String me = obs.self().name();
        if (request.candidate().filter(me::equals).isPresent()) {
            return takeOver(obs, cluster, memory, "named in the " + describe(request) + " request, taking the lock");
        }
        if (request.candidate().isPresent()) {
            String candidate = request.candidate().get();
            Optional<Member> member = cluster.member(candidate);
            if (member.isPresent()
                    && SwitchoverPolicy.whyNotEligible(
                                    member.get(),
                                    Optional.ofNullable(obs.peers().get(candidate)),
                                    cluster,
                                    obs.settings(),
                                    Optional.empty())
                            .isEmpty()) {
                return Decision.of(
                        memory,
                        Reason.of(
                                Code.SWITCHOVER_TO_OTHER_MEMBER,
                                "the " + describe(request) + " request names " + candidate + ", which is healthy"));
            }
        }
        // A candidate still named here did not pass the check above: the rest race as if none had been named.
        Optional<String> unhealthy = request.candidate();
        if (request.leader().isPresent()
                && SwitchoverPolicy.synchronousStandbysOnly(cluster)
                && !SwitchoverPolicy.isSyncStandby(cluster, me)) {
            return Decision.of(
                    memory, Reason.of(Code.NOT_ELIGIBLE_FOR_LEADERSHIP, "synchronous mode: not a synchronous standby"));
        }
        if (request.leader().filter(me::equals).isPresent()) {
            FailoverIntent others = new FailoverIntent(request.leader(), Optional.empty(), Optional.empty(), 0);
            List<Member> healthy = eligible(obs, cluster, others, Optional.empty(), new ArrayList<>()).stream()
                    .filter(m -> !unhealthy.equals(Optional.of(m.name())))
                    .toList();
            if (!healthy.isEmpty()) {
                return Decision.of(
                        memory,
                        Reason.of(
                                Code.SWITCHOVER_TO_OTHER_MEMBER,
                                "stepped down as leader; " + healthy.get(0).name() + " can take over"));
            }
            return takeOver(obs, cluster, memory, "stepped down as leader, but no other member can take over");
        }
        Optional<Reason> notHealthiest =
                LeaderRace.whyNotHealthiest(obs, cluster, cluster.timelineFromHistory(), false, request.leader());
        if (notHealthiest.isPresent()) {
            return Decision.of(memory, notHealthiest.get());
        }
        return takeOver(
                obs,
                cluster,
                memory,
                unhealthy
                        .map(c -> "candidate " + c + " is not healthy; the healthiest of the rest takes the lock")
                        .orElse("healthiest member for the " + describe(request) + ", taking the lock"));
    }

    private static Decision takeOver(Observation obs, ClusterView cluster, HaMemory memory, String detail) {
        List<Action> plan = new ArrayList<>();
        plan.add(new Action.AcquireLeaderLock());
        // Cleared without a version: whoever holds the lock now has done what the key asked.
        plan.add(new Action.ClearFailover(OptionalLong.empty()));
        plan.addAll(SyncReplication.beforePromote(obs, cluster));
        plan.add(new Action.Promote());
        return new Decision(plan, memory, Reason.of(Code.SWITCHOVER_TAKING_OVER, detail));
    }

    /** The members that may take over now, most advanced first; why the others may not, in {@code problems}. */
    private static List<Member> eligible(
            Observation obs,
            ClusterView cluster,
            FailoverIntent request,
            Optional<Lsn> lagReference,
            List<String> problems) {
        List<Member> ok = new ArrayList<>();
        for (Member m : SwitchoverPolicy.candidates(cluster, request.leader(), request.candidate())) {
            if (m.name().equals(obs.self().name())) {
                continue;
            }
            Optional<PeerStatus> status = Optional.ofNullable(obs.peers().get(m.name()));
            Optional<String> why = SwitchoverPolicy.whyNotEligible(m, status, cluster, obs.settings(), lagReference);
            if (why.isPresent()) {
                problems.add(m.name() + " " + why.get());
            } else {
                ok.add(m);
            }
        }
        ok.sort(Comparator.comparing((Member m) -> position(obs, m)).reversed().thenComparing(Member::name));
        return ok;
    }

    /** A candidate that has received WAL past the shutdown checkpoint, so it holds everything this node wrote. */
    private static Optional<Member> receivedPast(
            Observation obs, ClusterView cluster, Handover handover, Lsn checkpoint) {
        FailoverIntent wanted =
                new FailoverIntent(Optional.of(obs.self().name()), handover.candidate(), Optional.empty(), 0);
        return eligible(obs, cluster, wanted, Optional.empty(), new ArrayList<>()).stream()
                .filter(m -> position(obs, m).isAfter(checkpoint))
                .findFirst();
    }

    private static Lsn position(Observation obs, Member m) {
        return Optional.ofNullable(obs.peers().get(m.name()))
                .flatMap(PeerStatus::walPosition)
                .orElse(Lsn.ZERO);
    }

    private static Decision clear(HaMemory memory, FailoverIntent request, String detail) {
        return Decision.of(
                memory,
                Reason.of(Code.SWITCHOVER_CLEARED, detail),
                new Action.RenewLeaderLock(),
                new Action.ClearFailover(OptionalLong.of(request.version())));
    }

    private static Duration handoverWait(HaSettings settings) {
        Duration twoCycles = settings.loopWait().multipliedBy(2);
        return twoCycles.compareTo(MIN_HANDOVER_WAIT) > 0 ? twoCycles : MIN_HANDOVER_WAIT;
    }

    private static String describe(FailoverIntent request) {
        return request.leader().isPresent() ? "switchover" : "failover";
    }
}
