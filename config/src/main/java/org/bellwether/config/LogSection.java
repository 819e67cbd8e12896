package org.bellwether.config;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.config.LogFormat.JsonField;
import org.bellwether.core.ConfigRules;

/**
 * Reads {@code log}. Every Patroni setting is checked; what Bellwether applies goes into {@link LogConfig}, and what
 * it cannot apply is reported as a warning rather than dropped without a word.
 */
final class LogSection {
    private static final String NOT_APPLIED = "accepted, not applied: ";
    /** Top-level names of the Python loggers Patroni's examples set; they name nothing in a Java process. */
    private static final Set<String> PYTHON_LOGGERS =
            Set.of("patroni", "urllib3", "kazoo", "etcd", "consul", "kubernetes", "pysyncobj", "psycopg", "psycopg2");
    /** Python's {@code logging} levels by number, which {@code Logger.setLevel} takes as well as names. */
    private static final Map<Long, String> LEVEL_NUMBERS =
            Map.of(0L, "NOTSET", 10L, "DEBUG", 20L, "INFO", 30L, "WARNING", 40L, "ERROR", 50L, "CRITICAL");
    /** Patroni's {@code strtol}: the integer syntaxes of C, so that {@code "0644"} is octal. */
    private static final Pattern HEX = Pattern.compile("[-+]?0[xX][0-9a-fA-F]+");

    private static final Pattern LEADING_ZERO = Pattern.compile("[-+]?0");
    private static final Pattern OCTAL = Pattern.compile("[-+]?0[0-7]*");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");

    private LogSection() {}

    static LogConfig read(Section s) throws ConfigException {
        String level = level(s, "level").orElse("INFO");
        if (level.equals("CRITICAL")) {
            s.warn("level", "applied as ERROR: logback has no level above ERROR, so errors are written too");
        }
        if (s.choice("traceback_level", "DEBUG", "ERROR")
                .filter("DEBUG"::equals)
                .isPresent()) {
            s.warn("traceback_level", NOT_APPLIED + "a stack trace is written with the event that carries it");
        }
        LogFormat format = format(s);
        warnUnwritten(s, format);
        String asctimePattern = asctimePattern(s);
        SortedMap<String, Object> staticFields = s.rawMap("static_fields");
        if (!staticFields.isEmpty() && format instanceof LogFormat.Plain) {
            s.warn("static_fields", NOT_APPLIED + "only written with type json, as in Patroni");
        }
        if (s.integer("max_queue_size", Integer.MIN_VALUE, Integer.MAX_VALUE).isPresent()) {
            s.warn("max_queue_size", NOT_APPLIED + "events are written as they are logged, without Patroni's queue");
        }
        Optional<Path> dir = s.file("dir");
        int fileNum =
                s.integer("file_num", 0, Integer.MAX_VALUE).map(Long::intValue).orElse(LogConfig.DEFAULT_FILE_NUM);
        long fileSize = s.integer("file_size", 0, Long.MAX_VALUE).orElse(LogConfig.DEFAULT_FILE_SIZE);
        OptionalInt mode = mode(s);
        if (dir.isEmpty()) {
            for (String key : List.of("file_num", "file_size", "mode")) {
                if (s.has(key)) {
                    s.warn(key, NOT_APPLIED + "only used with log.dir");
                }
            }
        }
        SortedMap<String, String> loggers = loggers(s);
        if (s.bool("deduplicate_heartbeat_logs").orElse(false)) {
            s.warn(
                    "deduplicate_heartbeat_logs",
                    NOT_APPLIED
                            + "each cycle's line says what the agent decided; there are no heartbeat lines to drop");
        }
        s.warnUnknown();
        return new LogConfig(level, format, asctimePattern, staticFields, dir, fileNum, fileSize, mode, loggers);
    }

    /** Python's level names; WARN and FATAL are its aliases of WARNING and CRITICAL. */
    private static Optional<String> level(Section s, String key) throws ConfigException {
        Optional<String> level = s.choice(key, "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL");
        return level.map(LogSection::canonical);
    }

