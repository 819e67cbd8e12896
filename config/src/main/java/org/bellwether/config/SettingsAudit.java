package org.bellwether.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.config.ConfigException.Problem;
import org.bellwether.core.ConfigRules;
import org.bellwether.core.ConfigRules.Finding;

/**
 * Consults the {@link SettingsTable} for every key present in a configuration: a refused setting is an error naming
 * its key and why, a setting accepted but not applied a warning saying {@code accepted, not applied: why}. The
 * sections read the values; this says what becomes of them, in one place.
 *
 * <p>A section rule (an unsupported DCS, {@code citus}) is reported at each key below it, so that each message names
 * the key and the file or environment variable that set it.
 */
public final class SettingsAudit {
    /** A present setting the table reports. */
    record Report(String path, SettingRule rule) {}

    private final Function<String, Optional<SettingRule>> table;
    private final Predicate<String> skipped;
    private final Map<?, ?> localRoot;
    private final List<Report> reports = new ArrayList<>();

    private SettingsAudit(
            Function<String, Optional<SettingRule>> table, Predicate<String> skipped, Map<?, ?> localRoot) {
        this.table = table;
        this.skipped = skipped;
        this.localRoot = localRoot;
    }

    /**
     * The table's findings on a dynamic configuration on its own (as {@code PATCH /config} and {@code edit-config}
     * see it): an error for each refused setting present, a warning for each accepted but not applied. Settings the
     * core's {@link ConfigRules} already refuses are left to its findings.
     */
    public static List<Finding> dynamic(Map<String, ?> config) {
        return dynamic(config, Map.of(), ConfigRules.check(config));
    }

    /** {@link ConfigRules}' findings followed by the table's: what every writer of the {@code config} key checks. */
    public static List<Finding> checkDynamic(Map<String, ?> config) {
        List<Finding> core = ConfigRules.check(config);
        List<Finding> out = new ArrayList<>(core);
        out.addAll(dynamic(config, Map.of(), core));
        return out;
    }

    /**
     * As {@link #dynamic(Map)}, for {@code bootstrap.dcs} in a node's file: {@code localRoot} is the whole file, for
     * the settings Patroni takes from it before the dynamic configuration ({@code postgresql.pg_hba}).
     */
    static List<Finding> dynamic(Map<String, ?> config, Map<?, ?> localRoot, List<Finding> coreFindings) {
        List<String> coreErrors =
                coreFindings.stream().filter(Finding::error).map(Finding::key).toList();
        SettingsAudit audit = new SettingsAudit(SettingsTable::dynamic, path -> false, localRoot);
        audit.visitChildren("", config);
        List<Finding> out = new ArrayList<>();
        for (Report r : audit.reports) {
            if (coreErrors.stream()
                    .noneMatch(e -> e.equals(r.path()) || r.path().startsWith(e + "."))) {
                out.add(new Finding(r.path(), r.rule().message(), r.rule().kind() == SettingClass.REFUSED));
            }
        }
        return out;
    }

    /**
     * Audits a node's whole file (with the environment laid over it): warnings go to {@code diagnostics}, refusals are
     * thrown together. {@code skipped} paths are left to the sections that own them ({@code bootstrap.dcs}, and the DCS
     * sections Patroni would not use).
     */
    static void local(Map<String, Object> tree, Diagnostics diagnostics, Predicate<String> skipped)
            throws ConfigException {
        SettingsAudit audit = new SettingsAudit(SettingsTable::local, skipped, tree);
        audit.visitChildren("", tree);
        List<Problem> errors = new ArrayList<>();
        for (Report r : audit.reports) {
            if (r.rule().kind() == SettingClass.REFUSED) {
                errors.add(
                        diagnostics.problem(Kind.UNSUPPORTED, r.path(), r.rule().message()));
            } else {
                diagnostics.warn(r.path(), r.rule().message());
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors, List.of());
        }
    }

    private void visitChildren(String path, Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            visit(ConfigTree.join(path, String.valueOf(e.getKey())), e.getValue(), map);
        }
    }

    /** A null value counts as absent, as it does for Patroni. */
    private void visit(String path, Object value, Map<?, ?> parent) {
        if (value == null || skipped.test(path)) {
            return;
        }
        Optional<SettingRule> rule = table.apply(path).filter(SettingRule::reported);
        boolean branch = value instanceof Map<?, ?> m && !m.isEmpty();
        int before = reports.size();
        if (rule.isPresent() && rule.get().section() && branch) {
            visitChildren(path, (Map<?, ?>) value);
            if (reports.size() == before) {
                reports.add(new Report(path, rule.get())); // only nulls below: the section itself is what is there
            }
        } else if (rule.isPresent()
                && rule.get().when().holds(value, new SettingCondition.Context(parent, localRoot))) {
            reports.add(new Report(path, rule.get()));
        } else if (branch) {
            visitChildren(path, (Map<?, ?>) value);
        }
    }
}
