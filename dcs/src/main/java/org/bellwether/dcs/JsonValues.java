package org.bellwether.dcs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.Lsn;

/** Lenient readers of JSON fields the way Patroni's Python reads them, shared by the codecs of this package. */
final class JsonValues {
    static final ObjectMapper JSON = new ObjectMapper();

    private JsonValues() {}

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    static JsonNode read(String value, String what) {
        try {
            JsonNode node = JSON.readTree(value);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException(what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + abbreviate(value), e);
        }
    }

    static JsonNode readObject(String value, String what) {
        JsonNode node = read(value, what);
        if (!node.isObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object: " + abbreviate(value));
        }
        return node;
    }

    static SortedMap<String, Object> toSortedMap(JsonNode object) {
        SortedMap<String, Object> map = new TreeMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
        return map;
    }

    static Optional<JsonNode> present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    static Optional<String> text(JsonNode node, String field) {
        return present(node, field).map(JsonNode::asText);
    }

    static Optional<String> optionalText(JsonNode node) {
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    static boolean bool(JsonNode node, String field) {
        return present(node, field).map(JsonNode::asBoolean).orElse(false);
    }

    /** Integers, also when a writer quoted them. */
    static Optional<Long> longValue(JsonNode node, String field) {
        return present(node, field).map(v -> {
            if (v.isIntegralNumber()) {
                return v.asLong();
            }
            if (v.isTextual()) {
                try {
                    return Long.parseLong(v.asText().strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(field + " is not an integer: " + v, e);
                }
            }
            throw new IllegalArgumentException(field + " is not an integer: " + v);
        });
    }

    static Optional<Lsn> lsn(JsonNode node, String field) {
        return longValue(node, field).map(Lsn::new);
    }

    static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? "'" + value + "'" : "'" + value.substring(0, 77) + "...'";
    }
}
