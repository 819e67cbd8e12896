package org.bellwether.core.ha;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.slots.ExistingSlot;
import org.bellwether.core.slots.LogicalFailoverReadiness;
import org.bellwether.core.slots.SlotChanges;
import org.bellwether.core.slots.SlotHorizons;
import org.bellwether.core.slots.SlotMemory;
import org.bellwether.core.slots.SlotReconcile;
import org.bellwether.core.slots.SlotReport;
import org.bellwether.core.slots.SlotType;
import org.bellwether.core.slots.WantedSlot;

/**
 * What the leader and a replica do about replication slots in one cycle: the changes to make ({@link SlotWants}
 * compared with the slots PostgreSQL has by {@link SlotReconcile}), what the leader publishes in the {@code status}
 * key, and what the node reports.
 */
final class SlotSteps {
    private SlotSteps() {}

    /**
     * @param statusSlots the leader's slot positions for the {@code status} key
     * @param retainSlots slots of departed members the leader keeps
     */
    record Steps(
            List<Action> actions, SlotMemory memory, SortedMap<String, Lsn> statusSlots, List<String> retainSlots) {
        static Steps nothing(SlotMemory memory) {
            return new Steps(
                    List.of(),
                    new SlotMemory(
                            memory.owned(),
                            memory.memberSlotsSeen(),
                            new TreeMap<>(),
                            new TreeSet<>(),
                            SlotReport.NONE,
                            memory.copyTriedAt()),
                    new TreeMap<>(),
                    List.of());
        }
    }

    static Steps onLeader(Observation obs, HaMemory memory, ClusterView cluster) {
        HaSettings settings = obs.settings();
        SlotMemory slotMemory = memory.slots();
        if (!settings.useSlots()) {
            return Steps.nothing(slotMemory);
        }
        LocalPostgres local = obs.local();
        boolean canAdvance = canAdvance(local);
        Duration ttl = settings.slots().memberSlotsTtl();
        boolean keepMembers = canAdvance && ttl.compareTo(Duration.ZERO) > 0;
        String ownSlot = SlotNames.forMember(obs.self().name());
        SortedMap<String, Duration> seen =
                keepMembers ? retained(obs, slotMemory.memberSlotsSeen(), cluster, ttl) : new TreeMap<>();
        // This node's own slot is listed too, as Patroni does: whoever leads next keeps it for the ttl, so this node
        // finds it there should it come back as a replica. (SlotWants never makes a node a slot of its own.)
        List<String> retain = List.copyOf(seen.keySet());
        SortedMap<String, WantedSlot> wanted = SlotWants.of(obs.self(), cluster, settings, true, canAdvance, retain);
        SlotChanges changes = SlotReconcile.plan(
                wanted,
                local.slots(),
                slotMemory.owned(),
                settings.slots(),
                new SlotReconcile.Node(true, Optional.empty(), cluster.isPaused(), true));
        SortedMap<String, Lsn> published = new TreeMap<>();
        for (ExistingSlot slot : local.slots()) {
            WantedSlot want = wanted.get(slot.name());
            if (want != null && want.matches(slot) && (keepMembers || want.permanent())) {
                slot.position().ifPresent(p -> published.put(slot.name(), p));
            }
        }
        if (keepMembers) {
            // Replicas keep a slot for this node too, advanced to where its WAL is (Patroni publishes it the same way).
            local.writeLsn().ifPresent(p -> published.put(ownSlot, p));
        }
        SlotReport report = new SlotReport(unowned(changes, local.writeLsn()), new TreeSet<>(), new TreeSet<>());
        SlotMemory next =
                new SlotMemory(changes.owned(), seen, new TreeMap<>(), new TreeSet<>(), report, Optional.empty());
        return new Steps(actions(changes), next, published, retain);
    }

    /**
     * On a replica following {@code upstream}: copies of the member and permanent slots, advanced to the leader's
     * positions, and copies of the permanent logical slots taken from the primary when missing.
     */
    static Steps onReplica(Observation obs, HaMemory memory, ClusterView cluster, Upstream upstream, boolean refollow) {
        HaSettings settings = obs.settings();
        SlotMemory slotMemory = memory.slots();
        if (!settings.useSlots()) {
            return Steps.nothing(slotMemory);
        }
        LocalPostgres local = obs.local();
        boolean canAdvance = canAdvance(local);
        SortedMap<String, WantedSlot> wanted =
                SlotWants.of(obs.self(), cluster, settings, false, canAdvance, cluster.retainSlots());
        boolean paused = cluster.isPaused();
        SlotChanges changes = SlotReconcile.plan(
                wanted,
                local.slots(),
                slotMemory.owned(),
                settings.slots(),
                new SlotReconcile.Node(
                        false, local.replayLsn(), paused, cluster.leader().isPresent()));
        List<Action> actions = new ArrayList<>(actions(changes));
        boolean fromLeader = cluster.isLeader(upstream.member());
        // The primary may not be able to give a copy yet (its slot needs WAL this replica never had): asking again
        // every cycle would only restart the loop at once, so a copy is tried at most once per ttl.
        Optional<Duration> copyTriedAt = slotMemory.copyTriedAt();
        boolean copyDue = copyTriedAt
                .map(at -> obs.now().compareTo(at.plus(settings.ttl())) >= 0)
                .orElse(true);
        if (!changes.copyFromPrimary().isEmpty() && fromLeader && !refollow && !paused && copyDue) {
            actions.add(new Action.CopyLogicalSlots(upstream, changes.copyFromPrimary()));
            copyTriedAt = Optional.of(obs.now());
        }
        Readiness readiness = readiness(obs, slotMemory, wanted);
        SlotReport report =
                new SlotReport(unowned(changes, local.replayLsn()), readiness.ready(), readiness.notReady());
        // What a leader saw of member slots is stale by the time this node leads again: it then starts from the
        // retain_slots the leader of the moment publishes.
        SlotMemory next = new SlotMemory(
                changes.owned(), new TreeMap<>(), readiness.floor(), readiness.ready(), report, copyTriedAt);
        return new Steps(actions, next, new TreeMap<>(), List.of());
    }

