package org.bellwether.config;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.core.ConfigRules;
import org.bellwether.core.HostPort;

/**
 * One mapping of the configuration being read, with typed getters that fail with the key path, and a record of which
 * keys were read so that the rest can be reported as unknown. A key whose value is null ({@code certfile:} with nothing
 * after it) counts as absent, as it does for Patroni.
 */
final class Section {
    private final Diagnostics diagnostics;
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();

    Section(Diagnostics diagnostics, String path, Map<String, Object> values) {
        this.diagnostics = diagnostics;
        this.path = path;
        this.values = values;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return ConfigTree.join(path, key);
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    /** The value as written, without marking the key as known. */
    Object peek(String key) {
        return values.get(key);
    }

    /** The value as written, marking the key as known. */
    Object raw(String key) {
        read.add(key);
        return values.get(key);
    }

    /** Marks keys as known without reading them here (another reader takes them, such as the DCS choice). */
    void accept(String... keys) {
        Collections.addAll(read, keys);
    }

    Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    ConfigException error(Kind kind, String key, String message) {
        return new ConfigException(diagnostics.problem(kind, pathOf(key), message));
    }

    void warn(String key, String message) {
        diagnostics.warn(pathOf(key), message);
    }

    /**
     * Warns about every key of this section that nothing read or accepted. Keys the settings table refuses or does not
     * apply are left to its audit ({@link SettingsAudit}), which says why.
     */
    void warnUnknown() {
        for (String key : values.keySet()) {
            if (!read.contains(key) && !auditedElsewhere(key)) {
                warn(key, "unknown setting, ignored");
            }
        }
    }

    private boolean auditedElsewhere(String key) {
        return SettingsTable.local(pathOf(key))
                .filter(rule -> rule.kind() != SettingClass.APPLIED)
                .isPresent();
    }

    Object required(String key) throws ConfigException {
        Object v = raw(key);
        if (v == null) {
            throw error(Kind.MISSING, key, "required setting is missing");
        }
        return v;
    }

    String requiredText(String key) throws ConfigException {
        return text(key, required(key));
    }

    Optional<String> text(String key) throws ConfigException {
        Object v = raw(key);
        return v == null ? Optional.empty() : Optional.of(text(key, v));
    }

    /**
     * Text settings take numbers too: YAML reads an unquoted {@code password: 1234} as a number and Patroni uses it
     * as its text. A boolean is refused: {@code password: yes} is almost surely a mistake, and Python would spell it
     * {@code True}.
     */
    String text(String key, Object v) throws ConfigException {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Double) {
            return v.toString();
        }
        throw error(Kind.WRONG_TYPE, key, "expected a string, got " + ConfigRules.describe(v) + hint(v));
    }

    private static String hint(Object v) {
        return v instanceof Boolean ? " (YAML reads unquoted yes/no/on/off as booleans; quote the value)" : "";
    }

    Optional<Path> file(String key) throws ConfigException {
        Optional<String> t = text(key);
        return t.isEmpty() || t.get().isBlank() ? Optional.empty() : Optional.of(Path.of(t.get()));
    }

    Optional<Boolean> bool(String key) throws ConfigException {
        Object v = raw(key);
        if (v == null || v instanceof Boolean) {
            return Optional.ofNullable((Boolean) v);
        }
        String extra = v instanceof String
                ? " (a quoted value is a string, and Patroni treats any non-empty string as true; remove the quotes)"
                : "";
        throw error(Kind.WRONG_TYPE, key, "expected true or false, got " + ConfigRules.describe(v) + extra);
    }

    Optional<Long> integer(String key, long min, long max) throws ConfigException {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        Optional<Long> n = ConfigRules.parseLong(v);
        if (n.isEmpty()) {
            throw error(Kind.WRONG_TYPE, key, "expected an integer, got " + ConfigRules.describe(v));
        }
        if (n.get() < min || n.get() > max) {
            throw error(Kind.INVALID_VALUE, key, range(min, max) + ", got " + n.get());
        }
        return n;
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE ? "must be at least " + min : "must be between " + min + " and " + max;
    }

    /** One of {@code allowed}, compared without case; returned in the spelling of {@code allowed}. */
    Optional<String> choice(String key, String... allowed) throws ConfigException {
        Optional<String> t = text(key);
        if (t.isEmpty()) {
            return t;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(t.get().trim())) {
                return Optional.of(a);
            }
        }
        throw error(
                Kind.INVALID_VALUE,
                key,
                "expected one of " + String.join(", ", allowed) + ", got " + ConfigRules.describe(t.get()));
    }

    Optional<HostPort> hostPort(String key) throws ConfigException {
        Optional<String> t = text(key);
        return t.isEmpty() ? Optional.empty() : Optional.of(Addresses.hostPort(this, key, t.get()));
    }

    HostPort requiredHostPort(String key) throws ConfigException {
        return Addresses.hostPort(this, key, requiredText(key));
    }

    /** A nested mapping, or empty when absent. */
    Optional<Section> section(String key) throws ConfigException {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(new Section(diagnostics, pathOf(key), asMap(key, v)));
    }

    Section requiredSection(String key) throws ConfigException {
        Object v = raw(key);
        if (v == null) {
            throw error(Kind.MISSING, key, "required section is missing");
        }
        return new Section(diagnostics, pathOf(key), asMap(key, v));
    }

    /** An empty section for a missing optional one, so that defaults come out of the same code path. */
    Section sectionOrEmpty(String key) throws ConfigException {
        return section(key).orElseGet(() -> new Section(diagnostics, pathOf(key), Map.of()));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(String key, Object v) throws ConfigException {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw error(Kind.WRONG_TYPE, key, "expected a mapping of settings, got " + ConfigRules.describe(v));
    }

    /** A list of text items; a single string is one item. */
    List<String> textList(String key) throws ConfigException {
        Object v = raw(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            return List.of(text(key, v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw error(Kind.WRONG_TYPE, key + "[" + i + "]", "expected a string, got nothing");
            }
            out.add(text(key + "[" + i + "]", list.get(i)));
        }
        return out;
    }

    /** A list, or a comma-separated string of items (Patroni accepts both for host lists). */
    List<String> commaList(String key) throws ConfigException {
        Object v = raw(key);
        if (v instanceof String s) {
            List<String> out = new ArrayList<>();
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
        return textList(key);
    }

    /** A nested mapping kept as written (deeply unmodifiable, sorted). */
    SortedMap<String, Object> rawMap(String key) throws ConfigException {
        Optional<Section> s = section(key);
        return s.isEmpty() ? Collections.emptySortedMap() : s.get().asRawMap();
    }

    SortedMap<String, Object> asRawMap() {
        return Collections.unmodifiableSortedMap(ConfigTree.freezeMap(values));
    }

    /** A mapping of names to text values, such as HTTP headers or callbacks. */
    SortedMap<String, String> textMap(String key) throws ConfigException {
        Optional<Section> s = section(key);
        if (s.isEmpty()) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, String> out = new TreeMap<>();
        for (String k : s.get().keys()) {
            Optional<String> t = s.get().text(k);
            if (t.isPresent()) {
                out.put(k, t.get());
            }
        }
        return out;
    }

    /** Values of this section minus some keys, for raw views that must not carry secrets. */
    SortedMap<String, Object> rawWithout(String... excluded) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        for (String e : excluded) {
            copy.remove(e);
        }
        return Collections.unmodifiableSortedMap(ConfigTree.freezeMap(copy));
    }
}
