package org.bellwether.core.ha;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.slots.PermanentSlot;
import org.bellwether.core.slots.SlotSettings;
import org.bellwether.core.slots.SlotType;
import org.bellwether.core.slots.WantedSlot;

/**
 * The slots one node should have, as Patroni's {@code Cluster.get_replication_slots} works them out.
 *
 * <ul>
 *   <li>Member slots. With {@code member_slots_ttl} above 0 (PostgreSQL 11+, where slots can be advanced), every
 *       node that may become leader keeps a slot for every other member, so a new primary already retains the WAL its
 *       replicas need; a {@code nofailover} node keeps only those of members streaming through it. With 0, the leader
 *       keeps slots for members streaming from it and a replica for members streaming through it
 *       ({@code replicatefrom}).
 *   <li>Slots of departed members the leader still keeps ({@code retain_slots}).
 *   <li>Permanent slots ({@code slots}), on every node that may become leader. A permanent physical slot named like
 *       this node is not kept here (it is this node's own slot elsewhere); a logical one named like a member slot is
 *       left out, as Patroni does.
 * </ul>
 *
 * Positions come from the {@code status} key, where the leader publishes its slots; a cascading member's own WAL
 * position counts too, since the leader's slot for it does not move while it streams from another node.
 */
final class SlotWants {
    private SlotWants() {}

    static SortedMap<String, WantedSlot> of(
            NodeIdentity self,
            ClusterView cluster,
            HaSettings settings,
            boolean primary,
            boolean canAdvance,
            List<String> retain) {
        SortedMap<String, WantedSlot> wanted = new TreeMap<>();
        if (!settings.useSlots()) {
            return wanted;
        }
        SlotSettings slots = settings.slots();
        String ownSlot = SlotNames.forMember(self.name());
        boolean keepAllMembers = canAdvance && slots.memberSlotsTtl().compareTo(Duration.ZERO) > 0;
        boolean candidate = !self.tags().noFailover();
        for (Member m : cluster.members()) {
            if (m.name().equals(self.name())) {
                continue;
            }
            boolean active = primary
                    ? !Cascade.streamsThroughAnother(m, cluster)
                    : Cascade.streamsThrough(m, self.name(), cluster);
            boolean keep =
                    keepAllMembers ? candidate || m.tags().replicateFrom().equals(Optional.of(self.name())) : active;
            if (keep) {
                String slot = SlotNames.forMember(m.name());
                wanted.putIfAbsent(slot, WantedSlot.forMember(slot, position(cluster, slot, m), active));
            }
        }
        if (!candidate) {
            return wanted;
        }
        for (String slot : retain) {
            if (!slot.equals(ownSlot)) {
                wanted.putIfAbsent(
                        slot,
                        WantedSlot.retained(
                                slot, Optional.ofNullable(cluster.slots().get(slot))));
            }
        }
        for (PermanentSlot slot : slots.permanent().values()) {
            if (wanted.containsKey(slot.name()) || slot.name().equals(ownSlot)) {
                continue;
            }
            if (slot.type() == SlotType.PHYSICAL) {
                Optional<Member> cascading = cluster.members().stream()
                        .filter(m -> SlotNames.forMember(m.name()).equals(slot.name()))
                        .filter(m -> Cascade.streamsThroughAnother(m, cluster))
                        .findFirst();
                Optional<Lsn> position = cascading
                        .map(m -> position(cluster, slot.name(), m))
                        .orElse(Optional.ofNullable(cluster.slots().get(slot.name())));
                wanted.put(slot.name(), WantedSlot.of(slot, position, primary && cascading.isEmpty()));
            } else if (canAdvance || primary) {
                wanted.put(
                        slot.name(),
                        WantedSlot.of(slot, Optional.ofNullable(cluster.slots().get(slot.name())), false));
            }
        }
        return wanted;
    }

    private static Optional<Lsn> position(ClusterView cluster, String slot, Member member) {
        Optional<Lsn> published = Optional.ofNullable(cluster.slots().get(slot));
        if (member.tags().replicateFrom().isEmpty()) {
            return published;
        }
        Optional<Lsn> own = member.walPosition();
        if (own.isEmpty()) {
            return published;
        }
        return Optional.of(published.map(p -> Lsn.max(p, own.get())).orElse(own.get()));
    }
}
