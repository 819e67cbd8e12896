package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.CRASH_RECOVERY;
import static org.bellwether.core.ha.Action.Kind.FOLLOW;
import static org.bellwether.core.ha.Action.Kind.REINITIALIZE;
import static org.bellwether.core.ha.Action.Kind.REWIND;
import static org.bellwether.core.ha.Action.Kind.START;
import static org.bellwether.core.ha.Action.Kind.STOP;
import static org.bellwether.core.ha.Action.Kind.SYNC_REPLICATION_SLOTS;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.RejoinFixtures.N2;
import static org.bellwether.core.ha.RejoinFixtures.N2_PG;
import static org.bellwether.core.ha.RejoinFixtures.SWITCH;
import static org.bellwether.core.ha.RejoinFixtures.ledByN2;
import static org.bellwether.core.ha.RejoinFixtures.line;
import static org.bellwether.core.ha.RejoinFixtures.n2OnTimeline2;
import static org.bellwether.core.ha.RejoinFixtures.observe;
import static org.bellwether.core.ha.RejoinFixtures.stoppedPrimary;
import static org.bellwether.core.ha.RejoinFixtures.stoppedReplica;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HostPort;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.Reason.Code;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Rejoining the leader's history: the divergence table, rewind vs re-clone vs staying stopped, failures. */
class RejoinTest {
    private static final Map<String, Object> USE_PG_REWIND = Map.of("use_pg_rewind", true);
    private static final Optional<LeaderTimeline> N2_TL2 = Optional.of(n2OnTimeline2());

    private static Decision decide(ClusterView cluster, LocalPostgres local, Optional<LeaderTimeline> leader) {
        return HaDecider.decide(observe(cluster, local, leader), HaMemory.INITIAL);
    }

    private static Decision decideWithRewind(LocalPostgres local) {
        return decide(ledByN2(USE_PG_REWIND), local, N2_TL2);
    }

    @Nested
    class DivergenceOfAStoppedNode {
        @Test
        void formerPrimaryOnTheLeadersTimeline_startsAsReplicaWithoutRewind() {
            Decision d = decideWithRewind(stoppedPrimary(2, 9999));
            assertThat(kinds(d)).containsExactly(START);
            var start = (Action.Start) d.plan().get(0);
            assertThat(start.asReplica()).isTrue();
            assertThat(start.upstream()).contains(N2);
            assertThat(d.next().checkedAgainst()).contains(new HaMemory.CheckedLeader("n2", new Timeline(2)));
        }

        @Test
        void timelineAheadOfTheLeaders_isRewound() {
            Decision d = decideWithRewind(stoppedPrimary(3, 10));
            assertThat(kinds(d)).containsExactly(REWIND);
            assertThat(((Action.Rewind) d.plan().get(0)).source()).isEqualTo(N2);
            assertThat(d.reason().code()).isEqualTo(Code.REWINDING);
        }

        @Test
        void formerPrimaryCheckpointBeforeTheSwitchPoint_startsWithoutRewind() {
            assertThat(kinds(decideWithRewind(stoppedPrimary(1, SWITCH - 100)))).containsExactly(START);
        }

        @Test
        void formerPrimaryCheckpointAtTheSwitchPoint_isRewound() {
            assertThat(kinds(decideWithRewind(stoppedPrimary(1, SWITCH)))).containsExactly(REWIND);
        }

        @Test
        void formerPrimaryCheckpointAfterTheSwitchPoint_isRewound() {
            assertThat(kinds(decideWithRewind(stoppedPrimary(1, SWITCH + 1000))))
                    .containsExactly(REWIND);
        }

        @Test
        void replicaReplayedUpToTheSwitchPoint_startsWithoutRewind() {
            assertThat(kinds(decideWithRewind(stoppedReplica(1, SWITCH)))).containsExactly(START);
        }

        @Test
        void replicaReplayedBeyondTheSwitchPoint_isRewound() {
            assertThat(kinds(decideWithRewind(stoppedReplica(1, SWITCH + 1)))).containsExactly(REWIND);
        }

