package org.bellwether.core.ha;

import java.util.List;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.Member;

/**
 * Which peers to ask for their status before deciding. Patroni makes these calls inside the leader race; here the
 * core says up front what it will need, and the agent fetches it as part of observing.
 */
public final class PeerProbe {
    private PeerProbe() {}

    /** Every other member with a REST address, when the lock is free and this node could race for it. */
    public static List<Member> wanted(ClusterView cluster, NodeIdentity self, LocalPostgres local) {
        if (!mayRace(cluster, self, local)) {
            return List.of();
        }
        if (isNamedCandidate(cluster, self)) {
            return List.of();
        }
        return cluster.members().stream()
                .filter(m -> !m.name().equals(self.name()))
                .filter(m -> m.apiUrl().isPresent())
                .toList();
    }

    /**
     * As {@link #wanted(ClusterView, NodeIdentity, LocalPostgres)}, and also the members of the last view that had a
     * leader (Patroni's {@code old_cluster}): a member cut off from the DCS loses its key with its lease, yet may still
     * answer and be further ahead than this node. The current key wins where a member appears in both.
     */
    public static List<Member> wanted(
            ClusterView cluster, List<Member> lastMembersWithLeader, NodeIdentity self, LocalPostgres local) {
        if (!mayRace(cluster, self, local) || isNamedCandidate(cluster, self)) {
            return List.of();
        }
        TreeMap<String, Member> byName = new TreeMap<>();
        lastMembersWithLeader.stream()
                .filter(m -> !m.name().equals(self.name()))
                .filter(m -> m.apiUrl().isPresent())
                .forEach(m -> byName.put(m.name(), m));
        wanted(cluster, self, local).forEach(m -> byName.put(m.name(), m));
        return List.copyOf(byName.values());
    }

    /**
     * Named by the operator: it takes the lock without comparing itself to anyone, so ask nobody and lose no time to a
     * slow peer.
     */
    private static boolean isNamedCandidate(ClusterView cluster, NodeIdentity self) {
        return SwitchoverPolicy.activeRequest(cluster)
                .flatMap(FailoverIntent::candidate)
                .filter(self.name()::equals)
                .isPresent();
    }

    /** A leader key that names nobody must expire before anyone races: nothing to ask meanwhile. */
    private static boolean mayRace(ClusterView cluster, NodeIdentity self, LocalPostgres local) {
        return cluster.leader().isEmpty()
                && cluster.invalidLeader().isEmpty()
                && local.isReplica()
                && self.tags().canBecomeLeader();
    }
}