    /** Slot changes run as one step; none when there is nothing to change. */
    private static List<Action> actions(SlotChanges changes) {
        return changes.changes().isEmpty() ? List.of() : List.of(new Action.SyncReplicationSlots(changes.changes()));
    }

    /**
     * When each member slot was last seen belonging to a member in the DCS; those unseen for {@code member_slots_ttl}
     * are forgotten. A new leader starts from the {@code retain_slots} its predecessor published.
     */
    private static SortedMap<String, Duration> retained(
            Observation obs, SortedMap<String, Duration> before, ClusterView cluster, Duration ttl) {
        SortedMap<String, Duration> seen = new TreeMap<>(before);
        if (seen.isEmpty()) {
            cluster.retainSlots().forEach(slot -> seen.put(slot, obs.now()));
        }
        Set<String> members = cluster.members().stream()
                .map(Member::name)
                .map(SlotNames::forMember)
                .collect(Collectors.toSet());
        members.add(SlotNames.forMember(obs.self().name()));
        Set<String> permanent = obs.settings().slots().permanent().keySet();
        for (ExistingSlot slot : obs.local().slots()) {
            if (members.contains(slot.name()) && !permanent.contains(slot.name())) {
                seen.put(slot.name(), obs.now());
            }
        }
        String ownSlot = SlotNames.forMember(obs.self().name());
        if (!permanent.contains(ownSlot)) {
            seen.put(ownSlot, obs.now());
        }
        seen.entrySet().removeIf(e -> e.getValue().plus(ttl).compareTo(obs.now()) <= 0);
        return seen;
    }

    private record Readiness(SortedSet<String> ready, SortedSet<String> notReady, SortedMap<String, Long> floor) {}

    /**
     * Which copies of permanent logical slots are safe after a failover ({@link LogicalFailoverReadiness}). A copy
     * found safe stays so while it exists; the primary's horizon is remembered when this replica's feedback first
     * shows on the primary, and the copy is safe once that feedback has caught up with it.
     */
    private static Readiness readiness(Observation obs, SlotMemory memory, SortedMap<String, WantedSlot> wanted) {
        SortedMap<String, ExistingSlot> copies = new TreeMap<>();
        obs.local().slots().stream()
                .filter(s -> s.type() == SlotType.LOGICAL && wanted.containsKey(s.name()) && !s.isLost())
                .forEach(s -> copies.put(s.name(), s));
        SortedSet<String> ready = new TreeSet<>(memory.logicalReady());
        ready.retainAll(copies.keySet());
        SortedMap<String, Long> floor = new TreeMap<>(memory.logicalFloor());
        floor.keySet().retainAll(copies.keySet());
        floor.keySet().removeAll(ready);
        Optional<SlotHorizons> horizons = obs.leaderSlots();
        if (horizons.isPresent() && horizons.get().physicalCatalogXmin().isPresent()) {
            for (ExistingSlot copy : copies.values()) {
                if (ready.contains(copy.name())) {
                    continue;
                }
                Long primary = horizons.get().logicalCatalogXmin().get(copy.name());
                if (primary != null) {
                    floor.putIfAbsent(copy.name(), primary);
                }
                if (LogicalFailoverReadiness.safe(
                        Optional.ofNullable(floor.get(copy.name())),
                        horizons.get().physicalCatalogXmin(),
                        copy.catalogXmin())) {
                    ready.add(copy.name());
                    floor.remove(copy.name());
                }
            }
        }
        SortedSet<String> notReady = wanted.values().stream()
                .filter(w -> w.type() == SlotType.LOGICAL)
                .map(WantedSlot::name)
                .filter(name -> !ready.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
        return new Readiness(ready, notReady, floor);
    }

    private static List<SlotReport.UnownedSlot> unowned(SlotChanges changes, Optional<Lsn> current) {
        return changes.unowned().stream()
                .map(s -> new SlotReport.UnownedSlot(
                        s.name(),
                        s.type(),
                        s.active(),
                        current.flatMap(c -> s.restartLsn().map(r -> Math.max(0, c.minus(r))))
                                .orElse(0L)))
                .toList();
    }

    /** {@code pg_replication_slot_advance} exists from PostgreSQL 11; unknown versions are taken to have it. */
    static boolean canAdvance(LocalPostgres local) {
        return local.serverVersion().map(v -> v >= 110000).orElse(true);
    }
}
