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
 * @param retained kept for a member that is away ({@code retain_slots}): whether it will stream through it again is
 *     unknown, so the horizon it holds ({@code xmin}) is kept rather than dropped with the slot
 */
public record WantedSlot(
        String name,
        SlotType type,
        Optional<String> database,
        Optional<String> plugin,
        Optional<Lsn> position,
        boolean expectedActive,
        boolean permanent,
        boolean retained) {

    public static WantedSlot forMember(String name, Optional<Lsn> position, boolean expectedActive) {
        return new WantedSlot(
                name, SlotType.PHYSICAL, Optional.empty(), Optional.empty(), position, expectedActive, false, false);
    }

    /** The slot of a departed member the leader still keeps ({@code retain_slots}). */
    public static WantedSlot retained(String name, Optional<Lsn> position) {
        return new WantedSlot(
                name, SlotType.PHYSICAL, Optional.empty(), Optional.empty(), position, false, false, true);
    }

    public static WantedSlot of(PermanentSlot slot, Optional<Lsn> position, boolean expectedActive) {
        return new WantedSlot(
                slot.name(), slot.type(), slot.database(), slot.plugin(), position, expectedActive, true, false);
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
