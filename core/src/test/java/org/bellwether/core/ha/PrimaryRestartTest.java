package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.RELEASE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.RENEW_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.START;
import static org.bellwether.core.ha.Action.Kind.STOP;
import static org.bellwether.core.ha.Fixtures.SELF;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.Fixtures.member;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.Reason.Code;
import org.junit.jupiter.api.Test;

/** The leader's PostgreSQL crashed: restart in place within primary_start_timeout, else hand the lock over. */
class PrimaryRestartTest {
    private static final Duration NOW = Duration.ofSeconds(100);

    private static ClusterView led(Integer startTimeout, boolean withReplica) {
        TreeMap<String, Object> raw = new TreeMap<>();
        if (startTimeout != null) {
            raw.put("primary_start_timeout", startTimeout);
        }
        var cluster =
                new Fixtures.Cluster().leader(SELF).config(raw).members(member(SELF, MemberRole.PRIMARY, "crashed"));
        if (withReplica) {
            cluster.members(member("n2", MemberRole.REPLICA, "running"));
        }
        return cluster.build();
    }

    private static Decision crashed(ClusterView cluster, HaMemory memory) {
        return HaDecider.decide(Fixtures.observe(cluster, Fixtures.stopped("in production")), memory);
    }

    private static HaMemory deadlineAt(long seconds) {
        return HaMemory.INITIAL.withPrimaryStartDeadline(Optional.of(Duration.ofSeconds(seconds)));
    }

    @Test
    void crashedPrimaryWithDefaultTimeout_restartsInPlaceKeepingTheLock() {
        Decision d = crashed(led(null, true), HaMemory.INITIAL);
        assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, START);
        var start = (Action.Start) d.plan().get(1);
        assertThat(start.asReplica()).isFalse();
        assertThat(start.waitAtMost()).contains(Duration.ofSeconds(300));
        assertThat(d.next().primaryStartDeadline()).contains(NOW.plusSeconds(300));
    }

    @Test
    void timeoutZeroWithAReplica_releasesTheLockAtOnce() {
        Decision d = crashed(led(0, true), HaMemory.INITIAL);
        assertThat(kinds(d)).containsExactly(RELEASE_LEADER_LOCK);
        assertThat(d.reason().code()).isEqualTo(Code.PRIMARY_START_TIMEOUT);
    }

    @Test
    void timeoutZeroWithoutAReplica_restartsInPlaceWithoutTimeLimit() {
        Decision d = crashed(led(0, false), HaMemory.INITIAL);
        assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, START);
        assertThat(((Action.Start) d.plan().get(1)).waitAtMost()).isEmpty();
    }

    @Test
    void nofailoverReplica_isNoOneToFailOverTo() {
        var replica = member("n2", MemberRole.REPLICA, "running");
        replica = new org.bellwether.core.Member(
                replica.name(),
                replica.apiUrl(),
                replica.connUrl(),
                replica.state(),
                replica.role(),
                replica.version(),
                replica.xlogLocation(),
                replica.receiveLsn(),
                replica.replayLsn(),
                replica.replicationState(),
                replica.timeline(),
                Fixtures.tags("nofailover", true),
                false,
                false,
                Optional.empty(),
                new TreeMap<>());
        TreeMap<String, Object> raw = new TreeMap<>();
        raw.put("primary_start_timeout", 0);
        var cluster =
                new Fixtures.Cluster().leader(SELF).config(raw).members(replica).build();
        assertThat(kinds(crashed(cluster, HaMemory.INITIAL))).containsExactly(RENEW_LEADER_LOCK, START);
    }

    @Test
    void secondAttemptWithinTheTimeout_waitsOnlyForWhatIsLeft() {
        Decision d = crashed(led(null, true), deadlineAt(250));
        assertThat(((Action.Start) d.plan().get(1)).waitAtMost()).contains(Duration.ofSeconds(150));
        assertThat(d.next().primaryStartDeadline()).contains(Duration.ofSeconds(250));
    }

    @Test
    void stoppedPastTheDeadline_releasesTheLockAndForgetsIt() {
        Decision d = crashed(led(null, true), deadlineAt(50));
        assertThat(kinds(d)).containsExactly(RELEASE_LEADER_LOCK);
        assertThat(d.next().primaryStartDeadline()).isEmpty();
    }

    @Test
    void stillStartingPastTheDeadline_stopsBeforeReleasing() {
        var starting = Fixtures.stopped("in crash recovery");
        starting = new LocalPostgres(
                starting.dataDirectory(),
                LocalPostgres.RunState.STARTING,
                false,
                starting.systemId(),
                starting.timeline(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                List.of(),
                starting.controlState(),
                Optional.empty(),
                Optional.empty());
        Decision d = HaDecider.decide(Fixtures.observe(led(null, true), starting), deadlineAt(50));
        assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, STOP);
        assertThat(((Action.Stop) d.plan().get(1)).mode()).isEqualTo(Action.StopMode.IMMEDIATE);

        Decision within = HaDecider.decide(Fixtures.observe(led(null, true), starting), deadlineAt(500));
        assertThat(kinds(within)).containsExactly(RENEW_LEADER_LOCK);
    }

    @Test
    void runningAsLeaderAgain_forgetsTheDeadline() {
        Decision d = HaDecider.decide(Fixtures.observe(led(null, true), Fixtures.primary(100, 1)), deadlineAt(50));
        assertThat(d.next().primaryStartDeadline()).isEmpty();
    }

    @Test
    void failedStartAsLeader_releasesAndForgetsTheDeadline() {
        var obs = Fixtures.withOperation(
                Fixtures.observe(led(null, true), Fixtures.stopped("in production")),
                RejoinFixtures.finished(Action.Kind.START, Operation.Phase.FAILED));
        Decision d = HaDecider.decide(obs, deadlineAt(400));
        assertThat(kinds(d)).containsExactly(RELEASE_LEADER_LOCK);
        assertThat(d.next().primaryStartDeadline()).isEmpty();
    }
}
