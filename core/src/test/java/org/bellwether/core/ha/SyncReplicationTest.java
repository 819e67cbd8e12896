package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.ACQUIRE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.PROMOTE;
import static org.bellwether.core.ha.Action.Kind.RENEW_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.SET_SYNCHRONOUS_STANDBY_NAMES;
import static org.bellwether.core.ha.Action.Kind.WRITE_SYNC;
import static org.bellwether.core.ha.Fixtures.SELF;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.Fixtures.member;
import static org.bellwether.core.ha.Fixtures.peer;
import static org.bellwether.core.ha.Fixtures.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SyncState;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.HaMemory.SyncCheckpoint;
import org.bellwether.core.ha.LocalPostgres.ReplicationConnection;
import org.bellwether.core.ha.LocalPostgres.StandbyNames;
import org.bellwether.core.ha.Reason.Code;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** synchronous_mode on: the leader's order of steps, who counts as synchronous, and who may be promoted. */
class SyncReplicationTest {
    private static final long SYNC_VERSION = 41;

    @Nested
    class OnTheLeader {
        @Test
        void newStandby_isRequiredByPostgresBeforeTheKeyNamesIt() {
            var cluster = cluster(Optional.of(key(SELF)), settings(), member("n2", MemberRole.REPLICA, "running"));
            var local = primary(1000, names("", true), row("n2", "async", 1000));
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, SET_SYNCHRONOUS_STANDBY_NAMES);
            assertThat(setNames(d)).contains("n2");
        }

