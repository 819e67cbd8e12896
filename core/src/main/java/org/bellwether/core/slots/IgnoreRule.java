package org.bellwether.core.slots;

import java.util.Optional;

/**
 * One entry of {@code ignore_slots}: a slot matching every attribute given is never created, advanced, dropped or
 * reported. Attributes left out match anything.
 */
public record IgnoreRule(
        Optional<String> name, Optional<SlotType> type, Optional<String> database, Optional<String> plugin) {

    public static IgnoreRule named(String name) {
        return new IgnoreRule(Optional.of(name), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean matches(ExistingSlot slot) {
        return name.map(slot.name()::equals).orElse(true)
                && type.map(t -> t == slot.type()).orElse(true)
                && database.map(d -> slot.database().equals(Optional.of(d))).orElse(true)
                && plugin.map(p -> slot.plugin().equals(Optional.of(p))).orElse(true);
    }

    /** Whether a slot that does not exist yet, with these attributes, would match (so it must not be created). */
    public boolean matches(
            String slotName, SlotType slotType, Optional<String> slotDatabase, Optional<String> slotPlugin) {
        return name.map(slotName::equals).orElse(true)
                && type.map(t -> t == slotType).orElse(true)
                && database.map(d -> slotDatabase.equals(Optional.of(d))).orElse(true)
                && plugin.map(p -> slotPlugin.equals(Optional.of(p))).orElse(true);
    }
}
