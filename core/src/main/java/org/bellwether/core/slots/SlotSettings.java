package org.bellwether.core.slots;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The slot settings of the dynamic configuration: {@code slots} (permanent slots by name), {@code ignore_slots} and
 * {@code member_slots_ttl} (how long the leader keeps the slot of a member that is gone; 0 keeps member slots only on
 * the node the member streams from, as Patroni before 4.0).
 */
public record SlotSettings(
        SortedMap<String, PermanentSlot> permanent, List<IgnoreRule> ignore, Duration memberSlotsTtl) {
    public static final Duration DEFAULT_MEMBER_SLOTS_TTL = Duration.ofMinutes(30);
    public static final SlotSettings NONE = new SlotSettings(new TreeMap<>(), List.of(), DEFAULT_MEMBER_SLOTS_TTL);

    public SlotSettings {
        permanent = Collections.unmodifiableSortedMap(new TreeMap<>(permanent));
        ignore = List.copyOf(ignore);
    }

    /** Whether an existing slot is left alone entirely. */
    public boolean ignores(ExistingSlot slot) {
        return ignore.stream().anyMatch(rule -> rule.matches(slot));
    }

    public boolean hasLogicalSlots() {
        return permanent.values().stream().anyMatch(s -> s.type() == SlotType.LOGICAL);
    }
}
