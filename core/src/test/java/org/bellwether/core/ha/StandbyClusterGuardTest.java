package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.ACQUIRE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.DEMOTE;
import static org.bellwether.core.ha.Action.Kind.PROMOTE;
import static org.bellwether.core.ha.Action.Kind.RELEASE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.START;
import static org.bellwether.core.ha.Fixtures.SELF;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.Fixtures.member;
import static org.bellwether.core.ha.Fixtures.memberAt;
import static org.bellwether.core.ha.Fixtures.observe;
import static org.bellwether.core.ha.Fixtures.peer;
import static org.bellwether.core.ha.Fixtures.peers;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Lsn;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.Reason.Code;
import org.junit.jupiter.api.Test;

/** A node of a standby cluster never becomes, nor stays, a writable primary. */
class StandbyClusterGuardTest {
    private static SortedMap<String, Object> standbyConfig() {
        SortedMap<String, Object> raw = new TreeMap<>();
        raw.put("standby_cluster", Map.of("host", "10.0.0.1", "port", 5432));
        return raw;
    }

    private static Fixtures.Cluster standby() {
        return new Fixtures.Cluster().config(standbyConfig());
    }

    @Test
    void replicaOfALeaderlessStandbyCluster_doesNotRaceNorPromote() {
        ClusterView free = standby()
                .optime(1000)
                .members(memberAt("n2", MemberRole.REPLICA, new Lsn(900)))
                .build();
        var obs = observe(
                free, Fixtures.replica(1000, Optional.empty()), peers(peer("n2", true, 900, Tags.NONE)), Tags.NONE);

        Decision d = HaDecider.decide(obs, HaMemory.INITIAL);

        assertThat(kinds(d)).doesNotContain(ACQUIRE_LEADER_LOCK, PROMOTE).isEmpty();
        assertThat(d.reason().code()).isEqualTo(Code.STANDBY_CLUSTER_NOT_RUN);
    }

    @Test
    void sameReplicaWithoutTheSection_racesAndPromotes() {
        ClusterView free = new Fixtures.Cluster()
                .optime(1000)
                .members(memberAt("n2", MemberRole.REPLICA, new Lsn(900)))
                .build();
        var obs = observe(
                free, Fixtures.replica(1000, Optional.empty()), peers(peer("n2", true, 900, Tags.NONE)), Tags.NONE);

        assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(ACQUIRE_LEADER_LOCK, PROMOTE);
    }

    @Test
    void emptyDataDirectory_doesNotBootstrapANewCluster() {
        ClusterView uninitialized = standby().noInitialize().build();

        Decision d = HaDecider.decide(observe(uninitialized, LocalPostgres.emptyDataDirectory()), HaMemory.INITIAL);

        assertThat(d.plan()).isEmpty();
        assertThat(d.reason().code()).isEqualTo(Code.STANDBY_CLUSTER_NOT_RUN);
    }

    @Test
    void leadingPrimary_releasesTheLockAndDemotes() {
        ClusterView led = standby().leader(SELF).build();

        Decision d = HaDecider.decide(observe(led, Fixtures.primary(1000, 1)), HaMemory.INITIAL);

        assertThat(kinds(d)).containsExactly(RELEASE_LEADER_LOCK, DEMOTE);
    }

    @Test
    void stoppedLockHolder_startsReadOnlyAndGivesTheLockUp() {
        ClusterView led = standby().leader(SELF).build();

        Decision d = HaDecider.decide(observe(led, Fixtures.stopped("in production")), HaMemory.INITIAL);

        assertThat(kinds(d)).containsExactly(RELEASE_LEADER_LOCK, START);
        assertThat(((Action.Start) d.plan().get(1)).asReplica()).isTrue();
    }

    @Test
    void replicaOfAStandbyLeader_keepsFollowingIt() {
        ClusterView led = standby()
                .leader("n2")
                .members(member("n2", MemberRole.STANDBY_LEADER, "running"))
                .build();

        Decision d = HaDecider.decide(observe(led, Fixtures.stopped("shut down")), HaMemory.INITIAL);

        assertThat(kinds(d)).containsExactly(START);
        assertThat(((Action.Start) d.plan().get(0)).asReplica()).isTrue();
        assertThat(d.reason().code()).isNotEqualTo(Code.STANDBY_CLUSTER_NOT_RUN);
    }
}
