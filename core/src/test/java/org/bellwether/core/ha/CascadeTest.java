package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.FOLLOW;
import static org.bellwether.core.ha.Action.Kind.START;
import static org.bellwether.core.ha.Action.Kind.SYNC_REPLICATION_SLOTS;
import static org.bellwether.core.ha.Fixtures.kinds;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HostPort;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.junit.jupiter.api.Test;

/** {@code tags.replicatefrom}: n1 (this node) names n3; n2 leads. */
class CascadeTest {
    private static final HostPort N2_PG = HostPort.parse("127.0.0.1:542");
    private static final HostPort N3_PG = HostPort.parse("127.0.0.1:543");
    private static final Tags FROM_N3 = Fixtures.tags("replicatefrom", "n3");

    private static Member member(String name, MemberRole role, String state, Optional<String> replication, Tags tags) {
        return Fixtures.withTags(Fixtures.member(name, role, state), replication, tags);
    }

    private static Member leaderN2() {
        return member("n2", MemberRole.PRIMARY, "running", Optional.empty(), Tags.NONE);
    }

    private static Member streamingN3(Tags tags) {
        return member("n3", MemberRole.REPLICA, "running", Optional.of("streaming"), tags);
    }

    private static Member me() {
        return member("n1", MemberRole.REPLICA, "running", Optional.of("streaming"), FROM_N3);
    }

    private static ClusterView cluster(Member... members) {
        return new Fixtures.Cluster().leader("n2").members(members).build();
    }

    private static Decision decide(ClusterView cluster, LocalPostgres local) {
        return HaDecider.decide(Fixtures.observe(cluster, local, new TreeMap<>(), FROM_N3), HaMemory.INITIAL);
    }

    @Test
    void replicaStreamingFromTheLeader_switchesToTheStreamingMemberItNames() {
        Decision d =
                decide(cluster(leaderN2(), streamingN3(Tags.NONE), me()), Fixtures.replica(100, Optional.of(N2_PG)));

        assertThat(kinds(d)).containsExactly(FOLLOW, SYNC_REPLICATION_SLOTS);
        assertThat(d.plan().get(0)).isEqualTo(new Action.Follow(new Upstream("n3", N3_PG)));
        assertThat(d.reason().detail()).contains("n3").contains("replicatefrom");
    }

    @Test
    void replicaAlreadyStreamingFromTheNamedMember_staysThere() {
        Decision d =
                decide(cluster(leaderN2(), streamingN3(Tags.NONE), me()), Fixtures.replica(100, Optional.of(N3_PG)));

        assertThat(kinds(d)).containsExactly(SYNC_REPLICATION_SLOTS);
        assertThat(d.reason().code()).isEqualTo(Reason.Code.FOLLOWING_LEADER);
    }

    @Test
    void namedMemberNotStreaming_fallsBackToTheLeader() {
        Member stopped = member("n3", MemberRole.REPLICA, "stopped", Optional.empty(), Tags.NONE);
        Member archiveOnly = member("n3", MemberRole.REPLICA, "running", Optional.of("in archive recovery"), Tags.NONE);

        for (Member n3 : List.of(stopped, archiveOnly)) {
            Decision d = decide(cluster(leaderN2(), n3, me()), Fixtures.replica(100, Optional.of(N3_PG)));
            assertThat(d.plan()).contains(new Action.Follow(new Upstream("n2", N2_PG)));
        }
    }

    @Test
    void namedMemberMissingOrNamingThisNodeBack_fallsBackToTheLeader() {
        Decision missing = decide(cluster(leaderN2(), me()), Fixtures.replica(100, Optional.of(N3_PG)));
        Decision loop = decide(
                cluster(leaderN2(), streamingN3(Fixtures.tags("replicatefrom", "n1")), me()),
                Fixtures.replica(100, Optional.of(N3_PG)));

        assertThat(missing.plan()).contains(new Action.Follow(new Upstream("n2", N2_PG)));
        assertThat(loop.plan()).contains(new Action.Follow(new Upstream("n2", N2_PG)));
    }

    @Test
    void stoppedReplica_startsStreamingFromTheNamedMember() {
        Decision d =
                decide(cluster(leaderN2(), streamingN3(Tags.NONE), me()), Fixtures.stopped("shut down in recovery"));

        assertThat(kinds(d)).containsExactly(START);
        assertThat(((Action.Start) d.plan().get(0)).upstream()).contains(new Upstream("n3", N3_PG));
    }

    @Test
    void slots_theIntermediateKeepsOneForItsDownstreamAndTheLeaderNone() {
        ClusterView cluster = cluster(leaderN2(), streamingN3(Tags.NONE), me());

        assertThat(memberSlots("n3", false, cluster)).containsExactly("n1");
        assertThat(memberSlots("n2", true, cluster)).containsExactly("n3");
        assertThat(memberSlots("n1", false, cluster)).isEmpty();
    }

    @Test
    void slots_withTheIntermediateDown_theLeaderKeepsTheDownstreamsSlot() {
        ClusterView cluster =
                cluster(leaderN2(), member("n3", MemberRole.REPLICA, "stopped", Optional.empty(), Tags.NONE), me());

        assertThat(memberSlots("n2", true, cluster)).containsExactly("n1", "n3");
        assertThat(memberSlots("n3", false, cluster)).isEmpty();
    }

    /** The member slots a node keeps with {@code member_slots_ttl: 0}: only those of members streaming from it. */
    private static java.util.Set<String> memberSlots(String node, boolean primary, ClusterView cluster) {
        var settings = org.bellwether.core.HaSettings.from(java.util.Map.of("member_slots_ttl", 0));
        var self = new NodeIdentity(node, Tags.NONE, new java.util.TreeMap<>());
        return SlotWants.of(self, cluster, settings, primary, true, java.util.List.of())
                .keySet();
    }
}
