package org.bellwether.app;

import ch.qos.logback.core.pattern.DynamicConverter;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.bellwether.config.LogFormat.Field;
import org.bellwether.config.LogFormat.Part;
import org.bellwether.config.LogFormat.Text;

/**
 * A plain Patroni format as a logback pattern: {@code %(asctime)s %(levelname)-8s: %(message)s} becomes
 * {@code %py_asctime{} %py_levelname{}: %msg{}%n}. Fields logback has a word for use it, with Python's width and
 * precision as logback's format modifiers; the others ({@code %py_*}) are converters that write the value as
 * Python's {@code %} would. Every word ends in {@code {}} so that text right after it is not read as part of it.
 */
final class PlainLogPattern {
    /** The pattern, and the converters its {@code %py_*} words stand for. */
    record Compiled(String pattern, Map<String, Supplier<DynamicConverter>> converters) {}

    private PlainLogPattern() {}

    static Compiled of(List<Part> parts, DateTimeFormatter asctime) {
        StringBuilder pattern = new StringBuilder();
        Map<String, Supplier<DynamicConverter>> converters = new LinkedHashMap<>();
        for (Part part : parts) {
            if (part instanceof Text text) {
                pattern.append(escape(text.text()));
                continue;
            }
            Field field = (Field) part;
            Optional<String> word = logbackWord(field);
            if (word.isPresent()) {
                pattern.append('%').append(modifier(field)).append(word.get()).append("{}");
            } else {
                String name = "py_" + field.field().pythonName();
                if (converters.containsKey(name)) {
                    name = name + "_" + converters.size();
                }
                converters.put(name, () -> new PythonFieldConverter(field, asctime));
                pattern.append('%').append(name).append("{}");
            }
        }
        return new Compiled(pattern.append("%n").toString(), converters);
    }

    /** Logback's own word, when it writes what Python would with this spec: text, padded or cut at most. */
    private static Optional<String> logbackWord(Field field) {
        boolean asText = "sra".indexOf(field.conversion()) >= 0
                || (field.conversion() == 'd' && field.precision().isEmpty());
        if (!asText || !field.flags().replace("-", "").isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                switch (field.field()) {
                    case MESSAGE -> "msg";
                    case NAME -> "logger";
                    case THREAD_NAME -> "thread";
                    case FUNC_NAME -> "method";
                    case LINENO -> "line";
                    case FILENAME -> "file";
                    default -> null;
                });
    }

    /** Python's {@code -8.3s} as logback's {@code -8.-3}: a Python precision keeps the start, logback's the end. */
    private static String modifier(Field field) {
        StringBuilder m = new StringBuilder();
        if (field.flags().contains("-")) {
            m.append('-');
        }
        field.width().ifPresent(m::append);
        field.precision().ifPresent(p -> m.append(".-").append(p));
        return m.toString();
    }

    /** Logback reads backslash, percent and parentheses in a pattern's text; the rest is written as it is. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '\\' || c == '%' || c == '(' || c == ')') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
