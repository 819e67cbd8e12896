package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.ClusterView;

/**
 * Whether to fetch the leader's timeline history before deciding. Like {@link PeerProbe}, the core says up front
 * what it will need and the agent fetches it as part of observing ({@code PostgresNode.leaderTimeline}); the
 * decision then finds it in {@link Observation#leaderTimeline()}.
 */
public final class RejoinProbe {
    private RejoinProbe() {}

    /** The leader to ask, when this cycle's decision will check this node's history against it. */
    public static Optional<Upstream> wanted(
            ClusterView cluster,
            NodeIdentity self,
            LocalPostgres local,
            Optional<Operation> operation,
            HaMemory memory) {
        return Rejoin.leaderToCheck(cluster, self.name(), local, operation, memory);
    }
}
