package org.bellwether.core.slots;

import java.util.Optional;
import org.bellwether.core.Lsn;

/**
 * A slot this node should have.
 *
 * @param position where the slot should be advanced to when nothing consumes it here: the position the leader
 *     published for it (status key), or a cascading member's own WAL position; empty when unknown
 * @param expectedActive a standby is expected to stream through it right now, so it is never advanced by hand
 * @param permanent configured in {@code slots}, rather than kept for a member
 */
public record WantedSlot(
        String name,
        SlotType type,
        Optional<String> database,
        Optional<String> plugin,
        Optional<Lsn> position,
        boolean expectedActive,
        boolean permanent) {

    public static WantedSlot forMember(String name, Optional<Lsn> position, boolean expectedActive) {
        return new WantedSlot(
                name, SlotType.PHYSICAL, Optional.empty(), Optional.empty(), position, expectedActive, false);
    }

    public static WantedSlot of(PermanentSlot slot, Optional<Lsn> position, boolean expectedActive) {
        return new WantedSlot(slot.name(), slot.type(), slot.database(), slot.plugin(), position, expectedActive, true);
    }

    public boolean matches(ExistingSlot slot) {
        return slot.type() == type
                && (type == SlotType.PHYSICAL
                        || slot.database().equals(database) && slot.plugin().equals(plugin));
    }

    /** {@code physical}, or {@code logical (<plugin> in <database>)}: how the slot is named in messages. */
    public String described() {
        return type == SlotType.PHYSICAL
                ? "physical"
                : "logical (" + plugin.orElse("?") + " in " + database.orElse("?") + ")";
    }
}
