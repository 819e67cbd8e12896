package org.bellwether.app.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwether.cli.format.PyYaml;

/**
 * Patroni's {@code _format_config}: a generated configuration as YAML in the order an operator reads it (who the node
 * is, its REST API and DCS, then bootstrap, PostgreSQL and tags), each section as PyYAML writes it, with Patroni's
 * comments on {@code bootstrap}. Sections Patroni does not list are not written.
 */
final class ConfigDocument {
    private static final List<String> LEADING = List.of(
            "scope",
            "namespace",
            "name",
            "log",
            "restapi",
            "ctl",
            "citus",
            "consul",
            "etcd",
            "etcd3",
            "exhibitor",
            "kubernetes",
            "raft",
            "zookeeper");
    private static final List<String> TRAILING = List.of("postgresql", "watchdog", "tags");
    private static final List<String> TIMING = List.of("loop_wait", "retry_timeout", "ttl");

    private ConfigDocument() {}

    /**
     * @param dcsIsPlaceholder whether the DCS section stands in for one nobody named; it is then marked to be fixed
     */
    static String render(Map<String, Object> config, boolean dcsIsPlaceholder) {
        List<String> lines = new ArrayList<>();
        for (String name : LEADING) {
            String comment = dcsIsPlaceholder && name.equals(ConfigTemplate.DCS_PLACEHOLDER_SECTION)
                    ? "# FIXME: the DCS. Name every etcd server here (etcd v3), or use a"
                            + " zookeeper: section instead."
                    : null;
            section(config, name, comment, lines);
        }
        if (config.get("bootstrap") instanceof Map<?, ?> bootstrap) {
            lines.add("\n# The bootstrap configuration. Works only when the cluster is not yet initialized.");
            lines.add("# If the cluster is already initialized, all changes in the `bootstrap` section are ignored!");
            lines.add("bootstrap:");
            if (bootstrap.get("dcs") instanceof Map<?, ?> dcs) {
                lines.add("  # This section will be written into <dcs>:/<namespace>/<scope>/config after initializing");
                lines.add("  # new cluster and all other cluster members will use it as a `global configuration`.");
                lines.add("  # WARNING! If you want to change any of the parameters that were set up");
                lines.add("  # via `bootstrap.dcs` section, please use `bellwether ctl edit-config`!");
                lines.add("  dcs:");
                Map<Object, Object> rest = new LinkedHashMap<>(dcs);
                for (String name : TIMING) {
                    if (rest.containsKey(name)) {
                        lines.add(block(name, rest.remove(name), "    "));
                    }
                }
                rest.forEach((name, value) -> lines.add(block(String.valueOf(name), value, "    ")));
            }
        }
        for (String name : TRAILING) {
            section(config, name, null, lines);
        }
        // Patroni ends the document without a line break; a text file ends with one.
        return String.join("\n", lines) + "\n";
    }

    /** A top-level section, after a blank line when it is a mapping. */
    private static void section(Map<String, Object> config, String name, String comment, List<String> lines) {
        if (!config.containsKey(name)) {
            return;
        }
        Object value = config.get(name);
        if (value instanceof Map<?, ?>) {
            lines.add("");
        }
        if (comment != null) {
            lines.add(comment);
        }
        lines.add(block(name, value, ""));
    }

    /** {@code {name: value}} as PyYAML's block style, every line after {@code prefix}. */
    private static String block(String name, Object value, String prefix) {
        Map<String, Object> single = new LinkedHashMap<>();
        single.put(name, value);
        return prefix + PyYaml.dump(single).strip().replace("\n", "\n" + prefix);
    }
}
