package org.bellwether.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.config.PatroniSettingsFixture.Scope;
import org.bellwether.config.PatroniSettingsFixture.Setting;

/**
 * Configurations that hold one documented setting, with a value that puts it in its class (a custom
 * {@code bootstrap.method}, {@code use_ssl: true}), on top of a minimal valid node. The node uses ZooKeeper, which
 * comes last in Patroni's order of DCS sections, so that a section of any other DCS is the one Patroni would use; the
 * etcd3 settings get an etcd3 node instead.
 */
final class SettingSamples {
    private static final Map<String, Object> BY_KEY = Map.ofEntries(
            Map.entry("thread_pool_size", 5),
            Map.entry("restapi.thread_pool_size", 5),
            Map.entry("thread_stack_size", "512kB"),
            Map.entry("bootstrap.method", "custom"),
            Map.entry("postgresql.create_replica_methods", List.of("custom")),
            Map.entry("postgresql.config_dir", "/etc/postgresql/main"),
            Map.entry("postgresql.use_pg_rewind", true),
            Map.entry("postgresql.remove_data_directory_on_rewind_failure", true),
            Map.entry("postgresql.remove_data_directory_on_diverged_timelines", true),
            Map.entry("postgresql.use_unix_socket", true),
            Map.entry("postgresql.use_unix_socket_repl", true),
            Map.entry("postgresql.pg_ctl_timeout", 90),
            Map.entry("postgresql.proxy_address", "127.0.0.1:6432"),
            Map.entry("postgresql.recovery_conf", Map.of("restore_command", "cp /archive/%f %p")),
            Map.entry("postgresql.pg_ident", List.of("main postgres postgres")),
            Map.entry("postgresql.pg_hba", List.of("host all all 0.0.0.0/0 scram-sha-256")),
            Map.entry("tags.nostream", true),
            Map.entry("zookeeper.use_ssl", true),
            Map.entry("zookeeper.verify", false),
            Map.entry("zookeeper.set_acls", Map.of("CN=node1", List.of("ALL"))),
            Map.entry("citus.group", 1),
            Map.entry("max_timelines_history", 10),
            Map.entry("primary_stop_timeout", 10),
            Map.entry("standby_cluster.port", 5433),
            Map.entry("standby_cluster.create_replica_methods", List.of("basebackup")));
    private static final Map<String, Object> BY_NAME = Map.of(
            "sslmode", "require",
            "gssencmode", "require",
            "channel_binding", "require",
            "sslnegotiation", "direct");
    private static final YAMLMapper YAML = new YAMLMapper();

    private SettingSamples() {}

    /** The key as a file spells it: {@code <method>} becomes {@code custom}, other placeholders {@code example}. */
    static String concrete(String key) {
        return key.replace("<method>", "custom").replaceAll("<[a-z_]+>", "example");
    }

    /** The node's file: the minimal node with the setting (a dynamic one under {@code bootstrap.dcs}). */
    static String yaml(Setting setting) {
        Map<String, Object> tree =
                base(setting.key().startsWith("etcd3") || setting.key().contains("_ETCD3_"));
        if (setting.scope() == Scope.ENVIRONMENT) {
            return dump(tree);
        }
        String prefix = setting.scope() == Scope.DYNAMIC ? "bootstrap.dcs." : "";
        put(tree, prefix + concrete(setting.key()), value(setting.key()));
        if (setting.key().startsWith("bootstrap.<method>.")) {
            put(tree, "bootstrap.method", "custom");
        } else if (setting.key().startsWith("postgresql.<method>.")) {
            put(tree, "postgresql.create_replica_methods", List.of("custom"));
        }
        return dump(tree);
    }

    /**
     * The environment of an environment setting: the sample of the setting it sets, when that is a single value, else
     * {@code 1}, which reads as every type Patroni parses variables into (a boolean, an integer, a list, a mapping). An
     * etcd section's credentials count only next to another of its variables, as in Patroni.
     */
    static Map<String, String> environment(Setting setting) {
        if (setting.scope() != Scope.ENVIRONMENT) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        Object sample = Optional.ofNullable(EnvironmentConfig.variables().get(setting.key()))
                .map(SettingSamples::value)
                .orElse("1");
        boolean scalar = !(sample instanceof Map<?, ?>) && !(sample instanceof List<?>) && !"x".equals(sample);
        env.put(setting.key(), scalar ? sample.toString() : "1");
        if (setting.key().matches("PATRONI_ETCD3?_(USERNAME|PASSWORD)")) {
            env.put(setting.key().replaceAll("_(USERNAME|PASSWORD)$", "_HOST"), "etcd.example.com");
        }
        return env;
    }

    private static Object value(String key) {
        if (BY_KEY.containsKey(key)) {
            return BY_KEY.get(key);
        }
        String name = key.substring(key.lastIndexOf('.') + 1);
        return BY_NAME.getOrDefault(name, "x");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> base(boolean etcd3) {
        Map<String, Object> tree;
        try {
            tree = (Map<String, Object>) ConfigLoader.parseYaml(Samples.MINIMAL, "minimal");
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
        if (!etcd3) {
            tree.remove("etcd3");
            tree.put("zookeeper", new LinkedHashMap<>(Map.of("hosts", "zk1:2181")));
        }
        return tree;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String path, Object value) {
        String[] keys = path.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
        }
        node.put(keys[keys.length - 1], value);
    }

    private static String dump(Map<String, Object> tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