        @Test
        void standbyRequiredButNotYetPastTheCheckpoint_isNotNamed() {
            var cluster = cluster(Optional.of(key(SELF)), settings(), member("n2", MemberRole.REPLICA, "running"));
            var local = primary(2000, names("n2", true), row("n2", "sync", 1500));
            // First cycle with n2 required: the primary's position is remembered, nobody is confirmed yet.
            Decision first = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(first)).containsExactly(RENEW_LEADER_LOCK);
            assertThat(first.next().syncCheckpoint()).contains(new SyncCheckpoint("n2", new Lsn(2000)));
            // Still behind the remembered position: acknowledged commits may be missing on it.
            Decision second = HaDecider.decide(leading(cluster, local), first.next());
            assertThat(kinds(second)).containsExactly(RENEW_LEADER_LOCK);
        }

        @Test
        void synchronousStandbyPastTheCheckpoint_isWrittenToTheKey() {
            var cluster = cluster(Optional.of(key(SELF)), settings(), member("n2", MemberRole.REPLICA, "running"));
            var memory = HaMemory.INITIAL.withSyncCheckpoint(Optional.of(new SyncCheckpoint("n2", new Lsn(2000))));
            var local = primary(2500, names("n2", true), row("n2", "sync", 2000));
            Decision d = HaDecider.decide(leading(cluster, local), memory);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC);
            var write = (Action.WriteSync) d.plan().get(1);
            assertThat(write.leader()).contains(SELF);
            assertThat(write.standbys()).containsExactly("n2");
            assertThat(write.version()).isEqualTo(SYNC_VERSION);
        }

        @Test
        void standbyPostgresDoesNotReportSynchronous_isNotNamed() {
            var cluster = cluster(Optional.of(key(SELF)), settings(), member("n2", MemberRole.REPLICA, "running"));
            var memory = HaMemory.INITIAL.withSyncCheckpoint(Optional.of(new SyncCheckpoint("n2", new Lsn(2000))));
            // Far enough, but PostgreSQL does not wait for it yet (its walsender has not taken the new setting).
            var local = primary(2500, names("n2", true), row("n2", "potential", 2500));
            assertThat(kinds(HaDecider.decide(leading(cluster, local), memory))).containsExactly(RENEW_LEADER_LOCK);
        }

        @Test
        void replicaStillCatchingUp_isNoCandidate() {
            var cluster = cluster(Optional.of(key(SELF)), settings(), member("n2", MemberRole.REPLICA, "running"));
            var catchingUp = new ReplicationConnection(
                    "replicator", "n2", "127.0.0.1", "catchup", "async", 0, Optional.of(new Lsn(10)), Optional.empty());
            var local = primary(2500, names("", true), catchingUp);
            assertThat(kinds(HaDecider.decide(leading(cluster, local), HaMemory.INITIAL)))
                    .containsExactly(RENEW_LEADER_LOCK);
        }

        @Test
        void steadyState_changesNothing() {
            var cluster =
                    cluster(Optional.of(key(SELF, "n2")), settings(), member("n2", MemberRole.REPLICA, "running"));
            var memory = HaMemory.INITIAL.withSyncCheckpoint(Optional.of(new SyncCheckpoint("n2", new Lsn(2000))));
            var local = primary(3000, names("n2", true), row("n2", "sync", 2900));
            Decision d = HaDecider.decide(leading(cluster, local), memory);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK);
        }

        @Test
        void synchronousStandbyGone_keyShrinksBeforePostgresStopsWaiting() {
            var cluster =
                    cluster(Optional.of(key(SELF, "n2")), settings(), member("n2", MemberRole.REPLICA, "running"));
            var local = primary(3000, names("n2", true));
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC, SET_SYNCHRONOUS_STANDBY_NAMES);
            assertThat(((Action.WriteSync) d.plan().get(1)).standbys()).isEmpty();
            assertThat(setNames(d)).contains("");
        }

        @Test
        void strictModeWithoutStandby_waitsForAnyStandby() {
            var cluster = cluster(
                    Optional.of(key(SELF, "n2")), strictSettings(), member("n2", MemberRole.REPLICA, "running"));
            var local = primary(3000, names("n2", true));
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC, SET_SYNCHRONOUS_STANDBY_NAMES);
            assertThat(setNames(d)).contains("*");
        }

        @Test
        void swappingStandbys_dropsTheOldOneFromTheKeyFirst() {
            Member n2 = withTags(member("n2", MemberRole.REPLICA, "running"), "nosync", true);
            var cluster =
                    cluster(Optional.of(key(SELF, "n2")), settings(), n2, member("n3", MemberRole.REPLICA, "running"));
            var local = primary(3000, names("n2", true), row("n2", "sync", 3000), row("n3", "async", 3000));
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC, SET_SYNCHRONOUS_STANDBY_NAMES);
            assertThat(((Action.WriteSync) d.plan().get(1)).standbys()).isEmpty();
            assertThat(setNames(d)).contains("n3");
        }

        @Test
        void strictMode_standbyAdvertisingNosync_isReplacedByTheOtherOne() {
            Member n2 = withTags(member("n2", MemberRole.REPLICA, "running"), "nosync", true);
            var cluster = cluster(
                    Optional.of(key(SELF, "n2")), strictSettings(), n2, member("n3", MemberRole.REPLICA, "running"));
            var local = primary(3000, names("n2", true), row("n2", "sync", 3000), row("n3", "async", 3000));
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC, SET_SYNCHRONOUS_STANDBY_NAMES);
            assertThat(((Action.WriteSync) d.plan().get(1)).standbys()).isEmpty();
            assertThat(setNames(d)).contains("n3");
        }

        @Test
        void syncPriority_thenPosition_chooseTheStandby() {
            Member n2 = withTags(member("n2", MemberRole.REPLICA, "running"), "sync_priority", 1);
            Member n3 = withTags(member("n3", MemberRole.REPLICA, "running"), "sync_priority", 5);
            var cluster = cluster(Optional.of(key(SELF)), settings(), n2, n3);
            var local = primary(3000, names("", true), row("n2", "async", 3000), row("n3", "async", 100));
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(setNames(d)).contains("n3");

            var equal = cluster(
                    Optional.of(key(SELF)),
                    settings(),
                    member("n2", MemberRole.REPLICA, "running"),
                    member("n3", MemberRole.REPLICA, "running"));
            var behind = primary(3000, names("", true), row("n2", "async", 100), row("n3", "async", 3000));
            assertThat(setNames(HaDecider.decide(leading(equal, behind), HaMemory.INITIAL)))
                    .contains("n3");
        }

        @Test
        void maximumLagOnSyncNode_passesOverALaggingCandidate() {
            TreeMap<String, Object> raw = settings();
            raw.put("maximum_lag_on_syncnode", 1000);
            Member n2 = withTags(member("n2", MemberRole.REPLICA, "running"), "sync_priority", 9);
            var cluster = cluster(Optional.of(key(SELF)), raw, n2, member("n3", MemberRole.REPLICA, "running"));
            var local = primary(90000, names("", true), row("n2", "async", 100), row("n3", "async", 90000));
            assertThat(setNames(HaDecider.decide(leading(cluster, local), HaMemory.INITIAL)))
                    .contains("n3");
        }

        @Test
        void twoSynchronousStandbys_areAllRequired() {
            TreeMap<String, Object> raw = settings();
            raw.put("synchronous_node_count", 2);
            var cluster = cluster(
                    Optional.of(key(SELF)),
                    raw,
                    member("n2", MemberRole.REPLICA, "running"),
                    member("n3", MemberRole.REPLICA, "running"));
            var local = primary(3000, names("", true), row("n3", "async", 3000), row("n2", "async", 3000));
            assertThat(setNames(HaDecider.decide(leading(cluster, local), HaMemory.INITIAL)))
                    .contains("FIRST 2 (n2,n3)");
        }

        @Test
        void missingKey_isCreatedForThisLeader() {
            var cluster = cluster(Optional.empty(), settings(), member("n2", MemberRole.REPLICA, "running"));
            var local = primary(3000, names("", true));
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC);
            var write = (Action.WriteSync) d.plan().get(1);
            assertThat(write.leader()).contains(SELF);
            assertThat(write.version()).isZero();
        }

        @Test
        void modeSwitchedOff_emptiesTheKeyAndGivesTheSettingBack() {
            var cluster =
                    cluster(Optional.of(key(SELF, "n2")), asynchronous(), member("n2", MemberRole.REPLICA, "running"));
            var local = primary(3000, names("n2", true), row("n2", "sync", 3000));
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC, SET_SYNCHRONOUS_STANDBY_NAMES);
            assertThat(((Action.WriteSync) d.plan().get(1)).leader()).isEmpty();
            assertThat(((Action.SetSynchronousStandbyNames) d.plan().get(2)).value())
                    .isEmpty();
        }

        @Test
        void asynchronousMode_leavesAConfiguredSettingAlone() {
            var cluster = cluster(Optional.empty(), asynchronous(), member("n2", MemberRole.REPLICA, "running"));
            var local = primary(3000, names("n2", false), row("n2", "sync", 3000));
            assertThat(kinds(HaDecider.decide(leading(cluster, local), HaMemory.INITIAL)))
                    .containsExactly(RENEW_LEADER_LOCK);
        }

        @Test
        void paused_stillShrinksTheKeyWhenTheStandbyGoes() {
            TreeMap<String, Object> raw = settings();
            raw.put("pause", true);
            var cluster = cluster(Optional.of(key(SELF, "n2")), raw, member("n2", MemberRole.REPLICA, "running"));
            var local = primary(3000, names("n2", true));
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(d.reason().code()).isEqualTo(Code.PAUSED);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC, SET_SYNCHRONOUS_STANDBY_NAMES);
        }

        @Test
        void promotion_namesOnlyThisNodeInTheKeyFirst() {
            var cluster = cluster(
                    Optional.of(key("n2", SELF)), strictSettings(), member("n2", MemberRole.PRIMARY, "running"));
            var local = Fixtures.replica(3000, Optional.empty());
            Decision d = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC, SET_SYNCHRONOUS_STANDBY_NAMES, PROMOTE);
            var write = (Action.WriteSync) d.plan().get(1);
            assertThat(write.leader()).contains(SELF);
            assertThat(write.standbys()).isEmpty();
            assertThat(setNames(d)).contains("*");
        }
    }

    @Nested
    class OnAReplica {
        @Test
        void keepsTheValueItsPromotionNeedsInEffect() {
            var cluster =
                    cluster(Optional.of(key("n2", SELF)), settings(), member("n2", MemberRole.PRIMARY, "running"));
            var local = Fixtures.replica(3000, Optional.empty());
            Decision d = HaDecider.decide(Fixtures.observe(cluster.withLeader("n2"), local), HaMemory.INITIAL);
            assertThat(d.reason().code()).isIn(Code.FOLLOWING_LEADER, Code.REFOLLOWING_LEADER);
            assertThat(kinds(d)).contains(SET_SYNCHRONOUS_STANDBY_NAMES);
            assertThat(setNames(d)).contains("");
        }

        @Test
        void withThatValueInEffect_neitherFollowingNorItsPromotionReloads() {
            var cluster = cluster(
                    Optional.of(key("n2", SELF)), strictSettings(), member("n2", MemberRole.PRIMARY, "running"));
            var local = Fixtures.replica(3000, Optional.empty()).withStandbyNames(names("*", true));
            Decision following = HaDecider.decide(Fixtures.observe(cluster.withLeader("n2"), local), HaMemory.INITIAL);
            assertThat(kinds(following)).doesNotContain(SET_SYNCHRONOUS_STANDBY_NAMES);
            // A reload right before pg_ctl promote can hold the promotion up for wal_retrieve_retry_interval.
            Decision promoting = HaDecider.decide(leading(cluster, local), HaMemory.INITIAL);
            assertThat(kinds(promoting)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC, PROMOTE);
        }

        @Test
        void asynchronousMode_leavesTheReplicaAlone() {
            var cluster = cluster(Optional.empty(), asynchronous(), member("n2", MemberRole.PRIMARY, "running"));
            var local = Fixtures.replica(3000, Optional.empty());
            Decision d = HaDecider.decide(Fixtures.observe(cluster.withLeader("n2"), local), HaMemory.INITIAL);
            assertThat(kinds(d)).doesNotContain(SET_SYNCHRONOUS_STANDBY_NAMES);
        }
    }

    @Nested
    class InTheLeaderRace {
        @Test
        void synchronousStandby_takesTheLockAndPromotes() {
            var cluster =
                    cluster(Optional.of(key("n2", SELF)), settings(), member("n3", MemberRole.REPLICA, "running"));
            var obs = racing(cluster, Fixtures.replica(1000, Optional.empty()), peer("n3", true, 5000, Tags.NONE));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            // n3 is further ahead, but asynchronous: it may not be promoted, so it does not stop this node.
            assertThat(kinds(d))
                    .containsExactly(ACQUIRE_LEADER_LOCK, WRITE_SYNC, SET_SYNCHRONOUS_STANDBY_NAMES, PROMOTE);
        }

        @Test
        void asynchronousReplica_doesNotRace() {
            var cluster = cluster(Optional.of(key("n2", "n3")), settings());
            Decision d = HaDecider.decide(racing(cluster, Fixtures.replica(9000, Optional.empty())), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.NOT_ELIGIBLE_FOR_LEADERSHIP);
        }

        @Test
        void synchronousStandby_stillYieldsToARunningPrimary() {
            var cluster = cluster(Optional.of(key("n2", SELF)), settings());
            var obs = racing(cluster, Fixtures.replica(1000, Optional.empty()), peer("n2", false, 1000, Tags.NONE));
            assertThat(HaDecider.decide(obs, HaMemory.INITIAL).reason().code()).isEqualTo(Code.PRIMARY_STILL_ALIVE);
        }

        @Test
        void keyWithoutLeader_letsEveryReplicaRace() {
            var cluster = cluster(Optional.of(new SyncState(Optional.empty(), List.of(), 0, SYNC_VERSION)), settings());
            Decision d = HaDecider.decide(racing(cluster, Fixtures.replica(9000, Optional.empty())), HaMemory.INITIAL);
            assertThat(kinds(d)).contains(ACQUIRE_LEADER_LOCK, PROMOTE);
        }
    }

    @Test
    void standbyNamesValue_quotesOnlyWhatSqlNeeds() {
        assertThat(StandbyNamesValue.of(org.bellwether.core.SynchronousMode.ON, List.of("node-2"), false))
                .isEqualTo("\"node-2\"");
        assertThat(StandbyNamesValue.of(org.bellwether.core.SynchronousMode.ON, List.of("first"), false))
                .isEqualTo("\"first\"");
        assertThat(StandbyNamesValue.of(org.bellwether.core.SynchronousMode.QUORUM, List.of("b", "a"), false))
                .isEqualTo("ANY 2 (a,b)");
        assertThat(StandbyNamesValue.of(org.bellwether.core.SynchronousMode.ON, List.of(), false))
                .isEmpty();
    }

    // ---- fixtures

    /** Asynchronous, without replication slots (their step would be in every plan). */
    private static TreeMap<String, Object> asynchronous() {
        TreeMap<String, Object> raw = new TreeMap<>();
        raw.put("postgresql", java.util.Map.of("use_slots", false));
        return raw;
    }

    private static TreeMap<String, Object> settings() {
        TreeMap<String, Object> raw = asynchronous();
        raw.put("synchronous_mode", "on");
        return raw;
    }

    private static TreeMap<String, Object> strictSettings() {
        TreeMap<String, Object> raw = settings();
        raw.put("synchronous_mode_strict", true);
        return raw;
    }

    private static SyncState key(String leader, String... standbys) {
        return new SyncState(Optional.of(leader), List.of(standbys), 0, SYNC_VERSION);
    }

    /** This node (n1) and {@code others}, with the sync key and configuration given; led by n1 or by nobody. */
    private static ClusterSpec cluster(Optional<SyncState> sync, TreeMap<String, Object> raw, Member... others) {
        return new ClusterSpec(sync, raw, others);
    }

    private static final class ClusterSpec {
        private final Optional<SyncState> sync;
        private final TreeMap<String, Object> raw;
        private final List<Member> members = new ArrayList<>();

        ClusterSpec(Optional<SyncState> sync, TreeMap<String, Object> raw, Member... others) {
            this.sync = sync;
            this.raw = raw;
            members.add(member(SELF, MemberRole.PRIMARY, "running"));
            members.addAll(List.of(others));
        }

        ClusterView withLeader(String name) {
            var base = new Fixtures.Cluster().config(raw).leader(name).build();
            return new ClusterView(
                    base.initialize(),
                    base.config(),
                    base.leader(),
                    members,
                    Optional.empty(),
                    new TreeMap<>(),
                    List.of(),
                    Optional.empty(),
                    sync,
                    Optional.empty());
        }
    }

    private static Observation leading(ClusterSpec cluster, LocalPostgres local) {
        return Fixtures.observe(cluster.withLeader(SELF), local);
    }

    private static Observation racing(ClusterSpec cluster, LocalPostgres local, PeerStatus... others) {
        var unlocked = Fixtures.unlocked(cluster.withLeader(SELF));
        return Fixtures.observe(unlocked, local, peers(others), Tags.NONE);
    }

    private static LocalPostgres primary(long lsn, StandbyNames names, ReplicationConnection... rows) {
        return Fixtures.primaryWith(lsn, names, rows);
    }

    private static StandbyNames names(String value, boolean setByAgent) {
        return new StandbyNames(value, setByAgent);
    }

    private static ReplicationConnection row(String name, String syncState, long flushed) {
        return new ReplicationConnection(
                "replicator",
                name,
                "127.0.0.1",
                "streaming",
                syncState,
                syncState.equals("async") ? 0 : 1,
                Optional.of(new Lsn(flushed)),
                Optional.of(new Lsn(flushed)));
    }

    private static Member withTags(Member m, String tag, Object value) {
        return OpsFixtures.tagged(m, Fixtures.tags(tag, value));
    }

    private static Optional<String> setNames(Decision d) {
        return d.plan().stream()
                .filter(a -> a instanceof Action.SetSynchronousStandbyNames)
                .map(a -> ((Action.SetSynchronousStandbyNames) a).value().orElse("<configuration>"))
                .findFirst();
    }
}
