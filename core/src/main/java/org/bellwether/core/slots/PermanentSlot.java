package org.bellwether.core.slots;

import java.util.Optional;

/**
 * A slot of the dynamic configuration's {@code slots} section: kept on the primary (and, for failover, on every
 * replica that may become primary) for as long as it is configured, whatever uses it.
 *
 * @param database and {@code plugin}: logical slots only
 */
public record PermanentSlot(String name, SlotType type, Optional<String> database, Optional<String> plugin) {

    public static PermanentSlot physical(String name) {
        return new PermanentSlot(name, SlotType.PHYSICAL, Optional.empty(), Optional.empty());
    }

    public static PermanentSlot logical(String name, String database, String plugin) {
        return new PermanentSlot(name, SlotType.LOGICAL, Optional.of(database), Optional.of(plugin));
    }

    /** Whether {@code slot} is this one as configured: the same type, and for logical slots database and plugin. */
    public boolean matches(ExistingSlot slot) {
        return slot.type() == type
                && (type == SlotType.PHYSICAL
                        || slot.database().equals(database) && slot.plugin().equals(plugin));
    }
}