    private static String canonical(String level) {
        return switch (level) {
            case "WARN" -> "WARNING";
            case "FATAL" -> "CRITICAL";
            default -> level;
        };
    }

    /** {@code type} with {@code format}, read as Patroni's {@code _get_formatter} reads them. */
    private static LogFormat format(Section s) throws ConfigException {
        boolean json = s.choice("type", "plain", "json").orElse("plain").equals("json");
        Object format = s.raw("format");
        if (format == null) {
            return json ? new LogFormat.Json(PythonLogFormat.jsonFields(LogFormat.PATRONI_DEFAULT)) : LogFormat.DEFAULT;
        }
        if (format instanceof List<?> list) {
            if (!json) {
                s.warn("format", "a list of fields is for type json; Patroni's default format is used, as in Patroni");
                return LogFormat.DEFAULT;
            }
            List<JsonField> fields = jsonFields(s, list);
            return new LogFormat.Json(
                    fields.isEmpty() ? PythonLogFormat.jsonFields(LogFormat.PATRONI_DEFAULT) : fields);
        }
        String text = s.text("format", format);
        try {
            if (!json) {
                return new LogFormat.Plain(PythonLogFormat.plain(text));
            }
            List<JsonField> fields = PythonLogFormat.jsonFields(text);
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("names no field; write fields as %(message)s, or list them");
            }
            return new LogFormat.Json(fields);
        } catch (IllegalArgumentException e) {
            throw s.error(Kind.INVALID_VALUE, "format", e.getMessage());
        }
    }

    /** Fields Python has and Java does not are kept in their place, empty, and reported once each. */
    private static void warnUnwritten(Section s, LogFormat format) {
        Stream<LogRecordField> fields = format instanceof LogFormat.Plain plain
                ? plain.parts().stream()
                        .filter(p -> p instanceof LogFormat.Field)
                        .map(p -> ((LogFormat.Field) p).field())
                : ((LogFormat.Json) format).fields().stream().map(JsonField::field);
        String as = format instanceof LogFormat.Plain ? "empty" : "as null";
        fields.filter(f -> !f.written())
                .distinct()
                .forEach(f -> s.warn(
                        "format",
                        NOT_APPLIED + "a Java process has no" + " counterpart of Python's LogRecord." + f.pythonName()
                                + "; it is written " + as));
    }

    /** A list of field names, each possibly a one-entry mapping to the key it is written under. */
    private static List<JsonField> jsonFields(Section s, List<?> items) throws ConfigException {
        List<JsonField> fields = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "format[" + i + "]";
            Object item = items.get(i);
            try {
                if (item instanceof String name) {
                    fields.add(new JsonField(PythonLogFormat.field(name), name));
                } else if (item instanceof Map<?, ?> renames) {
                    for (Map.Entry<?, ?> e : renames.entrySet()) {
                        if (!(e.getValue() instanceof String key)) {
                            throw s.error(
                                    Kind.WRONG_TYPE,
                                    at + "." + e.getKey(),
                                    "expected the key to write the" + " field under, got "
                                            + ConfigRules.describe(e.getValue()));
                        }
                        fields.add(new JsonField(PythonLogFormat.field(String.valueOf(e.getKey())), key));
                    }
                } else {
                    throw s.error(
                            Kind.WRONG_TYPE,
                            at,
                            "expected a field name or {field: key}, got " + ConfigRules.describe(item));
                }
            } catch (IllegalArgumentException e) {
                throw s.error(Kind.INVALID_VALUE, at, e.getMessage());
            }
        }
        return fields;
    }

    /** {@code dateformat} as a java.time pattern; Python's own default when absent or empty, as in Patroni. */
    private static String asctimePattern(Section s) throws ConfigException {
        Optional<String> dateformat = s.text("dateformat");
        if (dateformat.isEmpty() || dateformat.get().isEmpty()) {
            return StrftimePattern.PYTHON_DEFAULT;
        }
        StrftimePattern.Translation t = StrftimePattern.translate(dateformat.get());
        for (String directive : t.unsupported()) {
            s.warn("dateformat", NOT_APPLIED + directive + " has no java.time counterpart; it is written as text");
        }
        try {
            DateTimeFormatter.ofPattern(t.pattern());
        } catch (IllegalArgumentException e) {
            throw s.error(Kind.INVALID_VALUE, "dateformat", "cannot be translated: " + e.getMessage());
        }
        return t.pattern();
    }

    /**
     * File permissions, as Patroni's {@code parse_int} reads them: YAML reads {@code 0644} as octal already, and a
     * string (from {@code PATRONI_LOG_MODE}, or quoted) is octal when it starts with 0, as in C.
     */
    private static OptionalInt mode(Section s) throws ConfigException {
        Object value = s.raw("mode");
        if (value == null) {
            return OptionalInt.empty();
        }
        Optional<Long> mode = value instanceof String text ? strtol(text.strip()) : ConfigRules.parseLong(value);
        if (mode.isEmpty()) {
            throw s.error(
                    Kind.WRONG_TYPE,
                    "mode",
                    "expected octal file permissions such as 0644, got " + ConfigRules.describe(value));
        }
        long m = mode.get();
        if (m < 0 || m > 0777) {
            String hint = m >= 100 && m <= 777 && Long.toString(m).chars().allMatch(c -> c <= '7')
                    ? " (read as decimal; write 0" + m + " for octal)"
                    : "";
            throw s.error(
                    Kind.INVALID_VALUE,
                    "mode",
                    "expected octal file permissions from 0 to 0777 such as 0644," + " got "
                            + ConfigRules.describe(value) + hint);
        }
        return OptionalInt.of((int) m);
    }

    /** As C's strtol with base 0: a leading 0x is hexadecimal, a leading 0 octal (so 0648 is no number at all). */
    private static Optional<Long> strtol(String text) {
        try {
            if (HEX.matcher(text).matches()) {
                return Optional.of(Long.parseLong(text.replaceFirst("0[xX]", ""), 16));
            }
            if (LEADING_ZERO.matcher(text).lookingAt()) {
                return OCTAL.matcher(text).matches() ? Optional.of(Long.parseLong(text, 8)) : Optional.empty();
            }
            if (DECIMAL.matcher(text).matches()) {
                return Optional.of(Long.parseLong(text));
            }
        } catch (NumberFormatException e) {
            // too long for a long: not a mode either
        }
        return Optional.empty();
    }

    /** Per-logger levels, by name: Python's level names or numbers, and NOTSET for the parent's level. */
    private static SortedMap<String, String> loggers(Section s) throws ConfigException {
        SortedMap<String, String> loggers = new TreeMap<>();
        Optional<Section> section = s.section("loggers");
        if (section.isEmpty()) {
            return loggers;
        }
        Section l = section.get();
        for (String name : l.keys()) {
            Object value = l.raw(name);
            Optional<String> level = value instanceof String text
                    ? Optional.of(canonical(text.strip().toUpperCase(Locale.ROOT)))
                            .filter(t -> LEVEL_NUMBERS.containsValue(t))
                    : ConfigRules.parseLong(value).map(LEVEL_NUMBERS::get);
            if (level.isEmpty()) {
                throw l.error(
                        Kind.INVALID_VALUE,
                        name,
                        "expected one of NOTSET, DEBUG, INFO, WARNING, ERROR," + " CRITICAL, got "
                                + ConfigRules.describe(value));
            }
            if (PYTHON_LOGGERS.contains(name.split("\\.", 2)[0])) {
                l.warn(
                        name,
                        NOT_APPLIED + "one of Patroni's Python loggers; Bellwether's are Java names such as"
                                + " org.bellwether.agent or io.etcd");
            }
            loggers.put(name, level.get());
        }
        return loggers;
    }
}
