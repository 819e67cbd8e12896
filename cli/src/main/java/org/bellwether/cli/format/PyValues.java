package org.bellwether.cli.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code str()} of the values patronictl prints (JSON-shaped data: strings, integers, floats, booleans,
 * {@code None}, lists and dicts), so that TSV and table cells read the same as patronictl's.
 */
public final class PyValues {
    private PyValues() {}

    public static String str(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double || value instanceof Float) {
            return floatRepr(((Number) value).doubleValue());
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return repr(value);
        }
        return value.toString();
    }

    /** Python's {@code repr()}, which {@code str()} uses for the items of containers. */
    static String repr(Object value) {
        if (value instanceof String s) {
            return s.contains("'") && !s.contains("\"") ? "\"" + s + "\"" : "'" + s.replace("'", "\\'") + "'";
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("{");
            m.forEach((k, v) -> {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(repr(k)).append(": ").append(repr(v));
            });
            return out.append('}').toString();
        }
        if (value instanceof List<?> l) {
            StringBuilder out = new StringBuilder("[");
            for (Object v : l) {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(repr(v));
            }
            return out.append(']').toString();
        }
        return str(value);
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that round-trip, in positional notation from 1e-4 up to 1e16
     * and in exponent notation ({@code 1e+16}, {@code 1.5e-05}) outside that range.
     */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String sign = d < 0 ? "-" : "";
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - 1 - exact.scale(); // position of the first digit
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = String.format("%02d", Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }

    /** Whether {@code value} is an integer as Python would see it (not a bool). */
    static boolean isInteger(Object value) {
        return value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger;
    }
}
