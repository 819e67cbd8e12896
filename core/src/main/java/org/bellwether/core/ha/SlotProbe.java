package org.bellwether.core.ha;

import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.slots.SlotMemory;
import org.bellwether.core.slots.SlotType;

/**
 * Whether to ask the leader for its slot horizons before deciding: on a running replica that has copies of permanent
 * logical slots not yet found safe for a failover. The agent fetches them ({@code PostgresNode.leaderSlotHorizons})
 * and the decision finds them in {@link Observation#leaderSlots()}.
 */
public final class SlotProbe {
    private SlotProbe() {}

    /** What to ask: the leader, this node's slot there, and the logical slots to compare. */
    public record Request(Upstream leader, String ownSlot, List<String> logicalSlots) {}

    public static Optional<Request> wanted(
            ClusterView cluster, NodeIdentity self, LocalPostgres local, HaSettings settings, SlotMemory memory) {
        if (!settings.useSlots() || !settings.slots().hasLogicalSlots() || !local.isReplica()) {
            return Optional.empty();
        }
        List<String> pending = local.slots().stream()
                .filter(s -> s.type() == SlotType.LOGICAL)
                .map(s -> s.name())
                .filter(name -> settings.slots().permanent().containsKey(name))
                .filter(name -> !memory.logicalReady().contains(name))
                .toList();
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        return cluster.leaderMember()
                .filter(m -> !m.name().equals(self.name()))
                .flatMap(Bootstrap::upstreamOf)
                .map(leader -> new Request(leader, SlotNames.forMember(self.name()), pending));
    }
}
