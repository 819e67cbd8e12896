package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.RENEW_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.SET_SYNCHRONOUS_STANDBY_NAMES;
import static org.bellwether.core.ha.Action.Kind.WRITE_SYNC;
import static org.bellwether.core.ha.Fixtures.SELF;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.Fixtures.member;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.bellwether.core.ClusterConfig;
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
import org.junit.jupiter.api.Test;

/** synchronous_mode quorum: the safety rule, the leader's order of steps, and the vote a candidate needs. */
class QuorumReplicationTest {
    private static final long VERSION = 12;

    @Test
    void coveredBy_needsEveryAcknowledgingSetToMeetEveryWinningVote() {
        QuorumRule anyOfTwo = QuorumRule.parse("ANY 1 (n2,n3)").orElseThrow();
        assertThat(anyOfTwo.coveredBy(Set.of("n2", "n3"), 1)).isTrue();
        // A candidate needing no other vote may be the one standby that did not acknowledge.
        assertThat(anyOfTwo.coveredBy(Set.of("n2", "n3"), 0)).isFalse();
        QuorumRule anyOfThree = QuorumRule.parse("ANY 1 (n2,n3,n4)").orElseThrow();
        // n4 alone may have acknowledged, and a vote of n2 and n3 never asks it.
        assertThat(anyOfThree.coveredBy(Set.of("n2", "n3"), 1)).isFalse();
        assertThat(anyOfThree.coveredBy(Set.of("n2", "n3", "n4"), 2)).isTrue();
        assertThat(QuorumRule.parse("ANY 2 (n2,n3,n4)").orElseThrow().coveredBy(Set.of("n2", "n3", "n4"), 1))
                .isTrue();
        // Without voters only the leader may be promoted: always covered; with voters, no rule means no promise.
        assertThat(QuorumRule.parse("").orElseThrow().coveredBy(Set.of(), 0)).isTrue();
        assertThat(QuorumRule.parse("").orElseThrow().coveredBy(Set.of("n2"), 0))
                .isFalse();
        assertThat(QuorumRule.UNKNOWN.coveredBy(Set.of("n2", "n3"), 1)).isFalse();
    }

