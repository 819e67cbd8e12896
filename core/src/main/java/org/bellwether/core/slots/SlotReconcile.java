package org.bellwether.core.slots;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.bellwether.core.Lsn;

/**
 * Compares the slots a node has with those it should have, as Patroni's {@code SlotsHandler} does, with one
 * difference: a slot is dropped only when Bellwether owns it (it is wanted under other attributes, its WAL is lost,
 * or it was wanted earlier in this agent's life and is not any more). Patroni drops every inactive slot it does not
 * know, which loses the slots of CDC consumers, Barman or {@code pg_receivewal}; here such a slot is left alone and
 * reported. Slots matching {@code ignore_slots} are neither changed nor reported. Nothing is dropped while the
 * cluster is paused.
 */
public final class SlotReconcile {
    private SlotReconcile() {}

    /** Where this node stands, for the comparison. */
    public record Node(boolean primary, Optional<Lsn> replayLsn, boolean paused, boolean leaderKnown) {}

    public static SlotChanges plan(
            SortedMap<String, WantedSlot> wanted,
            Collection<ExistingSlot> existing,
            Set<String> owned,
            SlotSettings settings,
            Node node) {
        List<SlotChange> drops = new ArrayList<>();
        List<SlotChange> others = new ArrayList<>();
        List<ExistingSlot> unowned = new ArrayList<>();
        SortedSet<String> stillOwned = new TreeSet<>(wanted.keySet());
        Set<String> present = new TreeSet<>();
        for (ExistingSlot slot : existing) {
            present.add(slot.name());
            if (settings.ignores(slot)) {
                continue;
            }
            WantedSlot want = wanted.get(slot.name());
            if (want != null) {
                compare(want, slot, node)
                        .ifPresent(change -> (change instanceof SlotChange.Drop ? drops : others).add(change));
            } else if (owned.contains(slot.name())) {
                stillOwned.add(slot.name());
                if (!slot.active()) {
                    drops.add(new SlotChange.Drop(slot.name(), "no longer wanted"));
                }
            } else {
                unowned.add(slot);
            }
        }
        List<String> copy = new ArrayList<>();
        for (Map.Entry<String, WantedSlot> e : wanted.entrySet()) {
            WantedSlot want = e.getValue();
            if (present.contains(e.getKey()) || ignored(settings, want)) {
                continue;
            }
            if (want.type() == SlotType.PHYSICAL || node.primary()) {
                others.add(SlotChange.Create.of(want));
            } else if (want.position().isPresent()) {
                // The primary published a position for it, so it exists there and can be copied.
                copy.add(want.name());
            }
        }
        if (node.paused()) {
            drops.clear();
        }
        List<SlotChange> changes = new ArrayList<>(drops);
        changes.addAll(others);
        return new SlotChanges(changes, copy, unowned, stillOwned);
    }

    /** What to do with a wanted slot that exists: drop it to be made again, advance it, or nothing. */
    private static Optional<SlotChange> compare(WantedSlot want, ExistingSlot slot, Node node) {
        if (!want.matches(slot)) {
            return Optional.of(
                    new SlotChange.Drop(slot.name(), "configured as " + want.described() + "; made again next cycle"));
        }
        if (slot.isLost()) {
            return Optional.of(new SlotChange.Drop(
                    slot.name(), "the WAL it needs is lost (wal_status lost); made again next cycle"));
        }
        if (slot.active()) {
            return Optional.empty();
        }
        if (want.type() == SlotType.PHYSICAL) {
            if (want.expectedActive()) {
                return Optional.empty();
            }
            if (slot.xmin().isPresent() && node.leaderKnown() && !want.retained()) {
                // Nothing streams through it, so the horizon it holds would never move and vacuum would stall.
                return Optional.of(new SlotChange.Drop(
                        slot.name(), "holds xmin " + slot.xmin().get() + " while no standby uses it"));
            }
            if (slot.restartLsn().isEmpty()) {
                return Optional.of(new SlotChange.Drop(
                        slot.name(), "reserves no WAL, so it cannot be advanced; made again next cycle"));
            }
            return want.position()
                    .filter(to -> to.isAfter(slot.restartLsn().get()))
                    .map(to -> new SlotChange.Advance(slot.name(), SlotType.PHYSICAL, Optional.empty(), to));
        }
        if (node.primary() || want.position().isEmpty()) {
            return Optional.empty();
        }
        // A replica's copy follows the primary's, but never past what this replica has replayed.
        Lsn to = node.replayLsn()
                .map(replay ->
                        replay.isAfter(want.position().get()) ? want.position().get() : replay)
                .orElse(want.position().get());
        boolean behind = slot.confirmedFlushLsn().map(to::isAfter).orElse(true);
        return behind
                ? Optional.of(new SlotChange.Advance(slot.name(), SlotType.LOGICAL, slot.database(), to))
                : Optional.empty();
    }

    private static boolean ignored(SlotSettings settings, WantedSlot want) {
        return settings.ignore().stream()
                .anyMatch(rule -> rule.matches(want.name(), want.type(), want.database(), want.plugin()));
    }
}
