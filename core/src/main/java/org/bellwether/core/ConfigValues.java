package org.bellwether.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the values of the dynamic configuration are read, the way Patroni reads them, without ever overflowing: whatever
 * the DCS holds (a JSON number of any size, a string of any length, a list, a mapping) is either read or refused.
 */
public final class ConfigValues {
    /** Longer strings are not numbers a setting can hold; cut short before any parsing. */
    private static final int MAX_DIGITS = 19;

    private static final int MAX_SHOWN = 64;
    private static final Pattern DIGITS = Pattern.compile("[+-]?[0-9]{1," + MAX_DIGITS + "}");
    private static final Pattern DURATION = Pattern.compile("([+-]?[0-9]{1," + MAX_DIGITS + "})\\s*(us|ms|s|min|h|d)?");

    private ConfigValues() {}

    /**
     * An integer as Patroni's {@code int(value)} takes it: a whole JSON or YAML number, or a string of decimal digits
     * with an optional sign and surrounding spaces. Fractions are refused rather than truncated (Patroni truncates in
     * some places and rounds in others), and so is anything beyond a {@code long}.
     */
    public static Optional<Long> integer(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return Optional.of(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) {
            return b.bitLength() < Long.SIZE ? Optional.of(b.longValue()) : Optional.empty();
        }
        if (value instanceof BigDecimal d) {
            return exactLong(d);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            boolean whole = Double.isFinite(d) && d == Math.rint(d);
            return whole && d >= -0x1p63 && d < 0x1p63 ? Optional.of((long) d) : Optional.empty();
        }
        if (value instanceof String s) {
            String t = s.strip();
            return DIGITS.matcher(t).matches() ? parseLong(t) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Seconds as Patroni's {@code parse_int(value, 's')} takes them: an integer, or a string with one of PostgreSQL's
     * time units ({@code us}, {@code ms}, {@code s}, {@code min}, {@code h}, {@code d}) such as {@code 30min}. Smaller
     * units are rounded to whole seconds. Empty when it is neither, or beyond a {@code long} once converted.
     */
    public static Optional<Long> seconds(Object value) {
        if (!(value instanceof String s)) {
            return integer(value);
        }
        Matcher m = DURATION.matcher(s.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<Long> n = parseLong(m.group(1));
        if (n.isEmpty()) {
            return n;
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        long v = n.get();
        try {
            return Optional.of(
                    switch (unit) {
                        case "us" -> Math.round(v / 1_000_000.0);
                        case "ms" -> Math.round(v / 1_000.0);
                        case "min" -> Math.multiplyExact(v, 60L);
                        case "h" -> Math.multiplyExact(v, 3_600L);
                        case "d" -> Math.multiplyExact(v, 86_400L);
                        default -> v;
                    });
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** A value that PostgreSQL can take as a parameter setting: text, a number or a boolean (or nothing). */
    public static boolean isSingleValue(Object value) {
        return !(value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof Object[]);
    }

    /**
     * How a value is shown in messages and logs: numbers and booleans as they are, text quoted, cut short and with line
     * breaks and other control characters escaped (a value in the DCS must not be able to forge a log line).
     */
    public static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            return "'" + printable(s) + "'";
        }
        if (value instanceof Boolean || value instanceof Number) {
            return printable(value.toString());
        }
        if (value instanceof Collection<?> || value instanceof Object[]) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        return value.getClass().getSimpleName();
    }

    /** {@code text} cut to a readable length, control characters and line separators escaped. */
    public static String printable(String text) {
        return printable(text, MAX_SHOWN);
    }

    /** {@code text} cut to {@code max} characters, control characters and line separators escaped. */
    public static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(text.length(), max);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > shown) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    private static Optional<Long> parseLong(String digits) {
        try {
            return Optional.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return Optional.empty(); // 19 digits beyond Long.MAX_VALUE
        }
    }

    private static Optional<Long> exactLong(BigDecimal d) {
        try {
            return Optional.of(d.longValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }
}