        @Test
        void timelineMissingFromTheLeadersHistory_isRewound() {
            var leader = new LeaderTimeline.Known("n2", new Timeline(3), List.of(line(1, SWITCH)));
            Decision d = decide(ledByN2(USE_PG_REWIND), stoppedReplica(2, 10), Optional.of(leader));
            assertThat(kinds(d)).containsExactly(REWIND);
            assertThat(d.reason().detail()).contains("not in the leader's history");
        }

        @Test
        void laterTimelineBranchedBeforeOurs_isRewound() {
            var leader =
                    new LeaderTimeline.Known("n2", new Timeline(4), List.of(line(1, SWITCH), line(3, SWITCH + 10)));
            assertThat(kinds(decide(ledByN2(USE_PG_REWIND), stoppedReplica(2, 10), Optional.of(leader))))
                    .containsExactly(REWIND);
        }
    }

    @Nested
    class WhatADivergedNodeDoes {
        @Test
        void withoutUsePgRewindOrRemoval_staysStoppedAndSaysWhy() {
            Decision d = decide(ledByN2(Map.of()), stoppedPrimary(1, SWITCH), N2_TL2);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.DIVERGED_CANNOT_REJOIN);
            assertThat(d.reason().detail()).contains("use_pg_rewind is off").contains("staying stopped");
        }

