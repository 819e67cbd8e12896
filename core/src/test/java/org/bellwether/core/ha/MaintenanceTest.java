package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.REINITIALIZE;
import static org.bellwether.core.ha.Action.Kind.RELOAD;
import static org.bellwether.core.ha.Action.Kind.RENEW_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.RESTART;
import static org.bellwether.core.ha.Action.Kind.SYNC_REPLICATION_SLOTS;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.OpsFixtures.NOW;
import static org.bellwether.core.ha.OpsFixtures.WALL;
import static org.bellwether.core.ha.OpsFixtures.config;
import static org.bellwether.core.ha.OpsFixtures.observe;
import static org.bellwether.core.ha.OpsFixtures.request;
import static org.bellwether.core.ha.OpsFixtures.threeNodes;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HostPort;
import org.bellwether.core.MemberRole;
import org.bellwether.core.PendingRestart;
import org.bellwether.core.ha.Reason.Code;
import org.bellwether.core.ha.RequestAnswer.Result;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MaintenanceTest {
    private static final LocalPostgres PRIMARY = withStart(Fixtures.primary(1000, 1), WALL.minusSeconds(3600));
    private static final LocalPostgres REPLICA =
            withStart(Fixtures.replica(1000, Optional.of(new HostPort("127.0.0.1", 542))), WALL.minusSeconds(3600));
    private static final ClusterView LED_BY_ME = threeNodes("n1", config()).build();
    private static final ClusterView LED_BY_N2 = threeNodes("n2", config()).build();

    private static LocalPostgres withStart(LocalPostgres l, Instant started) {
        return new LocalPostgres(
                l.dataDirectory(),
                l.runState(),
                l.inRecovery(),
                l.systemId(),
                l.timeline(),
                l.writeLsn(),
                l.receiveLsn(),
                l.replayLsn(),
                l.streaming(),
                l.upstream(),
                l.replication(),
                l.controlState(),
                l.serverVersion(),
                Optional.of(started));
    }

    private static Decision decide(ClusterView cluster, LocalPostgres local, Ops ops, HaMemory memory) {
        return HaDecider.decide(observe(cluster, local, new TreeMap<>(), ops, NOW), memory);
    }

    private static RequestAnswer answer(Decision d) {
        return d.answer().orElseThrow();
    }

    private static Action.Restart restartAction(Decision d) {
        return (Action.Restart)
                d.plan().stream().filter(a -> a.kind() == RESTART).findFirst().orElseThrow();
    }

    private static NodeRequest.Body restartNow() {
        return new NodeRequest.Restart(RestartConditions.NONE);
    }

    private static HaMemory scheduledAt(Instant at, Optional<Instant> postmasterStart) {
        return HaMemory.INITIAL.withOps(OpsMemory.NONE.withScheduledRestart(
                Optional.of(new ScheduledRestart(at, RestartConditions.NONE, postmasterStart))));
    }

    @Nested
    class RestartNow {
        @Test
        void onAReplica_restartsAsAReplicaOfTheLeader() {
            Decision d = decide(LED_BY_N2, REPLICA, request(restartNow()), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RESTART);
            Action.Restart restart = (Action.Restart) d.plan().get(0);
            assertThat(restart.asReplica()).isTrue();
            assertThat(restart.upstream().orElseThrow().member()).isEqualTo("n2");
            assertThat(answer(d)).isEqualTo(new RequestAnswer(7, Result.STARTED, "restart initiated"));
        }

        @Test
        void onTheLeader_renewsTheLockAndRestartsAsPrimary() {
            Decision d = decide(LED_BY_ME, PRIMARY, request(restartNow()), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, RESTART);
            assertThat(((Action.Restart) d.plan().get(1)).asReplica()).isFalse();
            assertThat(d.reason().code()).isEqualTo(Code.RESTARTING);
        }

        @Test
        void whileAnOperationRuns_isRefused() {
            var obs = observe(LED_BY_N2, REPLICA, new TreeMap<>(), request(restartNow()), NOW);
            Decision d = HaDecider.decide(
                    OpsFixtures.withOperation(obs, OpsFixtures.running(Action.Kind.CLONE)), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(answer(d).result()).isEqualTo(Result.REFUSED);
            assertThat(answer(d).message()).isEqualTo("clone already in progress");
        }

        @Test
        void withAnotherRoleAsked_isRefused() {
            var conditions = new RestartConditions(
                    Optional.of(MemberRole.PRIMARY), OptionalInt.empty(), false, Optional.empty());
            Decision d = decide(LED_BY_N2, REPLICA, request(new NodeRequest.Restart(conditions)), HaMemory.INITIAL);
            assertThat(answer(d).result()).isEqualTo(Result.REFUSED);
            assertThat(answer(d).message())
                    .contains("restart conditions are not satisfied")
                    .contains("role");
        }

        @Test
        void onlyIfPending_isRefusedWithoutAPendingRestart_andDoneWithOne() {
            var conditions = new RestartConditions(Optional.empty(), OptionalInt.empty(), true, Optional.empty());
            var body = new NodeRequest.Restart(conditions);
            assertThat(answer(decide(LED_BY_N2, REPLICA, request(body), HaMemory.INITIAL))
                            .message())
                    .contains("pending restart flag is not set");
            var pending = new PendingRestart(
                    new TreeMap<>(java.util.Map.of("shared_buffers", new PendingRestart.Change("16MB", "32MB"))));
            var ops = new Ops(request(body).request(), pending, Optional.empty());
            assertThat(kinds(decide(LED_BY_N2, REPLICA, ops, HaMemory.INITIAL))).containsExactly(RESTART);
        }

        @Test
        void belowAVersion_restartsOnlyOlderServers() {
            var older = new RestartConditions(
                    Optional.empty(), RestartConditions.parseVersion("15.0"), false, Optional.empty());
            var newer = new RestartConditions(
                    Optional.empty(), RestartConditions.parseVersion("16.1"), false, Optional.empty());
            assertThat(answer(decide(LED_BY_N2, REPLICA, request(new NodeRequest.Restart(older)), HaMemory.INITIAL))
                            .message())
                    .contains("postgres version mismatch");
            assertThat(kinds(decide(LED_BY_N2, REPLICA, request(new NodeRequest.Restart(newer)), HaMemory.INITIAL)))
                    .containsExactly(RESTART);
        }

        @Test
        void ofASynchronousStandby_releasesItFirst() {
            var syncOn = config("synchronous_mode", "on");
            var listed = OpsFixtures.withSync(threeNodes("n2", syncOn).build(), "n2", "n1");
            var notListed = OpsFixtures.withSync(threeNodes("n2", syncOn).build(), "n2", "n3");
            assertThat(restartAction(decide(listed, REPLICA, request(restartNow()), HaMemory.INITIAL))
                            .releaseSyncFirst())
                    .isTrue();
            assertThat(restartAction(decide(notListed, REPLICA, request(restartNow()), HaMemory.INITIAL))
                            .releaseSyncFirst())
                    .isFalse();
            assertThat(restartAction(decide(LED_BY_N2, REPLICA, request(restartNow()), HaMemory.INITIAL))
                            .releaseSyncFirst())
                    .isFalse();
        }

        @Test
        void duringASwitchoverHandover_isRefused() {
            Decision d = decide(LED_BY_ME, PRIMARY, request(restartNow()), OpsFixtures.handingOver("n2", NOW));
            assertThat(answer(d).message()).isEqualTo("switchover already in progress");
        }
    }

    @Nested
    class Scheduling {
        @Test
        void scheduling_isRememberedAndAnsweredOnTopOfTheUsualDecision() {
            var at = WALL.plusSeconds(600);
            Decision d = decide(
                    LED_BY_ME,
                    PRIMARY,
                    request(new NodeRequest.ScheduleRestart(at, RestartConditions.NONE)),
                    HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, SYNC_REPLICATION_SLOTS);
            assertThat(answer(d).result()).isEqualTo(Result.SCHEDULED);
            var scheduled = d.next().ops().scheduledRestart().orElseThrow();
            assertThat(scheduled.at()).isEqualTo(at);
            assertThat(scheduled.postmasterStartTime()).isEqualTo(PRIMARY.postmasterStartTime());
        }

        @Test
        void secondSchedule_isAConflict() {
            var memory = scheduledAt(WALL.plusSeconds(600), Optional.empty());
            Decision d = decide(
                    LED_BY_ME,
                    PRIMARY,
                    request(new NodeRequest.ScheduleRestart(WALL.plusSeconds(60), RestartConditions.NONE)),
                    memory);
            assertThat(answer(d).result()).isEqualTo(Result.CONFLICT);
            assertThat(d.next().ops().scheduledRestart().orElseThrow().at()).isEqualTo(WALL.plusSeconds(600));
        }

        @Test
        void cancelling_forgetsIt_andCancellingNothingIsNotFound() {
            var memory = scheduledAt(WALL.plusSeconds(600), Optional.empty());
            Decision d = decide(LED_BY_ME, PRIMARY, request(new NodeRequest.CancelScheduledRestart()), memory);
            assertThat(answer(d).result()).isEqualTo(Result.DONE);
            assertThat(d.next().ops().scheduledRestart()).isEmpty();
            Decision again = decide(LED_BY_ME, PRIMARY, request(new NodeRequest.CancelScheduledRestart()), d.next());
            assertThat(answer(again).result()).isEqualTo(Result.NOT_FOUND);
        }

        @Test
        void dueRestart_restartsAndIsForgotten() {
            var memory = scheduledAt(WALL.minusSeconds(1), PRIMARY.postmasterStartTime());
            Decision d = decide(LED_BY_ME, PRIMARY, Ops.NONE, memory);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, RESTART);
            assertThat(d.next().ops().scheduledRestart()).isEmpty();
        }

        @Test
        void dueRestartOfASynchronousStandby_releasesItFirst() {
            var listed = OpsFixtures.withSync(
                    threeNodes("n2", config("synchronous_mode", "on")).build(), "n2", "n1");
            var memory = scheduledAt(WALL.minusSeconds(1), REPLICA.postmasterStartTime());
            assertThat(restartAction(decide(listed, REPLICA, Ops.NONE, memory)).releaseSyncFirst())
                    .isTrue();
        }

        @Test
        void futureRestart_waits() {
            var memory = scheduledAt(WALL.plusSeconds(60), PRIMARY.postmasterStartTime());
            Decision d = decide(LED_BY_ME, PRIMARY, Ops.NONE, memory);
            assertThat(d.reason().code()).isEqualTo(Code.LEADING);
            assertThat(d.next().ops().scheduledRestart()).isPresent();
        }

        @Test
        void staleRestart_isDropped() {
            var memory = scheduledAt(WALL.minusSeconds(60), PRIMARY.postmasterStartTime());
            Decision d = decide(LED_BY_ME, PRIMARY, Ops.NONE, memory);
            assertThat(d.reason().code()).isEqualTo(Code.RESTART_SKIPPED);
            assertThat(kinds(d)).doesNotContain(RESTART);
            assertThat(d.next().ops().scheduledRestart()).isEmpty();
        }

        @Test
        void postgresRestartedMeanwhile_restartIsDropped() {
            var memory = scheduledAt(WALL.minusSeconds(1), Optional.of(WALL.minusSeconds(7200)));
            Decision d = decide(LED_BY_ME, PRIMARY, Ops.NONE, memory);
            assertThat(d.reason().code()).isEqualTo(Code.RESTART_SKIPPED);
            assertThat(d.reason().detail()).contains("restarted");
        }

        @Test
        void whilePaused_waits() {
            var paused = threeNodes("n1", config("pause", true)).build();
            var memory = scheduledAt(WALL.minusSeconds(1), PRIMARY.postmasterStartTime());
            Decision d = decide(paused, PRIMARY, Ops.NONE, memory);
            assertThat(kinds(d)).doesNotContain(RESTART);
            assertThat(d.next().ops().scheduledRestart()).isPresent();
        }
    }

    @Nested
    class ReloadAndReinitialize {
        @Test
        void reload_isAddedToTheUsualPlan() {
            Decision d = decide(LED_BY_ME, PRIMARY, request(new NodeRequest.Reload()), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, SYNC_REPLICATION_SLOTS, RELOAD);
            assertThat(answer(d).result()).isEqualTo(Result.DONE);
        }

        @Test
        void reloadDuringAnOperation_staysUnanswered() {
            var obs = observe(LED_BY_N2, REPLICA, new TreeMap<>(), request(new NodeRequest.Reload()), NOW);
            Decision d = HaDecider.decide(
                    OpsFixtures.withOperation(obs, OpsFixtures.running(Action.Kind.START)), HaMemory.INITIAL);
            assertThat(d.answer()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.OPERATION_IN_PROGRESS);
        }

        @Test
        void reinitializeAReplica_clonesAgainFromTheLeader() {
            Decision d =
                    decide(LED_BY_N2, REPLICA, request(new NodeRequest.Reinitialize(false, true)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(REINITIALIZE);
            assertThat(((Action.Reinitialize) d.plan().get(0)).source().member())
                    .isEqualTo("n2");
            assertThat(answer(d)).isEqualTo(new RequestAnswer(7, Result.STARTED, "reinitialize started"));
        }

        @Test
        void reinitializeTheLeader_isRefused() {
            Decision d =
                    decide(LED_BY_ME, PRIMARY, request(new NodeRequest.Reinitialize(false, false)), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(answer(d).message()).isEqualTo("I am the leader, can not reinitialize");
        }

        @Test
        void reinitializeWithoutALeader_isRefused() {
            var leaderless = threeNodes(null, config()).build();
            Decision d =
                    decide(leaderless, REPLICA, request(new NodeRequest.Reinitialize(true, false)), HaMemory.INITIAL);
            assertThat(answer(d).message()).isEqualTo("Cluster has no leader, can not reinitialize");
        }
    }
}
