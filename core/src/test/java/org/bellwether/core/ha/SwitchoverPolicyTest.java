package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Fixtures.peer;
import static org.bellwether.core.ha.Fixtures.peers;
import static org.bellwether.core.ha.OpsFixtures.config;
import static org.bellwether.core.ha.OpsFixtures.threeNodes;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.SwitchoverPolicy.Accepted;
import org.bellwether.core.ha.SwitchoverPolicy.Kind;
import org.bellwether.core.ha.SwitchoverPolicy.Refusal;
import org.bellwether.core.ha.SwitchoverPolicy.Refused;
import org.bellwether.core.ha.SwitchoverPolicy.Request;
import org.bellwether.core.ha.SwitchoverPolicy.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SwitchoverPolicyTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final ClusterView LED_BY_N1 = threeNodes("n1", config()).build();

    private static Verdict check(Kind kind, String leader, String candidate, String at, ClusterView cluster) {
        return SwitchoverPolicy.check(
                new Request(kind, Optional.ofNullable(leader), Optional.ofNullable(candidate), Optional.ofNullable(at)),
                cluster,
                NOW);
    }

    private static Refusal refusal(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Refused.class);
        Refused refused = (Refused) verdict;
        assertThat(refused.sentence()).isNotBlank();
        return refused.refusal();
    }

    private static Verdict withPeers(Verdict checked, ClusterView cluster, SortedMap<String, PeerStatus> peers) {
        return SwitchoverPolicy.checkCandidates((Accepted) checked, cluster, peers, settings(cluster));
    }

    private static HaSettings settings(ClusterView cluster) {
        return cluster.config().orElseThrow().settings();
    }

    private static SortedMap<String, PeerStatus> healthyReplicas() {
        return peers(peer("n2", true, 1000, Tags.NONE), peer("n3", true, 1000, Tags.NONE));
    }

    @Test
    void failoverWithoutCandidate_isRefused() {
        assertThat(refusal(check(Kind.FAILOVER, null, null, null, LED_BY_N1))).isEqualTo(Refusal.MISSING_CANDIDATE);
    }

    @Test
    void switchoverWithoutLeader_isRefused() {
        assertThat(refusal(check(Kind.SWITCHOVER, null, "n2", null, LED_BY_N1))).isEqualTo(Refusal.MISSING_LEADER);
    }

    @Test
    void unknownCandidate_isRefusedNamingIt() {
        Verdict v = check(Kind.SWITCHOVER, "n1", "n9", null, LED_BY_N1);
        assertThat(refusal(v)).isEqualTo(Refusal.UNKNOWN_CANDIDATE);
        assertThat(((Refused) v).sentence()).contains("n9");
    }

    @Test
    void candidateEqualToLeader_isRefused() {
        assertThat(refusal(check(Kind.SWITCHOVER, "n1", "n1", null, LED_BY_N1))).isEqualTo(Refusal.SAME_MEMBER);
        assertThat(refusal(check(Kind.FAILOVER, null, "n1", null, LED_BY_N1))).isEqualTo(Refusal.SAME_MEMBER);
    }

    @Test
    void leaderThatDoesNotLead_isRefused() {
        assertThat(refusal(check(Kind.SWITCHOVER, "n2", "n3", null, LED_BY_N1))).isEqualTo(Refusal.LEADER_MISMATCH);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-01-01T10:00:00, SCHEDULE_WITHOUT_TIME_ZONE",
        "2025-12-31T23:59:00+00:00, SCHEDULE_IN_THE_PAST",
        "tomorrow at noon, SCHEDULE_UNREADABLE",
        "+999999999-12-31T23:59:59+00:00, SCHEDULE_OUT_OF_RANGE",
        "+10000-01-01T00:00:00Z, SCHEDULE_OUT_OF_RANGE",
        "9999-12-31T23:30:00-01:00, SCHEDULE_OUT_OF_RANGE",
        "-0001-01-01T00:00:00+00:00, SCHEDULE_OUT_OF_RANGE"
    })
    void badSchedule_isRefused(String at, Refusal expected) {
        assertThat(refusal(check(Kind.SWITCHOVER, "n1", "n2", at, LED_BY_N1))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2026-01-01T12:00:00+00:00, 2026-01-01T12:00:00Z",
        "2026-01-01T12:00:00Z, 2026-01-01T12:00:00Z",
        "2026-01-01 14:00:00+02:00, 2026-01-01T12:00:00Z",
        "2026-01-01T14:00:00.5+0200, 2026-01-01T12:00:00.5Z"
    })
    void scheduleWithTimeZone_isAcceptedAtThatInstant(String at, String instant) {
        Verdict v = check(Kind.SWITCHOVER, "n1", null, at, LED_BY_N1);
        assertThat(v).isInstanceOf(Accepted.class);
        assertThat(((Accepted) v).intent().scheduledAt()).contains(Instant.parse(instant));
    }

    @Test
    void scheduledFailover_isRefused() {
        assertThat(refusal(check(Kind.FAILOVER, null, "n2", "2026-01-02T00:00:00+00:00", LED_BY_N1)))
                .isEqualTo(Refusal.FAILOVER_CANNOT_BE_SCHEDULED);
    }

    @Test
    void pausedCluster_refusesSchedulesAndRequestsWithoutCandidate() {
        ClusterView paused = threeNodes("n1", config("pause", true)).build();
        assertThat(refusal(check(Kind.SWITCHOVER, "n1", "n2", "2026-01-02T00:00:00+00:00", paused)))
                .isEqualTo(Refusal.PAUSED_CANNOT_SCHEDULE);
        assertThat(refusal(check(Kind.SWITCHOVER, "n1", null, null, paused))).isEqualTo(Refusal.PAUSED_NEEDS_CANDIDATE);
        assertThat(check(Kind.SWITCHOVER, "n1", "n2", null, paused)).isInstanceOf(Accepted.class);
    }

    @Test
    void failoverNamingTheLeader_becomesASwitchover() {
        Verdict v = check(Kind.FAILOVER, "n1", "n2", null, LED_BY_N1);
        assertThat(((Accepted) v).kind()).isEqualTo(Kind.SWITCHOVER);
        assertThat(((Accepted) v).intent().leader()).contains("n1");
        assertThat(((Accepted) v).intent().candidate()).contains("n2");
    }

    @Test
    void healthyNamedCandidate_isAccepted() {
        Verdict v = withPeers(check(Kind.SWITCHOVER, "n1", "n2", null, LED_BY_N1), LED_BY_N1, healthyReplicas());
        assertThat(v).isInstanceOf(Accepted.class);
    }

    @Test
    void nofailoverCandidate_isNotEligible() {
        var cluster = threeNodes("n1", config()).build();
        var peers = peers(peer("n2", true, 1000, Fixtures.tags("nofailover", true)));
        Verdict v = withPeers(check(Kind.SWITCHOVER, "n1", "n2", null, cluster), cluster, peers);
        assertThat(refusal(v)).isEqualTo(Refusal.CANDIDATE_NOT_ELIGIBLE);
        assertThat(((Refused) v).sentence()).contains("n2 is tagged nofailover");
    }

    @Test
    void candidateLaggingBeyondMaximumLag_isNotEligible() {
        var cluster = threeNodes("n1", config("maximum_lag_on_failover", 100)).build();
        var peers = peers(peer("n2", true, 800, Tags.NONE));
        Verdict v = withPeers(check(Kind.SWITCHOVER, "n1", "n2", null, cluster), cluster, peers);
        assertThat(refusal(v)).isEqualTo(Refusal.CANDIDATE_NOT_ELIGIBLE);
        assertThat(((Refused) v).sentence()).contains("200 bytes behind").contains("maximum_lag_on_failover");
    }

    @Test
    void unreachableCandidate_isNotEligible() {
        var peers = peers(PeerStatus.unreachable("n2"));
        Verdict v = withPeers(check(Kind.SWITCHOVER, "n1", "n2", null, LED_BY_N1), LED_BY_N1, peers);
        assertThat(refusal(v)).isEqualTo(Refusal.CANDIDATE_NOT_ELIGIBLE);
    }

    @Test
    void noEligibleMemberAtAll_isRefusedNamingEachProblem() {
        var cluster = threeNodes("n1", config("maximum_lag_on_failover", 100)).build();
        var peers = peers(peer("n2", true, 10, Tags.NONE), peer("n3", true, 1000, Fixtures.tags("nofailover", true)));
        Verdict v = withPeers(check(Kind.SWITCHOVER, "n1", null, null, cluster), cluster, peers);
        assertThat(refusal(v)).isEqualTo(Refusal.NO_CANDIDATE);
        assertThat(((Refused) v).sentence()).contains("n2 is 990 bytes behind").contains("n3 is tagged nofailover");
    }

    @Test
    void anyCandidate_isAcceptedWhenOneIsEligible() {
        var peers = peers(PeerStatus.unreachable("n2"), peer("n3", true, 1000, Tags.NONE));
        assertThat(withPeers(check(Kind.SWITCHOVER, "n1", null, null, LED_BY_N1), LED_BY_N1, peers))
                .isInstanceOf(Accepted.class);
    }

    @Test
    void failoverWithoutLeader_doesNotApplyTheLagLimit() {
        var cluster = threeNodes(null, config("maximum_lag_on_failover", 100)).build();
        var peers = peers(peer("n2", true, 10, Tags.NONE));
        Verdict v = withPeers(check(Kind.FAILOVER, null, "n2", null, cluster), cluster, peers);
        assertThat(v).isInstanceOf(Accepted.class);
        assertThat(((Accepted) v).kind()).isEqualTo(Kind.FAILOVER);
    }

    @Test
    void synchronousMode_refusesACandidateThatIsNotASyncStandby() {
        var cluster = OpsFixtures.withSync(
                threeNodes("n1", config("synchronous_mode", true)).build(), "n1", "n2");
        assertThat(refusal(check(Kind.SWITCHOVER, "n1", "n3", null, cluster)))
                .isEqualTo(Refusal.CANDIDATE_NOT_SYNCHRONOUS);
        assertThat(check(Kind.SWITCHOVER, "n1", "n2", null, cluster)).isInstanceOf(Accepted.class);
        assertThat(SwitchoverPolicy.candidates(cluster, Optional.of("n1"), Optional.empty()))
                .extracting(m -> m.name())
                .containsExactly("n2");
    }

    @Test
    void singleMemberCluster_hasNoCandidate() {
        var alone = new Fixtures.Cluster()
                .leader("n1")
                .members(Fixtures.member("n1", MemberRole.PRIMARY, "running"))
                .build();
        assertThat(refusal(check(Kind.SWITCHOVER, "n1", null, null, alone))).isEqualTo(Refusal.NO_CANDIDATE);
    }

    @Test
    void switchoverIsUnderway_whenDueOrWithinLoopWait() {
        Duration loopWait = Duration.ofSeconds(10);
        var now = OpsFixtures.withFailover(LED_BY_N1, OpsFixtures.switchover("n1", "n2"));
        var soon = OpsFixtures.withFailover(LED_BY_N1, OpsFixtures.scheduled("n1", "n2", NOW.plusSeconds(5)));
        var later = OpsFixtures.withFailover(LED_BY_N1, OpsFixtures.scheduled("n1", "n2", NOW.plusSeconds(60)));
        assertThat(SwitchoverPolicy.isUnderway(now, NOW, loopWait)).isTrue();
        assertThat(SwitchoverPolicy.isUnderway(soon, NOW, loopWait)).isTrue();
        assertThat(SwitchoverPolicy.isUnderway(later, NOW, loopWait)).isFalse();
        assertThat(SwitchoverPolicy.isUnderway(LED_BY_N1, NOW, loopWait)).isFalse();
    }

    @Test
    void postgresVersion_isReadAsPatroniReadsIt() {
        assertThat(RestartConditions.parseVersion("15.4")).hasValue(150004);
        assertThat(RestartConditions.parseVersion("9.6.3")).hasValue(90603);
        assertThat(RestartConditions.parseVersion("15")).isEmpty();
        assertThat(RestartConditions.parseVersion("fifteen")).isEmpty();
    }
}
