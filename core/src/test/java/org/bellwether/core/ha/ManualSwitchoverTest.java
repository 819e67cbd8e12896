package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.ACQUIRE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.CLEAR_FAILOVER;
import static org.bellwether.core.ha.Action.Kind.PROMOTE;
import static org.bellwether.core.ha.Action.Kind.RELEASE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.RENEW_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.START;
import static org.bellwether.core.ha.Action.Kind.STOP;
import static org.bellwether.core.ha.Action.Kind.SYNC_REPLICATION_SLOTS;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.Fixtures.peer;
import static org.bellwether.core.ha.Fixtures.peers;
import static org.bellwether.core.ha.OpsFixtures.NOW;
import static org.bellwether.core.ha.OpsFixtures.WALL;
import static org.bellwether.core.ha.OpsFixtures.config;
import static org.bellwether.core.ha.OpsFixtures.handingOver;
import static org.bellwether.core.ha.OpsFixtures.observe;
import static org.bellwether.core.ha.OpsFixtures.scheduled;
import static org.bellwether.core.ha.OpsFixtures.switchover;
import static org.bellwether.core.ha.OpsFixtures.threeNodes;
import static org.bellwether.core.ha.OpsFixtures.withFailover;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HostPort;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Reason.Code;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ManualSwitchoverTest {
    private static final LocalPostgres PRIMARY = Fixtures.primaryStreamingTo(1000, "n2", "n3");
    private static final LocalPostgres REPLICA = Fixtures.replica(1000, Optional.of(new HostPort("127.0.0.1", 542)));
    private static final LocalPostgres STOPPED = Fixtures.stopped("shut down");

    private static ClusterView ledByMe(FailoverIntent request, Object... config) {
        return withFailover(threeNodes("n1", config(config)).build(), request);
    }

    private static ClusterView leaderless(FailoverIntent request, Object... config) {
        return withFailover(threeNodes(null, config(config)).build(), request);
    }

    private static SortedMap<String, PeerStatus> replicasAt(long n2, long n3) {
        return peers(peer("n2", true, n2, Tags.NONE), peer("n3", true, n3, Tags.NONE));
    }

    @Nested
    class OnTheLeader {
        @Test
        void switchoverToHealthyCandidate_stopsPostgresAndRemembersTheHandover() {
            var obs = observe(ledByMe(switchover("n1", "n2")), PRIMARY, replicasAt(1000, 1000));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, STOP);
            assertThat(((Action.Stop) d.plan().get(1)).mode()).isEqualTo(StopMode.FAST);
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_DEMOTING);
            assertThat(d.next().ops().handover()).contains(new OpsMemory.Handover(Optional.of("n2"), NOW));
        }

        @Test
        void candidateNotStreamingYet_theLeaderWaitsWithPostgresRunning() {
            // n2 reports "streaming" as soon as its WAL receiver starts; the leader's walsender is still starting.
            var local = Fixtures.primaryWith(
                    1000, LocalPostgres.StandbyNames.UNSET, Fixtures.walsender("n2", "startup", 0));
            var obs = observe(ledByMe(switchover("n1", "n2")), local, replicasAt(1000, 1000));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            // It goes on leading meanwhile: the slot n2 needs may be the one it is about to create.
            assertThat(kinds(d))
                    .startsWith(RENEW_LEADER_LOCK)
                    .contains(SYNC_REPLICATION_SLOTS)
                    .doesNotContain(STOP);
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_WAITING_FOR_CANDIDATE);
            assertThat(d.reason().detail()).contains("waiting (at most 10 s) for n2 to stream from this node");
            assertThat(d.next().ops().handover()).isEmpty();
            assertThat(d.next().ops().candidateWait()).contains(new OpsMemory.CandidateWait(42, NOW));

            Decision streaming = HaDecider.decide(
                    observe(ledByMe(switchover("n1", "n2")), PRIMARY, replicasAt(1000, 1000)), d.next());
            assertThat(kinds(streaming)).containsExactly(RENEW_LEADER_LOCK, STOP);
            assertThat(streaming.next().ops().candidateWait()).isEmpty();
        }

        @Test
        void candidateThatNeverStreams_theStopGoesAheadAfterTheWait() {
            var local = Fixtures.primary(1000, 1);
            var cluster = ledByMe(switchover("n1", "n2"));
            HaMemory waiting = HaMemory.INITIAL.withOps(
                    OpsMemory.NONE.withCandidateWait(Optional.of(new OpsMemory.CandidateWait(42, NOW))));
            Decision early = HaDecider.decide(
                    observe(cluster, local, replicasAt(1000, 1000), Ops.NONE, NOW.plusSeconds(9)), waiting);
            assertThat(kinds(early)).doesNotContain(STOP);
            Decision late = HaDecider.decide(
                    observe(cluster, local, replicasAt(1000, 1000), Ops.NONE, NOW.plusSeconds(10)), waiting);
            assertThat(kinds(late)).containsExactly(RENEW_LEADER_LOCK, STOP);
        }

        @Test
        void waitForAnEarlierRequest_doesNotShortenTheWaitForANewOne() {
            HaMemory oldWait = HaMemory.INITIAL.withOps(
                    OpsMemory.NONE.withCandidateWait(Optional.of(new OpsMemory.CandidateWait(7, NOW))));
            var obs = observe(
                    ledByMe(switchover("n1", "n2")),
                    Fixtures.primary(1000, 1),
                    replicasAt(1000, 1000),
                    Ops.NONE,
                    NOW.plusSeconds(60));
            Decision d = HaDecider.decide(obs, oldWait);
            assertThat(kinds(d)).doesNotContain(STOP);
            assertThat(d.next().ops().candidateWait()).contains(new OpsMemory.CandidateWait(42, NOW.plusSeconds(60)));
        }

        @Test
        void requestGoneWhileWaiting_theWaitIsForgottenAndTheLeaderLeadsAsUsual() {
            HaMemory waiting = HaMemory.INITIAL.withOps(
                    OpsMemory.NONE.withCandidateWait(Optional.of(new OpsMemory.CandidateWait(42, NOW))));
            var cluster = threeNodes("n1", config()).build();
            Decision d = HaDecider.decide(observe(cluster, Fixtures.primary(1000, 1), replicasAt(1000, 1000)), waiting);
            assertThat(d.reason().code()).isEqualTo(Code.LEADING);
            assertThat(d.next().ops().candidateWait()).isEmpty();
        }

        @Test
        void switchoverToAnyMember_stopsWhenOneIsEligible() {
            var obs = observe(
                    ledByMe(switchover("n1", null)),
                    PRIMARY,
                    peers(PeerStatus.unreachable("n2"), peer("n3", true, 1000, Tags.NONE)));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, STOP);
            assertThat(d.next().ops().handover().orElseThrow().candidate()).isEmpty();
        }

        @Test
        void scheduledSwitchoverInTheFuture_waitsAndLeadsAsUsual() {
            var obs = observe(ledByMe(scheduled("n1", "n2", WALL.plusSeconds(30))), PRIMARY, replicasAt(1000, 1000));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(d.reason().code()).isEqualTo(Code.LEADING);
            assertThat(d.next().ops().handover()).isEmpty();
        }

        @Test
        void scheduledSwitchoverThatIsDue_stops() {
            var obs = observe(ledByMe(scheduled("n1", "n2", WALL.minusSeconds(3))), PRIMARY, replicasAt(1000, 1000));
            assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(RENEW_LEADER_LOCK, STOP);
        }

        @Test
        void staleScheduledSwitchover_isClearedWithItsVersion() {
            var obs = observe(ledByMe(scheduled("n1", "n2", WALL.minusSeconds(16))), PRIMARY, replicasAt(1000, 1000));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, CLEAR_FAILOVER);
            assertThat(((Action.ClearFailover) d.plan().get(1)).version()).isEqualTo(OptionalLong.of(42));
            assertThat(d.reason().detail()).contains("stale");
        }

        @Test
        void switchoverFromAnotherLeader_isCleared() {
            Decision d = HaDecider.decide(
                    observe(ledByMe(switchover("n3", "n2")), PRIMARY, replicasAt(1000, 1000)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, CLEAR_FAILOVER);
            assertThat(d.reason().detail()).contains("leader name does not match");
        }

        @Test
        void failoverToTheLeaderItself_isCleared() {
            Decision d = HaDecider.decide(
                    observe(ledByMe(switchover(null, "n1")), PRIMARY, replicasAt(1000, 1000)), HaMemory.INITIAL);
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_CLEARED);
            assertThat(d.reason().detail()).contains("already the leader");
        }

        @Test
        void switchoverToLaggingCandidate_isClearedWithTheReason() {
            var cluster = ledByMe(switchover("n1", "n2"), "maximum_lag_on_failover", 100);
            Decision d = HaDecider.decide(observe(cluster, PRIMARY, replicasAt(500, 1000)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, CLEAR_FAILOVER);
            assertThat(d.reason().detail()).contains("n2 is 500 bytes behind");
        }

        @Test
        void switchoverWithoutAnyEligibleMember_isCleared() {
            var peers = peers(PeerStatus.unreachable("n2"), peer("n3", true, 1000, Fixtures.tags("nofailover", true)));
            Decision d = HaDecider.decide(observe(ledByMe(switchover("n1", null)), PRIMARY, peers), HaMemory.INITIAL);
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_CLEARED);
            assertThat(d.reason().detail()).contains("n2 does not answer").contains("n3 is tagged nofailover");
        }

        @Test
        void pausedSwitchoverWithoutCandidate_isCleared() {
            var cluster = ledByMe(switchover("n1", null), "pause", true);
            Decision d = HaDecider.decide(observe(cluster, PRIMARY, replicasAt(1000, 1000)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, CLEAR_FAILOVER);
            assertThat(d.reason().detail()).contains("paused");
        }

        @Test
        void pausedSwitchoverToNamedCandidate_stops() {
            var cluster = ledByMe(switchover("n1", "n2"), "pause", true);
            Decision d = HaDecider.decide(observe(cluster, PRIMARY, replicasAt(1000, 1000)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, STOP);
        }

        @Test
        void pausedLeaderWithoutRequest_onlyRenewsAndKeepsSlots() {
            var cluster = threeNodes("n1", config("pause", true)).build();
            Decision d = HaDecider.decide(observe(cluster, PRIMARY, replicasAt(1000, 1000)), HaMemory.INITIAL);
            // Making the members' missing slots is no action on PostgreSQL's life; Patroni keeps doing it paused.
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, SYNC_REPLICATION_SLOTS);
            assertThat(d.reason().code()).isEqualTo(Code.PAUSED);
        }
    }

    @Nested
    class HandingOver {
        @Test
        void candidateReceivedTheShutdownCheckpoint_releasesAndFollowsIt() {
            var obs = observe(
                    ledByMe(switchover("n1", "n2")),
                    STOPPED,
                    replicasAt(1200, 900),
                    OpsFixtures.checkpoint(1100),
                    NOW.plusSeconds(2));
            Decision d = HaDecider.decide(obs, handingOver("n2", NOW));
            assertThat(kinds(d)).containsExactly(RELEASE_LEADER_LOCK, START);
            Action.Start start = (Action.Start) d.plan().get(1);
            assertThat(start.asReplica()).isTrue();
            assertThat(start.upstream().orElseThrow().member()).isEqualTo("n2");
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_HANDING_OVER);
            assertThat(d.next().ops().handover()).isEmpty();
        }

        @Test
        void anyCandidate_handsOverToOneThatReceivedTheCheckpoint() {
            var obs = observe(
                    ledByMe(switchover("n1", null)),
                    STOPPED,
                    replicasAt(900, 1200),
                    OpsFixtures.checkpoint(1100),
                    NOW.plusSeconds(2));
            Decision d = HaDecider.decide(obs, handingOver(null, NOW));
            assertThat(((Action.Start) d.plan().get(1)).upstream().orElseThrow().member())
                    .isEqualTo("n3");
        }

        @Test
        void candidateBehindTheShutdownCheckpoint_keepsTheLockAndWaits() {
            var obs = observe(
                    ledByMe(switchover("n1", "n2")),
                    STOPPED,
                    replicasAt(1100, 1200),
                    OpsFixtures.checkpoint(1100),
                    NOW.plusSeconds(2));
            Decision d = HaDecider.decide(obs, handingOver("n2", NOW));
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK);
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_WAITING_FOR_CANDIDATE);
            assertThat(d.next().ops().handover()).isPresent();
        }

        @Test
        void candidateNeverCatchingUp_leaderStartsAgainAsPrimaryAndClearsTheRequest() {
            var obs = observe(
                    ledByMe(switchover("n1", "n2")),
                    STOPPED,
                    replicasAt(1000, 1200),
                    OpsFixtures.checkpoint(1100),
                    NOW.plusSeconds(21));
            Decision d = HaDecider.decide(obs, handingOver("n2", NOW));
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, CLEAR_FAILOVER, START);
            assertThat(((Action.Start) d.plan().get(2)).asReplica()).isFalse();
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_ABORTED);
            assertThat(d.next().ops().handover()).isEmpty();
        }

        @Test
        void postgresStillShuttingDown_keepsTheLockAndTheHandover() {
            var shuttingDown = new LocalPostgres(
                    LocalPostgres.DataDirectory.INITIALIZED,
                    LocalPostgres.RunState.STARTING,
                    false,
                    Optional.of(Fixtures.SYSID),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    Optional.empty(),
                    java.util.List.of(),
                    Optional.of("in production"),
                    Optional.empty(),
                    Optional.empty());
            var obs = observe(ledByMe(switchover("n1", "n2")), shuttingDown, replicasAt(1000, 1000));
            Decision d = HaDecider.decide(obs, handingOver("n2", NOW.minusSeconds(1)));
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK);
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_WAITING_FOR_CANDIDATE);
            assertThat(d.next().ops().handover()).isPresent();
        }

        @Test
        void handoverAfterTheLockWasLost_isForgotten() {
            var cluster = withFailover(threeNodes("n2", config()).build(), switchover("n1", "n2"));
            var obs = observe(cluster, STOPPED, replicasAt(1000, 1000), OpsFixtures.checkpoint(1100), NOW);
            Decision d = HaDecider.decide(obs, handingOver("n2", NOW));
            assertThat(d.reason().code()).isEqualTo(Code.STARTING_POSTGRES);
            assertThat(d.next().ops().handover()).isEmpty();
        }

        @Test
        void handoverWhoseStopNeverRan_isDecidedAfresh() {
            var obs = observe(ledByMe(switchover("n1", "n2")), PRIMARY, replicasAt(1000, 1000));
            Decision d = HaDecider.decide(obs, handingOver("n2", NOW.minusSeconds(60)));
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, STOP);
            assertThat(d.next().ops().handover().orElseThrow().since()).isEqualTo(NOW);
        }
    }

    @Nested
    class OnAReplicaWithoutLeader {
        @Test
        void namedCandidate_takesTheLockClearsTheRequestAndPromotes() {
            var cluster = leaderless(switchover("n3", "n1"));
            Decision d = HaDecider.decide(observe(cluster, REPLICA, replicasAt(1000, 1000)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(ACQUIRE_LEADER_LOCK, CLEAR_FAILOVER, PROMOTE);
            assertThat(((Action.ClearFailover) d.plan().get(1)).version()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_TAKING_OVER);
        }

        @Test
        void namedCandidate_asksNoPeerBeforeRacing() {
            var cluster = leaderless(switchover("n3", "n1"));
            assertThat(PeerProbe.wanted(cluster, Fixtures.self(Tags.NONE), REPLICA))
                    .isEmpty();
            var other = leaderless(switchover("n3", "n2"));
            assertThat(PeerProbe.wanted(other, Fixtures.self(Tags.NONE), REPLICA))
                    .hasSize(2);
        }

        @Test
        void namedCandidateLaggingBeyondTheLimit_stillTakesTheLock() {
            var cluster = leaderless(switchover(null, "n1"), "maximum_lag_on_failover", 1);
            var lagging = Fixtures.replica(10, Optional.empty());
            Decision d = HaDecider.decide(observe(cluster, lagging, replicasAt(1000, 1000)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(ACQUIRE_LEADER_LOCK, CLEAR_FAILOVER, PROMOTE);
        }

        @Test
        void anotherMemberNamedAndHealthy_waits() {
            var cluster = leaderless(switchover("n3", "n2"));
            Decision d = HaDecider.decide(observe(cluster, REPLICA, replicasAt(900, 1000)), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_TO_OTHER_MEMBER);
        }

        @Test
        void anotherMemberNamedButUnreachable_healthiestOfTheRestTakesTheLock() {
            var cluster = leaderless(switchover("n3", "n2"));
            var peers = peers(PeerStatus.unreachable("n2"), peer("n3", true, 5000, Tags.NONE));
            Decision d = HaDecider.decide(observe(cluster, REPLICA, peers), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(ACQUIRE_LEADER_LOCK, CLEAR_FAILOVER, PROMOTE);
            assertThat(d.reason().detail()).contains("n2 is not healthy");
        }

        @Test
        void switchoverToAnyMember_ignoresTheFormerLeaderBeingAhead() {
            var cluster = leaderless(switchover("n3", null));
            var peers = peers(peer("n2", true, 900, Tags.NONE), peer("n3", true, 5000, Tags.NONE));
            Decision d = HaDecider.decide(observe(cluster, REPLICA, peers), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(ACQUIRE_LEADER_LOCK, CLEAR_FAILOVER, PROMOTE);
        }

        @Test
        void switchoverToAnyMember_aReplicaBehindAnotherDoesNotRace() {
            var cluster = leaderless(switchover("n3", null));
            var peers = peers(peer("n2", true, 2000, Tags.NONE), peer("n3", true, 5000, Tags.NONE));
            Decision d = HaDecider.decide(observe(cluster, REPLICA, peers), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.PEER_AHEAD);
        }

        @Test
        void formerLeaderNowAReplica_leavesTheLockToOthers() {
            var cluster = leaderless(switchover("n1", null));
            Decision d = HaDecider.decide(observe(cluster, REPLICA, replicasAt(1000, 1000)), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.SWITCHOVER_TO_OTHER_MEMBER);
        }

        @Test
        void formerLeaderWithNobodyElseHealthy_takesTheLockBack() {
            var cluster = leaderless(switchover("n1", null));
            var peers = peers(PeerStatus.unreachable("n2"), PeerStatus.unreachable("n3"));
            Decision d = HaDecider.decide(observe(cluster, REPLICA, peers), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(ACQUIRE_LEADER_LOCK, CLEAR_FAILOVER, PROMOTE);
        }

        @Test
        void nofailoverReplicaNamedAnyway_doesNotRace() {
            var cluster = leaderless(switchover(null, "n1"));
            var obs = Fixtures.observe(cluster, REPLICA, replicasAt(1000, 1000), Fixtures.tags("nofailover", true));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.NOT_ELIGIBLE_FOR_LEADERSHIP);
        }

        @Test
        void pausedNamedCandidate_takesTheLock() {
            var cluster = leaderless(switchover(null, "n1"), "pause", true);
            Decision d = HaDecider.decide(observe(cluster, REPLICA, replicasAt(1000, 1000)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(ACQUIRE_LEADER_LOCK, CLEAR_FAILOVER, PROMOTE);
        }

        @Test
        void pausedReplicaNotNamed_doesNothing() {
            var cluster = leaderless(switchover(null, "n2"), "pause", true);
            Decision d = HaDecider.decide(observe(cluster, REPLICA, replicasAt(1000, 1000)), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.PAUSED);
        }

        @Test
        void pausedWithoutRequest_noReplicaIsPromoted() {
            var cluster = threeNodes(null, config("pause", true)).build();
            Decision d = HaDecider.decide(observe(cluster, REPLICA, replicasAt(900, 900)), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.PAUSED);
        }
    }

    @Test
    void emptyFailoverKey_isNoRequest() {
        var empty = new FailoverIntent(Optional.empty(), Optional.empty(), Optional.empty(), 3);
        var obs = observe(ledByMe(empty), PRIMARY, replicasAt(1000, 1000));
        assertThat(HaDecider.decide(obs, HaMemory.INITIAL).reason().code()).isEqualTo(Code.LEADING);
    }
}
