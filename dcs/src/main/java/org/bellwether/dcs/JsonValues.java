package org.bellwether.dcs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;

/**
 * Readers of JSON values as they come from the DCS, for the decoders of this package: nothing here throws. A field
 * that cannot be used is reported in {@code problems} (one sentence naming the field) and read as absent.
 */
final class JsonValues {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The highest timeline read: one more must still be a timeline ({@link Timeline#next()}). */
    static final long MAX_TIMELINE = Integer.MAX_VALUE - 1L;

    private JsonValues() {}

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    /**
     * The JSON value of {@code text}, or why it has none. Jackson's read limits (nesting depth, number and string
     * length) turn absurd input into a refusal here rather than a deep recursion later.
     */
    static Decoded<JsonNode> parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                return Decoded.unreadable("empty");
            }
            return Decoded.of(node, List.of());
        } catch (JsonProcessingException | RuntimeException e) {
            return Decoded.unreadable("not JSON: " + shown(text));
        }
    }

    /** The object {@code text} holds, or why it holds none. */
    static Decoded<JsonNode> parseObject(String text) {
        Decoded<JsonNode> parsed = parse(text);
        if (parsed.value().isPresent() && !parsed.value().get().isObject()) {
            return Decoded.unreadable("not a JSON object: " + shown(text));
        }
        return parsed;
    }

    /** An object's fields as plain Java values (maps, lists, strings, numbers, booleans, null). */
    static SortedMap<String, Object> toSortedMap(JsonNode object) {
        SortedMap<String, Object> map = new TreeMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
        return map;
    }

    static Optional<JsonNode> present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** A text field; numbers and booleans are taken as their text (Python would), objects and arrays are not. */
    static Optional<String> text(JsonNode node, String field, List<String> problems) {
        return present(node, field).flatMap(v -> scalarText(v, field, problems));
    }

    static Optional<String> scalarText(JsonNode value, String what, List<String> problems) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(value.textValue());
        }
        if (value.isValueNode()) {
            problems.add(what + " is not a string: " + shown(value.toString()));
            return Optional.of(value.asText());
        }
        problems.add(what + " is not a string, ignored: " + shown(value.toString()));
        return Optional.empty();
    }

    /** A flag: JSON booleans, and Jackson's reading of anything else ({@code "true"} is true) with a problem. */
    static boolean bool(JsonNode node, String field, List<String> problems) {
        Optional<JsonNode> value = present(node, field);
        if (value.isPresent() && !value.get().isBoolean()) {
            problems.add(field + " is not a boolean, read as " + value.get().asBoolean() + ": "
                    + shown(value.get().toString()));
        }
        return value.map(JsonNode::asBoolean).orElse(false);
    }

    /** A whole number from {@code min} to {@code max}, also when a writer quoted it; anything else is absent. */
    static Optional<Long> wholeField(JsonNode node, String field, long min, long max, List<String> problems) {
        return present(node, field).flatMap(v -> whole(v, field, min, max, problems));
    }

    static Optional<Long> whole(JsonNode value, String what, long min, long max, List<String> problems) {
        Optional<Long> number = Optional.empty();
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            number = Optional.of(value.longValue());
        } else if (value.isTextual()) {
            try {
                number = Optional.of(Long.parseLong(value.textValue().strip()));
            } catch (NumberFormatException e) {
                number = Optional.empty();
            }
        }
        if (number.isEmpty() || number.get() < min || number.get() > max) {
            problems.add(what + " is not a whole number from " + min + " to " + max + ", ignored: "
                    + shown(value.toString()));
            return Optional.empty();
        }
        return number;
    }

    /** A WAL position in bytes: PostgreSQL's are unsigned 64-bit, Bellwether reads those up to 2^63 - 1. */
    static Optional<Lsn> lsn(JsonNode node, String field, List<String> problems) {
        return wholeField(node, field, 0, Long.MAX_VALUE, problems).map(Lsn::new);
    }

    static Optional<Timeline> timeline(JsonNode node, String field, List<String> problems) {
        return wholeField(node, field, 1, MAX_TIMELINE, problems).map(t -> new Timeline(t.intValue()));
    }

    static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    /** An {@code http} or {@code https} URL with a host: what a REST client can be pointed at. */
    static boolean isHttpUrl(String url) {
        return hasSchemeAndHost(url, "http", "https");
    }

    /** A {@code postgres} or {@code postgresql} URL with a host. */
    static boolean isPostgresUrl(String url) {
        return hasSchemeAndHost(url, "postgres", "postgresql");
    }

    private static boolean hasSchemeAndHost(String url, String... schemes) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return List.of(schemes).contains(scheme)
                    && uri.getHost() != null
                    && !uri.getHost().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** A value as a log line can carry it: quoted, control characters escaped, at most 80 characters. */
    static String shown(String value) {
        int[] codePoints = value.codePoints().limit(81).toArray();
        boolean cut = codePoints.length > 80;
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < (cut ? 77 : codePoints.length); i++) {
            int c = codePoints[i];
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.append(cut ? "...'" : "'").toString();
    }
}
