package org.bellwether.core.slots;

import java.util.Optional;
import org.bellwether.core.Lsn;

/**
 * A replication slot as PostgreSQL reports it in {@code pg_replication_slots} (temporary slots left out).
 *
 * @param database and {@code plugin}: logical slots only
 * @param active a WAL sender uses it right now
 * @param restartLsn the oldest WAL the slot keeps; empty for a slot that never reserved WAL
 * @param confirmedFlushLsn logical slots: how far the consumer confirmed
 * @param xmin and {@code catalogXmin}: the transaction horizons the slot holds back (hot standby feedback)
 * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} or {@code lost} (PostgreSQL 13+)
 */
public record ExistingSlot(
        String name,
        SlotType type,
        Optional<String> database,
        Optional<String> plugin,
        boolean active,
        Optional<Lsn> restartLsn,
        Optional<Lsn> confirmedFlushLsn,
        Optional<Long> xmin,
        Optional<Long> catalogXmin,
        Optional<String> walStatus) {

    /** An inactive physical slot that reserved WAL at {@code restart}: what tests and simple observers need. */
    public static ExistingSlot physical(String name, boolean active, Optional<Lsn> restart) {
        return new ExistingSlot(
                name,
                SlotType.PHYSICAL,
                Optional.empty(),
                Optional.empty(),
                active,
                restart,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of("reserved"));
    }

    /** A logical slot of {@code plugin} in {@code database}, confirmed up to {@code confirmed}. */
    public static ExistingSlot logical(String name, String database, String plugin, boolean active, Lsn confirmed) {
        return new ExistingSlot(
                name,
                SlotType.LOGICAL,
                Optional.of(database),
                Optional.of(plugin),
                active,
                Optional.of(confirmed),
                Optional.of(confirmed),
                Optional.empty(),
                Optional.empty(),
                Optional.of("reserved"));
    }

    public boolean isLost() {
        return walStatus.equals(Optional.of("lost"));
    }

    /** The position another node may advance its copy of this slot to: confirmed flush (logical) or restart LSN. */
    public Optional<Lsn> position() {
        return type == SlotType.LOGICAL ? confirmedFlushLsn : restartLsn;
    }
}
