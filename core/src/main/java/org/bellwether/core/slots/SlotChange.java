package org.bellwether.core.slots;

import java.util.Optional;
import org.bellwether.core.Lsn;

/** One change to the local PostgreSQL's replication slots. Each is tried on its own: one failing stops no other. */
public sealed interface SlotChange {
    String name();

    /** Create a physical slot reserving WAL at once, or a logical slot of {@code plugin} in {@code database}. */
    record Create(String name, SlotType type, Optional<String> database, Optional<String> plugin)
            implements SlotChange {
        static Create of(WantedSlot slot) {
            return new Create(slot.name(), slot.type(), slot.database(), slot.plugin());
        }
    }

    /** Drop an inactive slot; {@code why} is logged. */
    record Drop(String name, String why) implements SlotChange {}

    /**
     * {@code pg_replication_slot_advance} to {@code to}; a logical slot in {@code database} (the function decodes in
     * the slot's own database).
     */
    record Advance(String name, SlotType type, Optional<String> database, Lsn to) implements SlotChange {}
}