    @Test
    void newStandby_becomesAVoterWithOneMoreVoteNeeded_beforePostgresWaitsForIt() {
        var cluster = cluster(key(1, "n2", "n3"), "n2", "n3", "n4");
        var local = primary(5000, "ANY 1 (n2,n3)", row("n2", 5000), row("n3", 5000), row("n4", 5000));
        Decision d = HaDecider.decide(Fixtures.observe(cluster, local), HaMemory.INITIAL);
        assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC, SET_SYNCHRONOUS_STANDBY_NAMES);
        var interim = (Action.WriteSync) d.plan().get(1);
        assertThat(interim.standbys()).containsExactly("n2", "n3", "n4");
        assertThat(interim.quorum()).isEqualTo(2);
        assertThat(((Action.SetSynchronousStandbyNames) d.plan().get(2)).value())
                .contains("ANY 1 (n2,n3,n4)");
    }

    @Test
    void afterTheChange_theTargetWaitsUntilAllButQuorumVotersPassedTheCheckpoint() {
        var cluster = cluster(key(2, "n2", "n3", "n4"), "n2", "n3", "n4");
        var memory =
                HaMemory.INITIAL.withSyncCheckpoint(Optional.of(new SyncCheckpoint("ANY 1 (n2,n3,n4)", new Lsn(5000))));
        // Target: voters n2,n3,n4 with quorum 2 is what the key holds already: nothing to do.
        var same = primary(6000, "ANY 1 (n2,n3,n4)", row("n2", 100), row("n3", 100), row("n4", 6000));
        assertThat(kinds(HaDecider.decide(Fixtures.observe(cluster, same), memory)))
                .containsExactly(RENEW_LEADER_LOCK);

        TreeMap<String, Object> two = settings();
        two.put("synchronous_node_count", 2);
        var wantsTwo = cluster(two, key(2, "n2", "n3", "n4"), "n2", "n3", "n4");
        var twoMemory =
                HaMemory.INITIAL.withSyncCheckpoint(Optional.of(new SyncCheckpoint("ANY 2 (n2,n3,n4)", new Lsn(5000))));
        // Target quorum 1: two of the three voters must be past 5000; only one is.
        var behind = primary(6000, "ANY 2 (n2,n3,n4)", row("n2", 100), row("n3", 100), row("n4", 6000));
        assertThat(kinds(HaDecider.decide(Fixtures.observe(wantsTwo, behind), twoMemory)))
                .containsExactly(RENEW_LEADER_LOCK);
        var caughtUp = primary(6000, "ANY 2 (n2,n3,n4)", row("n2", 5000), row("n3", 100), row("n4", 6000));
        Decision d = HaDecider.decide(Fixtures.observe(wantsTwo, caughtUp), twoMemory);
        assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC);
        assertThat(((Action.WriteSync) d.plan().get(1)).quorum()).isEqualTo(1);
    }

    @Test
    void voterAdvertisingNosync_leavesPostgresFirst_thenTheKeyOnceTheOtherVotersHaveEveryCommit() {
        var cluster = cluster(settings(), key(1, "n2", "n3"), Set.of("n3"), "n2", "n3");
        var both = primary(5000, "ANY 1 (n2,n3)", row("n2", 5000), row("n3", 5000));
        // The key still covers the new rule, so PostgreSQL changes first; the key keeps n3 meanwhile.
        Decision first = HaDecider.decide(Fixtures.observe(cluster, both), HaMemory.INITIAL);
        assertThat(kinds(first)).containsExactly(RENEW_LEADER_LOCK, SET_SYNCHRONOUS_STANDBY_NAMES);
        assertThat(((Action.SetSynchronousStandbyNames) first.plan().get(1)).value())
                .contains("ANY 1 (n2)");

        var memory = HaMemory.INITIAL.withSyncCheckpoint(Optional.of(new SyncCheckpoint("ANY 1 (n2)", new Lsn(5000))));
        var changed = primary(6000, "ANY 1 (n2)", row("n2", 5000), row("n3", 5000));
        Decision later = HaDecider.decide(Fixtures.observe(cluster, changed), memory);
        assertThat(kinds(later)).containsExactly(RENEW_LEADER_LOCK, WRITE_SYNC);
        var released = (Action.WriteSync) later.plan().get(1);
        assertThat(released.standbys()).containsExactly("n2");
        assertThat(released.quorum()).isZero();
    }

    @Test
    void voterNeeds_quorumOtherVotersNoFurther() {
        var cluster = cluster(key(1, SELF, "n3"), "n3");
        var unlocked = Fixtures.unlocked(cluster);
        var alone = Fixtures.observe(unlocked, Fixtures.replica(5000, Optional.empty()));
        Decision d = HaDecider.decide(alone, HaMemory.INITIAL);
        assertThat(d.reason().code()).isEqualTo(Code.NOT_ENOUGH_VOTES);

        var voted = Fixtures.observe(
                unlocked,
                Fixtures.replica(5000, Optional.empty()),
                Fixtures.peers(Fixtures.peer("n3", true, 4000, Tags.NONE)),
                Tags.NONE);
        assertThat(kinds(HaDecider.decide(voted, HaMemory.INITIAL))).contains(Action.Kind.PROMOTE);
    }

    // ---- fixtures

    private static TreeMap<String, Object> settings() {
        TreeMap<String, Object> raw = new TreeMap<>();
        raw.put("postgresql", java.util.Map.of("use_slots", false));
        raw.put("synchronous_mode", "quorum");
        return raw;
    }

    private static SyncState key(int quorum, String... voters) {
        return new SyncState(Optional.of("leader-placeholder"), List.of(voters), quorum, VERSION);
    }

    private static ClusterView cluster(SyncState key, String... replicas) {
        return cluster(settings(), key, Set.of(), replicas);
    }

    private static ClusterView cluster(TreeMap<String, Object> raw, SyncState key, String... replicas) {
        return cluster(raw, key, Set.of(), replicas);
    }

    /**
     * Led by n1; the key's leader is n1 unless the key names n1 among its voters (then n2 led before). The replicas
     * in {@code noSync} publish {@code nosync}, as a voter about to stop does.
     */
    private static ClusterView cluster(
            TreeMap<String, Object> raw, SyncState key, Set<String> noSync, String... replicas) {
        String keyLeader = key.syncStandbys().contains(SELF) ? "n2" : SELF;
        List<Member> members = new java.util.ArrayList<>();
        members.add(member(SELF, MemberRole.PRIMARY, "running"));
        for (String r : replicas) {
            Member replica = member(r, MemberRole.REPLICA, "running");
            members.add(noSync.contains(r) ? replica.withTags(replica.tags().withNoSync()) : replica);
        }
        return new ClusterView(
                Optional.of(Fixtures.SYSID),
                Optional.of(new ClusterConfig(raw, 2)),
                Optional.of(new ClusterView.LeaderKey(SELF, 7)),
                members,
                Optional.empty(),
                new TreeMap<>(),
                List.of(),
                Optional.empty(),
                Optional.of(new SyncState(Optional.of(keyLeader), key.syncStandbys(), key.quorum(), VERSION)),
                Optional.empty());
    }

    private static LocalPostgres primary(long lsn, String names, ReplicationConnection... rows) {
        return Fixtures.primaryWith(lsn, new StandbyNames(names, true), rows);
    }

    private static ReplicationConnection row(String name, long flushed) {
        return new ReplicationConnection(
                "replicator",
                name,
                "127.0.0.1",
                "streaming",
                "quorum",
                1,
                Optional.of(new Lsn(flushed)),
                Optional.of(new Lsn(flushed)));
    }
}
