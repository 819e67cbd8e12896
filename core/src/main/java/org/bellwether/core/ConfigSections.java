package org.bellwether.core;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.bellwether.core.ConfigRules.Finding;

/**
 * One pass of {@link ConfigRules#validate} over a configuration: reads the known settings into values, checks the
 * {@code postgresql} and {@code standby_cluster} sections, and collects findings. Never throws on what it reads.
 */
final class ConfigSections {
    private static final Set<String> POSTGRES_OTHER = Set.of(
            "recovery_conf", "bin_dir", "bin_name", "callbacks", "create_replica_methods", "basebackup", "custom_conf");
    private static final Set<String> POSTGRES_LOCAL_ONLY =
            Set.of("listen", "connect_address", "proxy_address", "data_dir", "config_dir", "pgpass", "authentication");
    private static final Set<String> STANDBY_KEYS = Set.of(
            "host",
            "port",
            "restore_command",
            "primary_slot_name",
            "create_replica_methods",
            "archive_cleanup_command",
            "recovery_min_apply_delay",
            "leader_tags");
    /** GUCs Patroni passes on the command line, with its minimum and the default it falls back to. */
    private static final Map<String, long[]> GUC_MINIMUMS = Map.of(
            "max_connections", new long[] {25, 100},
            "max_wal_senders", new long[] {3, 10},
            "max_prepared_transactions", new long[] {0, 0},
            "max_locks_per_transaction", new long[] {32, 64},
            "max_replication_slots", new long[] {4, 10},
            "max_worker_processes", new long[] {2, 8},
            "wal_keep_segments", new long[] {1, 8});

    private static final Set<String> GUCS_SET_BY_PATRONI = Set.of("listen_addresses", "port", "cluster_name");
    /** What PostgreSQL takes as a parameter name (the agent refuses to write any other into postgresql.conf). */
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    final List<Finding> findings;
    final SortedMap<String, Object> values = new TreeMap<>();
    final SortedMap<String, Object> parameters = new TreeMap<>();

    ConfigSections(List<Finding> findings) {
        this.findings = findings;
    }

    /** A known single-valued setting: its value when it reads, else an error naming it and what it expects. */
    void setting(ConfigKey key, String path, Object value) {
        Optional<Object> read = key.read(value);
        if (read.isPresent()) {
            values.put(key.path(), read.get());
        } else {
            error(path, "expected " + key.expected() + ", got " + ConfigValues.describe(value));
        }
    }

    void postgresql(Object value) {
        asMap("postgresql", value).ifPresent(this::postgresqlSettings);
    }

    void standbyCluster(Object value) {
        asMap("standby_cluster", value).ifPresent(this::standbySettings);
    }

    private void postgresqlSettings(Map<?, ?> postgres) {
        for (Map.Entry<?, ?> e : postgres.entrySet()) {
            String name = String.valueOf(e.getKey());
            String path = ConfigPaths.join("postgresql", name);
            Object value = e.getValue();
            Optional<ConfigKey> known = ConfigKey.byPath("postgresql." + name);
            if (value == null) {
                continue;
            }
            if (known.isPresent()) {
                setting(known.get(), path, value);
            } else if (name.equals("pg_hba") || name.equals("pg_ident")) {
                stringList(path, value);
            } else if (name.equals("parameters")) {
                asMap(path, value).ifPresent(this::parameterSettings);
            } else if (POSTGRES_LOCAL_ONLY.contains(name)) {
                warning(path, "a local setting; Patroni ignores it in the dynamic configuration");
            } else if (!POSTGRES_OTHER.contains(name)) {
                warning(path, "not a dynamic configuration setting; Patroni ignores it");
            }
        }
    }

