package org.bellwether.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.bellwether.config.ConfigException.Problem;

/**
 * Maps the merged tree onto {@link NodeConfig}, one section at a time. Each section fails on its first problem, but
 * the sections are all read, so one run reports a broken {@code restapi} and a broken {@code postgresql} together.
 */
final class NodeConfigReader {
    /** Dynamic settings sometimes written at the top level, where Patroni ignores them. */
    private static final Set<String> DYNAMIC_AT_TOP = Set.of(
            "ttl",
            "loop_wait",
            "retry_timeout",
            "maximum_lag_on_failover",
            "maximum_lag_on_syncnode",
            "synchronous_mode",
            "synchronous_mode_strict",
            "synchronous_node_count",
            "primary_start_timeout",
            "primary_stop_timeout",
            "check_timeline",
            "failsafe_mode",
            "max_timelines_history",
            "member_slots_ttl",
            "slots",
            "ignore_slots",
            "standby_cluster");

    /** A section reader; throws on the first problem in its section. */
    @FunctionalInterface
    private interface Step<T> {
        T read() throws ConfigException;
    }

    private final Map<String, Object> tree;
    private final Section root;
    private final Diagnostics diagnostics;
    private final List<Problem> problems = new ArrayList<>();

    private NodeConfigReader(Map<String, Object> tree, Diagnostics diagnostics) {
        this.tree = tree;
        this.root = new Section(diagnostics, "", tree);
        this.diagnostics = diagnostics;
    }

    static LoadedConfig read(Map<String, Object> tree, Diagnostics diagnostics, Optional<Path> source)
            throws ConfigException {
        return new NodeConfigReader(tree, diagnostics).read(source);
    }

    private LoadedConfig read(Optional<Path> source) throws ConfigException {
        String scope = step(() -> root.requiredText("scope"));
        String name = step(() -> root.requiredText("name"));
        String namespace =
                step(() -> NodeConfig.normaliseNamespace(root.text("namespace").orElse(NodeConfig.DEFAULT_NAMESPACE)));
        RestApiConfig restapi = step(() -> RestApiSection.read(root.requiredSection("restapi")));
        DcsSection.Choice dcs = step(() -> DcsSection.read(root));
        BootstrapConfig bootstrap = step(() -> BootstrapSection.read(root.sectionOrEmpty("bootstrap"), tree));
        PostgresConfig postgresql = step(() -> PostgresSection.read(root.requiredSection("postgresql")));
        SortedMap<String, Object> tags = step(() -> TagsSection.read(root.sectionOrEmpty("tags")));
        WatchdogConfig watchdog = step(() -> SmallSections.watchdog(root.sectionOrEmpty("watchdog")));
        CtlConfig ctl = step(() -> SmallSections.ctl(root.sectionOrEmpty("ctl")));
        LogConfig log = step(() -> LogSection.read(root.sectionOrEmpty("log")));
        step(this::audit);
        topLevelLeftovers();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, diagnostics.warnings());
        }
        NodeConfig config = new NodeConfig(
                scope,
                namespace,
                name,
                restapi,
                dcs.etcd3(),
                bootstrap,
                postgresql,
                tags,
                source,
                dcs.zookeeper(),
                watchdog,
                ctl,
                log);
        return new LoadedConfig(config, diagnostics.warnings());
    }

    private <T> T step(Step<T> step) {
        try {
            return step.read();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /**
     * What the settings table says of every key present. {@code bootstrap.dcs} is audited by its section, against the
     * dynamic settings; a DCS section Patroni would not use is only warned about by {@link DcsSection}.
     */
    private Void audit() throws ConfigException {
        Optional<String> dcs = DcsSection.chosen(root);
        SettingsAudit.local(
                tree,
                diagnostics,
                path -> path.equals("bootstrap.dcs")
                        || (DcsSection.PATRONI_ORDER.contains(path) && !dcs.equals(Optional.of(path))));
        return null;
    }

    private void topLevelLeftovers() {
        for (String key : root.keys()) {
            if (DYNAMIC_AT_TOP.contains(key)) {
                root.raw(key);
                root.warn(key, "a dynamic setting; Patroni ignores it here, put it under bootstrap.dcs");
            }
        }
        root.warnUnknown();
    }
}
