package org.bellwether.core;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Patroni's {@code parse_bool} ({@code patroni/utils.py}), the one reading of a yes/no value everywhere: the value's
 * text, in any case, is true for {@code on}, {@code true}, {@code yes} and {@code 1}, false for {@code off},
 * {@code false}, {@code no} and {@code 0}, and neither otherwise. Patroni takes {@code str(value)}, so the number 1
 * counts as true and 1.0 as neither, and it does not strip spaces.
 */
public final class PatroniBool {
    private PatroniBool() {}

    public static Optional<Boolean> parse(Object value) {
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value == null || value instanceof Map<?, ?> || value instanceof Collection<?>) {
            return Optional.empty();
        }
        return switch (value.toString().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> Optional.of(Boolean.TRUE);
            case "off", "false", "no", "0" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    /** Patroni's {@code bool(parse_bool(value))}: anything that does not read as true is false. */
    public static boolean isTrue(Object value) {
        return parse(value).orElse(false);
    }
}
