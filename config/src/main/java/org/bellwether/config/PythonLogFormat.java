package org.bellwether.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bellwether.config.LogFormat.Field;
import org.bellwether.config.LogFormat.JsonField;
import org.bellwether.config.LogFormat.Part;
import org.bellwether.config.LogFormat.Text;

/**
 * Reads Python's %-style logging formats. Python checks only that a format names one field and fails on every event
 * when a field is misspelt or a lone {@code %} is left; here both are refused when the configuration is read, with the
 * position of the fault, so a typo does not cost the whole log.
 */
final class PythonLogFormat {
    /** After {@code %(name)}: flags, width, precision, Python's ignored length modifier, and the conversion. */
    private static final Pattern SPEC = Pattern.compile(
            "(?<flags>[#0\\- +]*)(?<width>\\d{1,5})?(?:\\.(?<precision>\\d{1,5}))?[hlL]?(?<conversion>[diouxXeEfFgGcrsa])");
    /** The names python-json-logger takes from a format string; the text around them is not written. */
    private static final Pattern JSON_NAME = Pattern.compile("%\\((.+?)\\)");

    private PythonLogFormat() {}

    /** A plain format: its text and fields; IllegalArgumentException says what is wrong and where. */
    static List<Part> plain(String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                text.append(c);
                i++;
            } else if (format.startsWith("%%", i)) {
                text.append('%');
                i += 2;
            } else {
                int close = format.indexOf(')', i);
                if (!format.startsWith("%(", i) || close < 0) {
                    throw new IllegalArgumentException("a '%' at position " + (i + 1)
                            + " is neither a field such as %(message)s nor a literal %%");
                }
                Matcher spec = SPEC.matcher(format).region(close + 1, format.length());
                if (!spec.lookingAt()) {
                    throw new IllegalArgumentException("%(" + format.substring(i + 2, close) + ") at position "
                            + (i + 1) + " has no conversion such as s or d after it");
                }
                if (text.length() > 0) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                parts.add(new Field(
                        field(format.substring(i + 2, close)),
                        spec.group("flags"),
                        number(spec.group("width")),
                        number(spec.group("precision")),
                        spec.group("conversion").charAt(0)));
                i = spec.end();
            }
        }
        if (text.length() > 0) {
            parts.add(new Text(text.toString()));
        }
        if (parts.stream().noneMatch(p -> p instanceof Field)) {
            throw new IllegalArgumentException("names no field; write fields as %(message)s");
        }
        return parts;
    }

    /** The fields of a JSON format given as a string, as python-json-logger finds them: every {@code %(name)}. */
    static List<JsonField> jsonFields(String format) {
        List<JsonField> fields = new ArrayList<>();
        Matcher m = JSON_NAME.matcher(format);
        while (m.find()) {
            LogRecordField field = field(m.group(1));
            fields.add(new JsonField(field, field.pythonName()));
        }
        return fields;
    }

    /** A LogRecord attribute by its Python name; IllegalArgumentException lists the names there are. */
    static LogRecordField field(String name) {
        return LogRecordField.byPythonName(name)
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a LogRecord attribute; the"
                        + " attributes are "
                        + Arrays.stream(LogRecordField.values())
                                .map(LogRecordField::pythonName)
                                .sorted()
                                .collect(Collectors.joining(", "))));
    }

    private static OptionalInt number(String digits) {
        return digits == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(digits));
    }
}
