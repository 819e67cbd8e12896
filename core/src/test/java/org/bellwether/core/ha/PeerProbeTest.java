package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Fixtures.member;

import java.util.List;
import java.util.Optional;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.junit.jupiter.api.Test;

class PeerProbeTest {
    private static final NodeIdentity SELF = Fixtures.self(Tags.NONE);

    @Test
    void freeLock_asksEveryOtherMember() {
        var cluster = new Fixtures.Cluster()
                .members(member("n1", MemberRole.REPLICA, "running"), member("n2", MemberRole.REPLICA, "running"))
                .build();
        assertThat(names(PeerProbe.wanted(cluster, SELF, Fixtures.replica(100, Optional.empty()))))
                .containsExactly("n2");
    }

    @Test
    void memberWhoseKeyExpired_isStillAskedWhenTheLastViewWithALeaderHadIt() {
        // Story (simulator seed 1851): n3 leads on timeline 2 and n1 streams from it; both lose the DCS and their keys
        // expire. n2, a former primary stuck on timeline 1, sees a free lock and no other member. Asking only the
        // current members, it would find nobody ahead and promote, throwing away timeline 2.
        var now = new Fixtures.Cluster()
                .members(member("n1", MemberRole.REPLICA, "running"))
                .build();
        List<Member> lastWithLeader = List.of(
                member("n1", MemberRole.REPLICA, "running"),
                member("n2", MemberRole.REPLICA, "running"),
                member("n3", MemberRole.PRIMARY, "running"));
        var self = new NodeIdentity("n2", Tags.NONE, new java.util.TreeMap<>());
        assertThat(names(PeerProbe.wanted(now, lastWithLeader, self, Fixtures.replica(100, Optional.empty()))))
                .containsExactly("n1", "n3");
    }

    @Test
    void lockHeld_asksNobodyWhateverWasKnownBefore() {
        var led = new Fixtures.Cluster()
                .leader("n2")
                .members(member("n2", MemberRole.PRIMARY, "running"))
                .build();
        List<Member> before = List.of(member("n3", MemberRole.REPLICA, "running"));
        assertThat(PeerProbe.wanted(led, before, SELF, Fixtures.replica(100, Optional.empty())))
                .isEmpty();
    }

    private static List<String> names(List<Member> members) {
        return members.stream().map(Member::name).toList();
    }
}
