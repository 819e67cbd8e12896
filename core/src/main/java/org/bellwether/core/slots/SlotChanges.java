package org.bellwether.core.slots;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What {@link SlotReconcile} decided for one node.
 *
 * @param changes to run now, in order: drops first, then creations and advances
 * @param copyFromPrimary logical slots a replica lacks and must copy from the primary (PostgreSQL cannot create a
 *     logical slot on a standby before version 16, and a new one would not carry the consumer's position)
 * @param unowned slots nobody configured and Bellwether does not keep for a member: never dropped, only reported
 * @param owned the slots this node manages from now on: wanted ones, and those it still has to drop
 */
public record SlotChanges(
        List<SlotChange> changes, List<String> copyFromPrimary, List<ExistingSlot> unowned, SortedSet<String> owned) {

    public static final SlotChanges NONE = new SlotChanges(List.of(), List.of(), List.of(), new TreeSet<>());

    public SlotChanges {
        changes = List.copyOf(changes);
        copyFromPrimary = List.copyOf(copyFromPrimary);
        unowned = List.copyOf(unowned);
        owned = Collections.unmodifiableSortedSet(new TreeSet<>(owned));
    }
}
