package org.bellwether.app;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import java.util.IllegalFormatException;
import java.util.Locale;
import org.bellwether.config.LogFormat.Field;

/**
 * Writes one {@code %(name)spec} of a plain Patroni format that logback has no word for ({@code asctime} with
 * Python's date format, {@code levelname} with Python's level names, {@code process}...), formatted as Python's
 * {@code %} operator would: {@code %(msecs)03d} gives {@code 007}.
 */
final class PythonFieldConverter extends ClassicConverter {
    private final Field field;
    private final DateTimeFormatter asctime;

    PythonFieldConverter(Field field, DateTimeFormatter asctime) {
        this.field = field;
        this.asctime = asctime;
    }

    @Override
    public String convert(ILoggingEvent event) {
        return percent(field, PythonRecord.value(field.field(), event, asctime));
    }

    /** Python's {@code %} for one value; where Python would raise (a %d of text), the value's text instead. */
    static String percent(Field f, Object value) {
        try {
            return switch (f.conversion()) {
                case 'd', 'i', 'u' -> javaFormat(f, 'd', false, ((Number) value).longValue());
                case 'o', 'x', 'X' -> javaFormat(f, f.conversion(), false, ((Number) value).longValue());
                case 'e', 'E', 'f', 'g', 'G' -> javaFormat(f, f.conversion(), true, ((Number) value).doubleValue());
                case 'F' -> javaFormat(f, 'f', true, ((Number) value).doubleValue());
                default -> javaFormat(f, 's', true, str(value));
            };
        } catch (ClassCastException | NullPointerException | IllegalFormatException e) {
            return str(value);
        }
    }

    /** Java's Formatter takes Python's flags where both mean the same; the others are dropped rather than fail. */
    private static String javaFormat(Field f, char conversion, boolean precision, Object value) {
        boolean text = conversion == 's';
        boolean width = f.width().isPresent();
        StringBuilder spec = new StringBuilder("%");
        if (width && f.flags().contains("-")) {
            spec.append('-');
        } else if (width && f.flags().contains("0") && !text) {
            spec.append('0');
        }
        if (!text && f.flags().contains("+")) {
            spec.append('+');
        } else if (!text && f.flags().contains(" ")) {
            spec.append(' ');
        }
        f.width().ifPresent(spec::append);
        if (precision && f.precision().isPresent()) {
            spec.append('.').append(f.precision().getAsInt());
        }
        return String.format(Locale.ROOT, spec.append(conversion).toString(), value);
    }

    /** Python's {@code str}: None for null, and floats without an exponent. */
    static String str(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return BigDecimal.valueOf(d).toPlainString();
        }
        return value.toString();
    }
}
