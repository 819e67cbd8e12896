package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;

/**
 * Cascading replication ({@code tags.replicatefrom}): where a replica streams from, and which replication slots each
 * node keeps for it. A replica streams from the member it names while that one is a running replica that itself
 * streams, so a stopped or broken intermediate never leaves it without WAL; otherwise from the leader, as Patroni falls
 * back to it. Two replicas naming each other would stream only from each other: a member that names this node back is
 * not used. Slots follow the same rule, so the node a replica connects to has the slot it asks for: the intermediate
 * keeps one for each replica streaming through it, and the leader for every other member (Patroni's
 * {@code get_replication_slots}).
 */
final class Cascade {
    private Cascade() {}

    /** The upstream of this node as a replica: the member it is told to replicate from if usable, else the leader. */
    static Optional<Upstream> upstreamFor(NodeIdentity self, ClusterView cluster) {
        Optional<Upstream> named =
                intermediate(self.name(), self.tags(), cluster).flatMap(Bootstrap::upstreamOf);
        if (named.isPresent()) {
            return named;
        }
        return cluster.leaderMember().filter(m -> !m.name().equals(self.name())).flatMap(Bootstrap::upstreamOf);
    }

    /** Whether a member streams through an intermediate replica (its {@code replicatefrom} tag) rather than the leader. */
    static boolean streamsThroughAnother(Member member, ClusterView cluster) {
        return intermediate(member.name(), member.tags(), cluster).isPresent();
    }

    /** Whether {@code member} streams through this node ({@code self}) as its intermediate. */
    static boolean streamsThrough(Member member, String self, ClusterView cluster) {
        return intermediate(member.name(), member.tags(), cluster)
                .map(i -> i.name().equals(self))
                .orElse(false);
    }

    /** The member {@code name} streams from instead of the leader, when its {@code replicatefrom} names a usable one. */
    private static Optional<Member> intermediate(String name, Tags tags, ClusterView cluster) {
        return tags.replicateFrom()
                .filter(target -> !target.equals(name))
                .flatMap(cluster::member)
                .filter(m -> !cluster.isLeader(m.name()))
                .filter(m -> m.role() == MemberRole.REPLICA
                        && m.state().equals("running")
                        && m.replicationState().equals(Optional.of("streaming"))
                        && m.postgresAddress().isPresent()
                        && !m.tags().replicateFrom().equals(Optional.of(name)));
    }
}
