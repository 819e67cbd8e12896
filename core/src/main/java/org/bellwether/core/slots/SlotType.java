package org.bellwether.core.slots;

import java.util.Locale;
import java.util.Optional;

/** {@code physical} or {@code logical}, as PostgreSQL's {@code slot_type} and Patroni's {@code type} spell them. */
public enum SlotType {
    PHYSICAL,
    LOGICAL;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SlotType> of(String word) {
        return switch (word) {
            case "physical" -> Optional.of(PHYSICAL);
            case "logical" -> Optional.of(LOGICAL);
            default -> Optional.empty();
        };
    }
}
