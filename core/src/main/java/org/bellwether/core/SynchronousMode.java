package org.bellwether.core;

/** {@code synchronous_mode}: off, on (FIRST n) or quorum (ANY n). */
public enum SynchronousMode {
    OFF,
    ON,
    QUORUM;

    public static SynchronousMode fromWire(Object value) {
        if (value == null) {
            return OFF;
        }
        String s = value.toString().trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "true", "on", "yes", "1" -> ON;
            case "quorum" -> QUORUM;
            default -> OFF;
        };
    }
}
