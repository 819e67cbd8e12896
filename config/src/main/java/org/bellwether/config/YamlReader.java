package org.bellwether.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.config.ConfigException.Problem;

/**
 * Reads YAML text into plain maps, lists and scalars, the shape PyYAML's {@code safe_load} gives Patroni.
 *
 * <p>The token stream is walked by hand rather than bound to a {@code JsonNode} so that anchors, aliases and merge keys
 * ({@code <<: *defaults}) work as in PyYAML, duplicate keys are reported, a number Jackson cannot convert ({@code .inf})
 * stays text instead of failing the whole file, and a syntax error is reported with its line, column and key path.
 * Plain {@code on}/{@code off}/{@code yes}/{@code no} are booleans, as in PyYAML (YAML 1.1).
 */
final class YamlReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
    private static final String MERGE_KEY = "<<";

    /** The root value (null for an empty document) and the warnings found while reading. */
    record Parsed(Object root, List<String> warnings) {}

    private final String source;
    private final YAMLParser parser;
    private final Map<String, Object> anchors = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private YamlReader(String source, YAMLParser parser) {
        this.source = source;
        this.parser = parser;
    }

    static Parsed read(String text, String source) throws ConfigException {
        try (YAMLParser parser = FACTORY.createParser(text)) {
            YamlReader reader = new YamlReader(source, parser);
            try {
                return reader.document();
            } catch (JsonProcessingException e) {
                throw reader.syntaxError(e);
            }
        } catch (IOException e) {
            throw new ConfigException(new Problem(Kind.SYNTAX, source, "", "cannot be read as YAML: " + e));
        }
    }

    private Parsed document() throws IOException, ConfigException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return new Parsed(null, warnings);
        }
        Object root = value(first, "");
        if (parser.nextToken() != null) {
            throw new ConfigException(new Problem(
                    Kind.SYNTAX,
                    source,
                    "",
                    "line " + line() + ": holds more than one YAML document; put all settings in one"));
        }
        return new Parsed(root, warnings);
    }

    private Object value(JsonToken token, String path) throws IOException, ConfigException {
        String anchor = parser.getObjectId();
        Object value = switch (token) {
            case START_OBJECT -> mapping(path);
            case START_ARRAY -> sequence(path);
            case VALUE_STRING -> parser.isCurrentAlias() ? alias(path) : emptyAsNull(parser.getText());
            case VALUE_NUMBER_INT -> integer();
            case VALUE_NUMBER_FLOAT -> decimal();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default ->
                throw new ConfigException(new Problem(
                        Kind.SYNTAX, source, path, "line " + line() + ": unexpected YAML content " + token));
        };
        if (anchor != null) {
            anchors.put(anchor, value);
        }
        return value;
    }

    private Map<String, Object> mapping(String path) throws IOException, ConfigException {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<?, ?>> merged = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = line();
            Object v = value(parser.nextToken(), ConfigTree.join(path, key));
            if (key.equals(MERGE_KEY)) {
                collectMerge(v, path, merged);
            } else {
                if (out.containsKey(key)) {
                    warnings.add(new Problem(
                                    Kind.INVALID_VALUE,
                                    source,
                                    ConfigTree.join(path, key),
                                    "line " + keyLine + ": key given twice; the last value is used")
                            .toString());
                }
                out.put(key, v);
            }
        }
        for (Map<?, ?> m : merged) {
            m.forEach((k, v) -> out.putIfAbsent(String.valueOf(k), ConfigTree.copy(v)));
        }
        return out;
    }

    private void collectMerge(Object v, String path, List<Map<?, ?>> merged) throws ConfigException {
        if (v instanceof Map<?, ?> m) {
            merged.add(m);
            return;
        }
        if (v instanceof List<?> list && list.stream().allMatch(i -> i instanceof Map<?, ?>)) {
            list.forEach(i -> merged.add((Map<?, ?>) i));
            return;
        }
        throw new ConfigException(new Problem(
                Kind.SYNTAX, source, path, "line " + line() + ": a merge key (<<) must refer to a mapping"));
    }

    private List<Object> sequence(String path) throws IOException, ConfigException {
        List<Object> out = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            out.add(value(token, path + "[" + out.size() + "]"));
        }
        return out;
    }

    private Object alias(String path) throws IOException, ConfigException {
        String name = parser.getText();
        if (!anchors.containsKey(name)) {
            throw new ConfigException(new Problem(
                    Kind.SYNTAX,
                    source,
                    path,
                    "line " + line() + ": alias *" + name + " refers to no anchor &" + name));
        }
        return ConfigTree.copy(anchors.get(name));
    }

    /**
     * Jackson reads an empty value as null in some places ({@code key:}) and as "" in others ({@code - key:}), and
     * cannot tell {@code ''} from nothing; Patroni treats both as unset nearly everywhere, so both are null here.
     */
    private static String emptyAsNull(String text) {
        return text.isEmpty() ? null : text;
    }

    private Object integer() throws IOException {
        try {
            return switch (parser.getNumberType()) {
                case INT -> parser.getIntValue();
                case LONG -> parser.getLongValue();
                default -> parser.getBigIntegerValue();
            };
        } catch (JsonParseException e) {
            return parser.getText();
        }
    }

    private Object decimal() throws IOException {
        try {
            return parser.getDoubleValue();
        } catch (JsonParseException e) {
            return parser.getText();
        }
    }

    private int line() {
        return parser.currentTokenLocation().getLineNr();
    }

    /**
     * SnakeYAML's problem mark points at the offending character; Jackson's own location is where the parser stood,
     * often a line earlier, so the mark is preferred when there is one. Jackson deprecates its wrapper of the mark in
     * favour of SnakeYAML's own class, which this module does not depend on directly.
     */
    @SuppressWarnings("deprecation")
    private ConfigException syntaxError(JsonProcessingException e) {
        String where;
        String what;
        if (e instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            where = "line " + (m.getProblemMark().getLine() + 1) + ", column "
                    + (m.getProblemMark().getColumn() + 1);
            what = m.getProblem();
        } else {
            JsonLocation at = e.getLocation();
            where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            what = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        }
        what = what.lines().findFirst().orElse(what).trim();
        String message = (where.isEmpty() ? "" : where + ": ") + "invalid YAML: " + what;
        return new ConfigException(new Problem(Kind.SYNTAX, source, keyPath(), message));
    }

    /** The key being read when the error happened, so that the message points into the file's structure too. */
    private String keyPath() {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.add(0, c.getCurrentName());
            }
        }
        return String.join(".", parts);
    }
}