    /**
     * Parameters are checked for shape only (a name PostgreSQL could have, a single value); whether PostgreSQL takes
     * the value is its own business. Those that pass are kept in {@link #parameters}.
     */
    private void parameterSettings(Map<?, ?> given) {
        for (Map.Entry<?, ?> e : given.entrySet()) {
            String name = String.valueOf(e.getKey());
            String path = ConfigPaths.join("postgresql.parameters", name);
            Object value = e.getValue();
            if (!PARAMETER_NAME.matcher(name).matches()) {
                error(
                        path,
                        "not a PostgreSQL parameter name (letters, digits, '_' and '.', not starting with a digit)");
            } else if (!ConfigValues.isSingleValue(value)) {
                error(
                        path,
                        "expected a single value (text, a number or a boolean), got " + ConfigValues.describe(value));
            } else {
                parameters.put(name, value);
                parameterWarnings(name.toLowerCase(Locale.ROOT), path, value);
            }
        }
    }

    private void parameterWarnings(String name, String path, Object value) {
        if (GUCS_SET_BY_PATRONI.contains(name)) {
            warning(path, "set by Patroni from postgresql.listen and scope; this value is ignored");
        } else if (name.equals("wal_level") && value != null) {
            String level = value.toString().toLowerCase(Locale.ROOT);
            if (!Set.of("hot_standby", "replica", "logical").contains(level)) {
                warning(path, "must be replica or logical for replication; Patroni uses hot_standby");
            }
        } else if (GUC_MINIMUMS.containsKey(name) && value != null) {
            long[] limits = GUC_MINIMUMS.get(name);
            Optional<Long> n = ConfigValues.integer(value);
            if (n.isEmpty() || n.get() < limits[0]) {
                warning(
                        path,
                        "must be an integer of at least " + limits[0] + ", got " + ConfigValues.describe(value)
                                + "; Patroni uses " + limits[1] + " instead");
            }
        }
    }

    private void standbySettings(Map<?, ?> standby) {
        if (!standby.isEmpty()) {
            // A Patroni standby leader replicates from another cluster and never promotes; Bellwether has no standby
            // leader, so its nodes of such a cluster stay replicas and none leads (StandbyClusterGuard).
            error(
                    "standby_cluster",
                    "standby clusters are not supported by Bellwether yet: no node would replicate from the other"
                            + " cluster or lead this one; remove the section");
        }
        if (lookup(standby, "host") == null
                && lookup(standby, "port") == null
                && lookup(standby, "restore_command") == null) {
            error("standby_cluster", "needs host and port, or restore_command, to know where to replicate from");
        }
        for (Map.Entry<?, ?> e : standby.entrySet()) {
            String name = String.valueOf(e.getKey());
            String path = ConfigPaths.join("standby_cluster", name);
            if (e.getValue() == null) {
                continue;
            }
            if (name.equals("port")) {
                setting(ConfigKey.STANDBY_CLUSTER_PORT, path, e.getValue());
            } else if (name.equals("create_replica_methods")) {
                stringList(path, e.getValue());
            } else if (!STANDBY_KEYS.contains(name)) {
                warning(path, "not a standby_cluster setting; Patroni ignores it");
            }
        }
    }

    /** {@code map.get(name)} for a map whose keys may not all be strings (a YAML mapping may have others). */
    private static Object lookup(Map<?, ?> map, String name) {
        return map.entrySet().stream()
                .filter(e -> name.equals(String.valueOf(e.getKey())))
                .map(Map.Entry::getValue)
                .filter(v -> v != null)
                .findFirst()
                .orElse(null);
    }

    private void stringList(String path, Object value) {
        if (!(value instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
            error(path, "expected a list of strings, got " + ConfigValues.describe(value));
        }
    }

    private Optional<Map<?, ?>> asMap(String path, Object value) {
        if (value instanceof Map<?, ?> m) {
            return Optional.of(m);
        }
        error(path, "expected a mapping, got " + ConfigValues.describe(value));
        return Optional.empty();
    }

    void error(String path, String message) {
        findings.add(new Finding(path, message, true));
    }

    void warning(String path, String message) {
        findings.add(new Finding(path, message, false));
    }
}
