package org.bellwether.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.core.ConfigRules;

/**
 * Reads {@code bootstrap.*}. {@code dcs} is kept as written (it becomes the cluster's {@code config} key) but checked
 * with the core's {@link ConfigRules}, the same validator every writer and reader of the key uses: a value of the
 * wrong type or out of range is refused before any node writes it, and a timing that breaks
 * {@code loop_wait + 2*retry_timeout <= ttl} is a warning saying how every node will adjust it, as Patroni does. The
 * settings table ({@link SettingsAudit}) then refuses the settings Bellwether does not support and warns about those
 * it does not apply.
 */
final class BootstrapSection {
    private BootstrapSection() {}

    /**
     * {@code localRoot} is the node's whole file, which some dynamic settings defer to ({@code postgresql.pg_hba}). A
     * custom {@code method} is refused by the settings table, with or without its section.
     */
    static BootstrapConfig read(Section s, Map<String, Object> localRoot) throws ConfigException {
        SortedMap<String, Object> dcs = dcs(s, localRoot);
        List<String> initdb = LongOptions.render(s, "initdb", LongOptions.INITDB_RESERVED, LongOptions.OnBad.FAIL);
        List<String> pgHba = s.textList("pg_hba");
        Optional<String> postBootstrap = postBootstrap(s);
        Optional<String> method = s.text("method");
        SortedMap<String, SortedMap<String, Object>> methods = methods(s);
        if (s.has("users")) {
            s.raw("users");
            s.warn("users", "no longer supported since Patroni 4.0 and ignored; create users in post_bootstrap");
        }
        s.warnUnknown();
        return new BootstrapConfig(dcs, initdb, pgHba, postBootstrap, method, methods);
    }

    /** Checked by the core's rules, then by the settings table: a refused setting is an error, as a bad value is. */
    private static SortedMap<String, Object> dcs(Section s, Map<String, Object> localRoot) throws ConfigException {
        Optional<Section> dcs = s.section("dcs");
        if (dcs.isEmpty()) {
            return new TreeMap<>();
        }
        Section d = dcs.get();
        List<ConfigException.Problem> errors = new ArrayList<>();
        List<ConfigRules.Finding> rules = ConfigRules.check(d.asRawMap());
        for (ConfigRules.Finding f : rules) {
            Kind kind = f.key().isEmpty() ? Kind.RULE : Kind.INVALID_VALUE;
            report(d, f, kind, errors);
        }
        for (ConfigRules.Finding f : SettingsAudit.dynamic(d.asRawMap(), localRoot, rules)) {
            report(d, f, Kind.UNSUPPORTED, errors);
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors, List.of());
        }
        return d.asRawMap();
    }

    private static void report(Section d, ConfigRules.Finding f, Kind kind, List<ConfigException.Problem> errors) {
        String path = ConfigTree.join(d.path(), f.key());
        if (f.error()) {
            errors.add(d.diagnostics().problem(kind, path, f.message()));
        } else {
            d.diagnostics().warn(path, f.message());
        }
    }

    /** {@code post_bootstrap}, or its older name {@code post_init}. */
    private static Optional<String> postBootstrap(Section s) throws ConfigException {
        Optional<String> postBootstrap = s.text("post_bootstrap");
        Optional<String> postInit = s.text("post_init");
        if (postBootstrap.isPresent() && postInit.isPresent()) {
            s.warn("post_init", "ignored: post_bootstrap is set too and takes precedence");
        }
        return postBootstrap.or(() -> postInit);
    }

    /** Sections that describe a custom bootstrap method: a mapping with a {@code command}. */
    private static SortedMap<String, SortedMap<String, Object>> methods(Section s) throws ConfigException {
        SortedMap<String, SortedMap<String, Object>> out = new TreeMap<>();
        for (String key : s.keys()) {
            if (s.peek(key) instanceof Map<?, ?> m && m.get("command") != null) {
                Section method = s.requiredSection(key);
                method.text("command");
                out.put(key, method.asRawMap());
            }
        }
        return out;
    }
}
