package org.bellwether.agent.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Member;
import org.bellwether.core.ha.PeerStatus;
import org.bellwether.core.ha.SwitchoverPolicy;
import org.bellwether.core.ha.SwitchoverPolicy.Accepted;
import org.bellwether.core.ha.SwitchoverPolicy.Kind;
import org.bellwether.core.ha.SwitchoverPolicy.Refused;
import org.bellwether.core.ha.SwitchoverPolicy.Verdict;
import org.bellwether.dcs.DcsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /switchover}, {@code POST /failover}, {@code DELETE /switchover}: check the request with
 * {@link SwitchoverPolicy} (asking the candidates for their status), write the {@code failover} key, wake the loop,
 * and, unless it is scheduled, wait for the outcome by reading the DCS, up to {@code 2 * max(10, loop_wait)} seconds
 * as Patroni does.
 */
final class SwitchoverResource {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchoverResource.class);

    private final WriteApi api;

    SwitchoverResource(WriteApi api) {
        this.api = api;
    }

    Response post(Request request, boolean failover) {
        ObjectNode body = request.jsonObjectBody();
        Kind kind = failover ? Kind.FAILOVER : Kind.SWITCHOVER;
        SwitchoverPolicy.Request asked = new SwitchoverPolicy.Request(
                kind,
                WriteApi.text(body, "leader"),
                WriteApi.text(body, "candidate").or(() -> WriteApi.text(body, "member")),
                WriteApi.text(body, "scheduled_at"));
        LOG.info(
                "received {} request: leader={} candidate={} scheduled_at={}",
                kind.word(),
                asked.leader().orElse("-"),
                asked.candidate().orElse("-"),
                asked.scheduledAt().orElse("-"));
        ClusterView cluster = api.readCluster();
        Verdict verdict = SwitchoverPolicy.check(asked, cluster, api.wallClock().instant());
        if (verdict instanceof Accepted accepted
                && accepted.intent().scheduledAt().isEmpty()) {
            List<Member> candidates =
                    SwitchoverPolicy.candidates(
                                    cluster,
                                    accepted.intent().leader(),
                                    accepted.intent().candidate())
                            .stream()
                            .filter(m -> m.apiUrl().isPresent())
                            .toList();
            SortedMap<String, PeerStatus> statuses = api.peers().fetch(candidates);
            verdict = SwitchoverPolicy.checkCandidates(accepted, cluster, statuses, settings(cluster, request));
        }
        if (verdict instanceof Refused refused) {
            return Response.text(status(refused.refusal()), refused.sentence());
        }
        Accepted accepted = (Accepted) verdict;
        if (!write(accepted.intent(), cluster)) {
            return Response.text(503, "failed to write the failover key into the DCS: it changed meanwhile");
        }
        api.wake().run();
        String action = accepted.kind().word();
        if (accepted.intent().scheduledAt().isPresent()) {
            return Response.text(202, capitalized(action) + " scheduled");
        }
        return poll(cluster.leaderName(), accepted.intent().candidate(), accepted.kind(), settings(cluster, request));
    }

    Response delete(Request request) {
        ClusterView cluster = api.readCluster();
        Optional<FailoverIntent> scheduled = SwitchoverPolicy.activeRequest(cluster)
                .filter(f -> f.scheduledAt().isPresent());
        if (scheduled.isEmpty()) {
            return Response.text(404, "no switchover is scheduled");
        }
        FailoverIntent empty = new FailoverIntent(Optional.empty(), Optional.empty(), Optional.empty(), 0);
        try {
            if (!api.dcs().writeFailover(empty, OptionalLong.of(scheduled.get().version()))) {
                return Response.text(409, "the scheduled switchover changed meanwhile; read it again");
            }
        } catch (DcsException e) {
            return Response.text(503, "cannot delete the scheduled switchover: " + e.getMessage());
        }
        api.wake().run();
        return Response.text(200, "scheduled switchover deleted");
    }

    /** Create-or-replace with compare-and-set on the version read, so two operators cannot overwrite each other. */
    private boolean write(FailoverIntent intent, ClusterView cluster) {
        long version = cluster.failover().map(FailoverIntent::version).orElse(0L);
        try {
            return api.dcs().writeFailover(intent, OptionalLong.of(version));
        } catch (DcsException e) {
            throw new HttpError(503, "failed to write the failover key into the DCS: " + e.getMessage());
        }
    }

    /** Patroni's {@code poll_failover_result}: a new leader, or the key gone without one, or time up. */
    private Response poll(Optional<String> oldLeader, Optional<String> candidate, Kind kind, HaSettings settings) {
        String past = kind == Kind.SWITCHOVER ? "switched" : "failed";
        long seconds = 2 * Math.max(10, settings.loopWait().toSeconds());
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < deadline) {
            sleep(api.pollInterval());
            ClusterView now;
            try {
                now = api.dcs().read();
            } catch (DcsException e) {
                LOG.debug("reading the DCS while waiting for the {}: {}", kind.word(), e.getMessage());
                continue;
            }
            Optional<String> leader = now.leaderName();
            if (leader.isPresent() && !leader.equals(oldLeader)) {
                if (candidate.isEmpty() || candidate.equals(leader)) {
                    return Response.text(200, "Successfully " + past + " over to \"" + leader.get() + "\"");
                }
                return Response.text(
                        200,
                        capitalized(past) + " over to \"" + leader.get() + "\" instead of \"" + candidate.get() + "\"");
            }
            if (SwitchoverPolicy.activeRequest(now).isEmpty()) {
                return Response.text(
                        503,
                        capitalized(kind.word()) + " failed: the request was withdrawn"
                                + " without a new leader; the agent logs of the leader say why");
            }
        }
        return Response.text(503, capitalized(kind.word()) + " status unknown after " + seconds + " s");
    }

    private static HaSettings settings(ClusterView cluster, Request request) {
        return cluster.config().map(c -> c.settings()).orElse(request.status().settings());
    }

    /**
     * Patroni's codes: 400 for a malformed request, 422 for a schedule that cannot be used, 412 when impossible. A
     * time that parses but that Patroni could not read back from the DCS is malformed here (400): Patroni's own parser
     * would refuse it.
     */
    static int status(SwitchoverPolicy.Refusal refusal) {
        return switch (refusal) {
            case MISSING_CANDIDATE,
                    MISSING_LEADER,
                    FAILOVER_CANNOT_BE_SCHEDULED,
                    PAUSED_CANNOT_SCHEDULE,
                    SCHEDULE_WITHOUT_TIME_ZONE,
                    SCHEDULE_OUT_OF_RANGE,
                    PAUSED_NEEDS_CANDIDATE,
                    SAME_MEMBER -> 400;
            case SCHEDULE_UNREADABLE, SCHEDULE_IN_THE_PAST -> 422;
            case LEADER_MISMATCH, UNKNOWN_CANDIDATE, CANDIDATE_NOT_SYNCHRONOUS, CANDIDATE_NOT_ELIGIBLE, NO_CANDIDATE ->
                412;
        };
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while waiting for the outcome");
        }
    }
}
