package org.bellwether.core.slots;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a node tells the operator about its slots: the slots it leaves alone because nobody configured them (with the
 * WAL each holds back), and, on a replica, which of its copies of the permanent logical slots are safe to use after a
 * failover and which are not yet.
 */
public record SlotReport(List<UnownedSlot> unowned, SortedSet<String> logicalReady, SortedSet<String> logicalNotReady) {
    public static final SlotReport NONE = new SlotReport(List.of(), new TreeSet<>(), new TreeSet<>());

    public SlotReport {
        unowned = List.copyOf(unowned);
        logicalReady = Collections.unmodifiableSortedSet(new TreeSet<>(logicalReady));
        logicalNotReady = Collections.unmodifiableSortedSet(new TreeSet<>(logicalNotReady));
    }

    /**
     * A slot Bellwether does not manage.
     *
     * @param retainedBytes WAL the slot keeps from being removed: the node's current WAL position minus the slot's
     *     restart LSN; 0 when either is unknown
     */
    public record UnownedSlot(String name, SlotType type, boolean active, long retainedBytes) {}

    /** Whether this node is a safe target for a failover as far as logical slots go: no copy is still pending. */
    public boolean logicalFailoverSafe() {
        return logicalNotReady.isEmpty();
    }
}
