package org.bellwether.core;

import java.util.Locale;
import java.util.Optional;

/** {@code synchronous_mode}: off, on (FIRST n) or quorum (ANY n). */
public enum SynchronousMode {
    OFF,
    ON,
    QUORUM;

    /**
     * Patroni's reading ({@code global_config.is_synchronous_mode}): {@code quorum} in any case is quorum, anything
     * {@link PatroniBool} reads as true is on, as false is off. Empty for anything else.
     */
    public static Optional<SynchronousMode> parse(Object value) {
        if (value instanceof String s && s.toLowerCase(Locale.ROOT).equals("quorum")) {
            return Optional.of(QUORUM);
        }
        return PatroniBool.parse(value).map(on -> on ? ON : OFF);
    }

    /** As {@link #parse}, with Patroni's fallback: a value it cannot read (or none) is off. */
    public static SynchronousMode fromWire(Object value) {
        return parse(value).orElse(OFF);
    }
}