        @Test
        void withoutWalLogHintsOrChecksums_staysStoppedAndSaysWhy() {
            Decision d = decideWithRewind(RejoinFixtures.notRewindable(stoppedPrimary(1, SWITCH)));
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().detail()).contains("wal_log_hints or data checksums");
        }

        @Test
        void rewindImpossibleButRemovalOnDivergenceAllowed_reinitializesFromTheLeader() {
            var cluster = ledByN2(Map.of("remove_data_directory_on_diverged_timelines", true));
            Decision d = decide(cluster, stoppedPrimary(1, SWITCH), N2_TL2);
            assertThat(kinds(d)).containsExactly(REINITIALIZE);
            assertThat(((Action.Reinitialize) d.plan().get(0)).source()).isEqualTo(N2);
            assertThat(d.reason().code()).isEqualTo(Code.REINITIALIZING);
        }

        @Test
        void rewindPossibleAndRemovalAllowed_prefersTheRewind() {
            var cluster = ledByN2(Map.of("use_pg_rewind", true, "remove_data_directory_on_diverged_timelines", true));
            assertThat(kinds(decide(cluster, stoppedPrimary(1, SWITCH), N2_TL2)))
                    .containsExactly(REWIND);
        }

        @Test
        void leaderStillOwesItsCheckpointAfterPromote_rewindWaits() {
            var cluster = ledByN2(USE_PG_REWIND, Optional.of(false));
            Decision d = decide(cluster, stoppedPrimary(1, SWITCH), N2_TL2);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.WAITING_FOR_LEADER_CHECKPOINT);
        }

        @Test
        void leaderCheckpointedAfterPromote_rewindGoesAhead() {
            var cluster = ledByN2(USE_PG_REWIND, Optional.of(true));
            assertThat(kinds(decide(cluster, stoppedPrimary(1, SWITCH), N2_TL2)))
                    .containsExactly(REWIND);
        }

        @Test
        void replicaThatCrashedAndMustBeRewound_getsCrashRecoveryFirst() {
            var control = new LocalPostgres.ControlFile(
                    new org.bellwether.core.Lsn(100),
                    Timeline.FIRST,
                    Optional.of(new org.bellwether.core.Lsn(SWITCH + 50)),
                    Optional.of(Timeline.FIRST),
                    true,
                    false);
            var crashedReplica = Fixtures.stopped("in archive recovery").withControlFile(Optional.of(control));
            Decision d = decideWithRewind(crashedReplica);
            assertThat(kinds(d)).containsExactly(CRASH_RECOVERY);
            assertThat(d.reason().detail()).contains("clean shutdown");
        }
    }

    @Nested
    class BeforeTheCheckCanBeMade {
        @Test
        void crashedFormerPrimary_getsCrashRecoveryBeforeAnythingElse() {
            Decision d = decide(ledByN2(USE_PG_REWIND), RejoinFixtures.crashedPrimary(), Optional.empty());
            assertThat(kinds(d)).containsExactly(CRASH_RECOVERY);
            assertThat(d.reason().code()).isEqualTo(Code.CRASH_RECOVERY);
            assertThat(probe(ledByN2(USE_PG_REWIND), RejoinFixtures.crashedPrimary()))
                    .isEmpty();
        }

        @Test
        void freshCloneWithBackupLabel_startsWithoutCrashRecoveryOrCheck() {
            var c = RejoinFixtures.control(1, 4000, true);
            var clone = Fixtures.stopped("in production")
                    .withControlFile(Optional.of(new LocalPostgres.ControlFile(
                            c.latestCheckpoint(),
                            c.checkpointTimeline(),
                            c.minRecoveryEnd(),
                            c.minRecoveryEndTimeline(),
                            true,
                            true)));
            Decision d = decide(ledByN2(USE_PG_REWIND), clone, Optional.empty());
            assertThat(kinds(d)).containsExactly(START);
            assertThat(((Action.Start) d.plan().get(0)).upstream()).contains(N2);
            assertThat(probe(ledByN2(USE_PG_REWIND), clone)).isEmpty();
        }

        @Test
        void stoppedFormerPrimary_asksForTheLeadersHistory() {
            assertThat(probe(ledByN2(USE_PG_REWIND), stoppedPrimary(1, SWITCH))).contains(N2);
        }

        @Test
        void leadersHistoryUnreachable_staysStopped() {
            var unreachable = Optional.<LeaderTimeline>of(new LeaderTimeline.Unreachable("n2", "connection refused"));
            Decision d = decide(ledByN2(USE_PG_REWIND), stoppedPrimary(1, 10), unreachable);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.LEADER_HISTORY_UNAVAILABLE);
            assertThat(d.reason().detail()).contains("connection refused");
        }

        @Test
        void leaderNotRunningAsPrimaryYet_waitsWithoutAsking() {
            var leader = RejoinFixtures.leaderMember(2, Optional.empty());
            var promoting = new Fixtures.Cluster()
                    .leader("n2")
                    .members(new org.bellwether.core.Member(
                            leader.name(),
                            leader.apiUrl(),
                            leader.connUrl(),
                            leader.state(),
                            org.bellwether.core.MemberRole.REPLICA,
                            leader.version(),
                            leader.xlogLocation(),
                            leader.receiveLsn(),
                            leader.replayLsn(),
                            leader.replicationState(),
                            leader.timeline(),
                            leader.tags(),
                            false,
                            false,
                            Optional.empty(),
                            new java.util.TreeMap<>()))
                    .build();
            Decision d = decide(promoting, stoppedPrimary(1, 10), Optional.empty());
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.CHECKING_LEADER_HISTORY);
            assertThat(probe(promoting, stoppedPrimary(1, 10))).isEmpty();
        }

        @Test
        void withoutControlFileDetails_startsAsBeforeAndAsksNothing() {
            var cluster = ledByN2(USE_PG_REWIND);
            assertThat(probe(cluster, Fixtures.stopped("shut down"))).isEmpty();
            assertThat(kinds(decide(cluster, Fixtures.stopped("shut down"), Optional.empty())))
                    .containsExactly(START);
        }

        @Test
        void pausedCluster_asksNothing() {
            var raw = new java.util.TreeMap<String, Object>();
            raw.put("pause", true);
            var paused = new Fixtures.Cluster()
                    .leader("n2")
                    .config(raw)
                    .members(RejoinFixtures.leaderMember(2, Optional.empty()))
                    .build();
            assertThat(probe(paused, stoppedPrimary(1, 10))).isEmpty();
        }

        private Optional<Upstream> probe(ClusterView cluster, LocalPostgres local) {
            return RejoinProbe.wanted(
                    cluster, Fixtures.self(org.bellwether.core.Tags.NONE), local, Optional.empty(), HaMemory.INITIAL);
        }
    }

    @Nested
    class AfterAFailure {
        private final Observation failedRewind = RejoinFixtures.withOperation(
                observe(ledByN2(USE_PG_REWIND), stoppedPrimary(1, SWITCH), N2_TL2),
                RejoinFixtures.finished(Action.Kind.REWIND, Operation.Phase.FAILED));

        @Test
        void rewindFailedWhileTheLeaderAnswers_isMarkedFailed() {
            Decision d = HaDecider.decide(failedRewind, HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.REJOIN_FAILED);
            assertThat(d.next().rejoinFailure())
                    .hasValueSatisfying(f -> assertThat(f).contains("pg_rewind from n2"));
            assertThat(RejoinProbe.wanted(
                            ledByN2(USE_PG_REWIND),
                            Fixtures.self(org.bellwether.core.Tags.NONE),
                            failedRewind.local(),
                            failedRewind.operation(),
                            HaMemory.INITIAL))
                    .as("the failure cycle asks whether the leader answers")
                    .contains(N2);
        }

        @Test
        void afterAFailedRewind_noSecondRewindAndStaysStoppedWithoutRemoval() {
            HaMemory failed = HaDecider.decide(failedRewind, HaMemory.INITIAL).next();
            Decision d = HaDecider.decide(observe(ledByN2(USE_PG_REWIND), stoppedPrimary(1, SWITCH), N2_TL2), failed);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.DIVERGED_CANNOT_REJOIN);
            assertThat(d.reason().detail()).contains("pg_rewind from n2 failed");
        }

        @Test
        void afterAFailedRewind_removalOnRewindFailureReinitializes() {
            HaMemory failed = HaDecider.decide(failedRewind, HaMemory.INITIAL).next();
            var cluster = ledByN2(Map.of("use_pg_rewind", true, "remove_data_directory_on_rewind_failure", true));
            Decision d = HaDecider.decide(observe(cluster, stoppedPrimary(1, SWITCH), N2_TL2), failed);
            assertThat(kinds(d)).containsExactly(REINITIALIZE);
            assertThat(d.next().rejoinFailure()).isEmpty();
        }

        @Test
        void rewindFailedWhileTheLeaderIsUnreachable_isRetriedLater() {
            var unreachable = RejoinFixtures.withLeaderTimeline(
                    failedRewind, Optional.of(new LeaderTimeline.Unreachable("n2", "timeout")));
            Decision d = HaDecider.decide(unreachable, HaMemory.INITIAL);
            assertThat(d.next().rejoinFailure()).isEmpty();
            Decision retry =
                    HaDecider.decide(observe(ledByN2(USE_PG_REWIND), stoppedPrimary(1, SWITCH), N2_TL2), d.next());
            assertThat(kinds(retry)).containsExactly(REWIND);
        }

        @Test
        void rewindThatSucceededButLeftTheHistoriesApart_isNotRepeated() {
            var obs = RejoinFixtures.withOperation(
                    observe(ledByN2(USE_PG_REWIND), stoppedPrimary(1, SWITCH), N2_TL2),
                    RejoinFixtures.finished(Action.Kind.REWIND, Operation.Phase.SUCCEEDED));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.DIVERGED_CANNOT_REJOIN);
        }

        @Test
        void failedCrashRecovery_staysStoppedUnlessRemovalIsAllowed() {
            var obs = RejoinFixtures.withOperation(
                    observe(ledByN2(USE_PG_REWIND), RejoinFixtures.crashedPrimary(), Optional.empty()),
                    RejoinFixtures.finished(Action.Kind.CRASH_RECOVERY, Operation.Phase.FAILED));
            HaMemory failed = HaDecider.decide(obs, HaMemory.INITIAL).next();
            assertThat(failed.rejoinFailure())
                    .hasValueSatisfying(f -> assertThat(f).contains("crash recovery"));

            Decision stay = HaDecider.decide(
                    observe(ledByN2(USE_PG_REWIND), RejoinFixtures.crashedPrimary(), Optional.empty()), failed);
            assertThat(stay.plan()).isEmpty();
            assertThat(stay.reason().code()).isEqualTo(Code.DIVERGED_CANNOT_REJOIN);

            var removal = ledByN2(Map.of("remove_data_directory_on_rewind_failure", true));
            Decision reinit =
                    HaDecider.decide(observe(removal, RejoinFixtures.crashedPrimary(), Optional.empty()), failed);
            assertThat(kinds(reinit)).containsExactly(REINITIALIZE);
        }
    }

    @Nested
    class ARunningReplica {
        private final HostPort elsewhere = new HostPort("127.0.0.1", 9);

        @Test
        void aboutToFollowANewLeader_withWalBeyondTheSwitchPoint_isRewound() {
            var replica = RejoinFixtures.runningReplica(1, SWITCH + 100, Optional.of(elsewhere), true);
            assertThat(RejoinProbe.wanted(
                            ledByN2(USE_PG_REWIND),
                            Fixtures.self(org.bellwether.core.Tags.NONE),
                            replica,
                            Optional.empty(),
                            HaMemory.INITIAL))
                    .contains(N2);
            Decision d = decide(ledByN2(USE_PG_REWIND), replica, N2_TL2);
            assertThat(kinds(d)).containsExactly(REWIND);
        }

        @Test
        void aboutToFollowANewLeader_notBeyondTheSwitchPoint_followsAndRemembersTheCheck() {
            var replica = RejoinFixtures.runningReplica(1, SWITCH, Optional.of(elsewhere), true);
            Decision d = decide(ledByN2(USE_PG_REWIND), replica, N2_TL2);
            assertThat(kinds(d)).containsExactly(FOLLOW, SYNC_REPLICATION_SLOTS);
            assertThat(RejoinProbe.wanted(
                            ledByN2(USE_PG_REWIND),
                            Fixtures.self(org.bellwether.core.Tags.NONE),
                            replica,
                            Optional.empty(),
                            d.next()))
                    .as("checked once for this leader and timeline")
                    .isEmpty();
        }

        @Test
        void streamingFromTheLeaderOnItsTimeline_isNotChecked() {
            var replica = RejoinFixtures.runningReplica(2, SWITCH + 100, Optional.of(N2_PG), true);
            assertThat(RejoinProbe.wanted(
                            ledByN2(USE_PG_REWIND),
                            Fixtures.self(org.bellwether.core.Tags.NONE),
                            replica,
                            Optional.empty(),
                            HaMemory.INITIAL))
                    .isEmpty();
        }

        @Test
        void notStreamingAndBehindTheLeadersTimeline_isChecked() {
            var replica = RejoinFixtures.runningReplica(1, SWITCH + 100, Optional.of(N2_PG), false);
            assertThat(RejoinProbe.wanted(
                            ledByN2(USE_PG_REWIND),
                            Fixtures.self(org.bellwether.core.Tags.NONE),
                            replica,
                            Optional.empty(),
                            HaMemory.INITIAL))
                    .contains(N2);
        }

        @Test
        void divergedWithoutRewindOrRemoval_isStoppedSoItNeverServesOrRacesOnAForkedHistory() {
            var replica = RejoinFixtures.runningReplica(1, SWITCH + 100, Optional.of(elsewhere), true);
            Decision d = decide(ledByN2(Map.of()), replica, N2_TL2);
            assertThat(kinds(d)).containsExactly(STOP);
            assertThat(d.reason().code()).isEqualTo(Code.DIVERGED_CANNOT_REJOIN);
        }

        @Test
        void leaderUnreachable_followsAsBefore() {
            var replica = RejoinFixtures.runningReplica(1, SWITCH + 100, Optional.of(elsewhere), true);
            Decision d = decide(
                    ledByN2(USE_PG_REWIND),
                    replica,
                    Optional.of(new LeaderTimeline.Unreachable("n2", "connection refused")));
            assertThat(kinds(d)).containsExactly(FOLLOW, SYNC_REPLICATION_SLOTS);
            assertThat(d.next().checkedAgainst()).isEmpty();
        }
    }
}
