package org.bellwether.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.bellwether.cli.format.PyValues;
import org.bellwether.config.ConfigException;
import org.bellwether.config.ConfigLoader;
import org.bellwether.config.SettingsAudit;
import org.bellwether.core.ConfigPaths;
import org.bellwether.core.ConfigRules;

/**
 * The changes {@code edit-config} makes to the dynamic configuration, as patronictl makes them: {@code -s} paths
 * ({@code postgresql.parameters.} keeps the rest of the path whole, as parameter names contain dots), values read as
 * YAML, a null value deleting its key (and a mapping left empty going with it); {@code --apply} merging a document in
 * with Patroni's {@code patch_config}; {@code --replace} starting from nothing. Pure: maps in, maps out.
 */
final class ConfigEdit {
    static final String PG_PARAMETERS = "postgresql.parameters.";

    private ConfigEdit() {}

    /** {@code -s key.path=value} and {@code -p name=value} applied in order to a copy of {@code config}. */
    static Map<String, Object> set(Map<String, Object> config, List<String> settings, List<String> parameters)
            throws CtlException {
        Map<String, Object> changed = copy(config);
        List<String> all = new ArrayList<>(settings);
        parameters.forEach(p -> all.add(PG_PARAMETERS + p.stripLeading()));
        for (String pair : all) {
            int eq = pair == null ? -1 : pair.indexOf('=');
            if (eq < 0) {
                throw new CtlException("Invalid parameter setting " + pair);
            }
            String path = pair.substring(0, eq).strip();
            Object value = yamlValue(path, pair.substring(eq + 1));
            setPath(changed, Arrays.asList(path.split("\\.", -1)), value, List.of());
        }
        return changed;
    }

    /** patronictl's {@code set_path_value}. */
    @SuppressWarnings("unchecked")
    private static void setPath(Map<String, Object> config, List<String> path, Object value, List<String> prefix) {
        List<String> p = path;
        if (prefix.equals(List.of("postgresql", "parameters"))) {
            p = List.of(String.join(".", path));
        }
        String key = p.get(0);
        if (p.size() == 1) {
            if (value == null) {
                config.remove(key);
            } else {
                config.put(key, value);
            }
            return;
        }
        if (!(config.get(key) instanceof Map<?, ?>)) {
            config.put(key, new LinkedHashMap<String, Object>());
        }
        Map<String, Object> child = (Map<String, Object>) config.get(key);
        List<String> deeper = new ArrayList<>(prefix);
        deeper.add(key);
        setPath(child, p.subList(1, p.size()), value, deeper);
        if (child.isEmpty()) {
            config.remove(key);
        }
    }

    /**
     * A value as PyYAML's {@code safe_load} reads it: {@code 10} is a number, {@code on} a boolean, nothing is null
     * (delete). A quoted empty string stays an empty string.
     */
    static Object yamlValue(String key, String text) throws CtlException {
        String t = text.strip();
        if (t.equals("''") || t.equals("\"\"")) {
            return "";
        }
        try {
            return ConfigLoader.parseYaml(text, "the value of " + key);
        } catch (ConfigException e) {
            throw new CtlException("cannot read the value given for " + key + " as YAML: " + firstProblem(e), e);
        }
    }

    /** {@code --apply}: Patroni's {@code patch_config} of {@code document} into a copy of {@code config}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> apply(Map<String, Object> config, Object document, String source) throws CtlException {
        Map<String, Object> changed = copy(config);
        if (document == null) {
            return changed;
        }
        if (!(document instanceof Map<?, ?> m)) {
            throw new CtlException(source + " does not hold a mapping of settings");
        }
        patch(changed, (Map<String, Object>) m);
        return changed;
    }

    /** Patroni's {@code patch_config}: nulls delete, mappings merge into mappings, anything else replaces. */
    @SuppressWarnings("unchecked")
    static void patch(Map<String, Object> config, Map<String, Object> data) {
        for (Map.Entry<String, Object> e : data.entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            if (value == null) {
                config.remove(name);
            } else if (config.containsKey(name)) {
                if (value instanceof Map<?, ?> v && config.get(name) instanceof Map<?, ?> c) {
                    patch((Map<String, Object>) c, (Map<String, Object>) v);
                } else if (value instanceof Map<?, ?> v) {
                    config.put(name, copyValue(v));
                } else if (!PyValues.str(config.get(name)).equals(PyValues.str(value))) {
                    config.put(name, copyValue(value));
                }
            } else {
                config.put(name, copyValue(value));
            }
        }
    }

    /** Reads a document given to {@code --apply}/{@code --replace}. */
    static Object parse(String text, String source) throws CtlException {
        try {
            return ConfigLoader.parseYaml(text, source);
        } catch (ConfigException e) {
            throw new CtlException(firstProblem(e), e);
        }
    }

    /**
     * The errors on what the edit changes, as {@code key: message}: bad values, and settings Bellwether refuses. An
     * error on a setting the edit leaves alone is not held against it, so a broken value written by someone else does
     * not block an unrelated change.
     */
    static List<String> newErrors(Map<String, Object> before, Map<String, Object> after) {
        return ConfigRules.errorsOn(SettingsAudit.checkDynamic(after), ConfigPaths.changed(before, after)).stream()
                .map(ConfigRules.Finding::text)
                .toList();
    }

    /**
     * New warnings (settings Patroni ignores, settings accepted but not applied, the timing rule's adjustment), shown
     * but not refused.
     */
    static List<String> newWarnings(Map<String, Object> before, Map<String, Object> after) {
        Set<ConfigRules.Finding> old = Set.copyOf(SettingsAudit.checkDynamic(before));
        return SettingsAudit.checkDynamic(after).stream()
                .filter(f -> !f.error())
                .filter(f -> !old.contains(f))
                .map(ConfigRules.Finding::text)
                .toList();
    }

    /** Python's {@code ==} on JSON-shaped values: numbers by value (1 == 1.0), maps regardless of key order. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            try {
                return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
            } catch (NumberFormatException e) {
                return Double.compare(x.doubleValue(), y.doubleValue()) == 0; // NaN, infinities
            }
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            return x.keySet().stream().allMatch(k -> same(x.get(k), y.get(k)));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** A deep, mutable copy ({@code LinkedHashMap}/{@code ArrayList}). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, ?> config) {
        return (Map<String, Object>) copyValue(config);
    }

    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), copyValue(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(ConfigEdit::copyValue).collect(Collectors.toCollection(ArrayList::new));
        }
        return value;
    }

    /** The form the DCS stores: a sorted map. */
    static TreeMap<String, Object> sorted(Map<String, Object> config) {
        return new TreeMap<>(config);
    }

    private static String firstProblem(ConfigException e) {
        return e.problems().isEmpty() ? e.getMessage() : e.problems().get(0).toString();
    }
}
