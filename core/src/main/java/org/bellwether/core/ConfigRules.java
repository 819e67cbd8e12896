package org.bellwether.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a dynamic configuration (the {@code config} key, or {@code bootstrap.dcs} before it is written) against the
 * rules Patroni's validator applies, so a bad value is refused where it is written rather than discovered by every node
 * later. Unlike {@link HaSettings#from}, which must make the best of whatever is in the DCS, this reports.
 *
 * <p>Patroni itself silently raises a too-small {@code ttl} and lowers {@code loop_wait} when
 * {@code loop_wait + 2*retry_timeout > ttl}; here both are errors, because the silent adjustment hides a timing the
 * operator did not choose.
 *
 * <p>The smallest {@code ttl} accepted is lower than Patroni's 20 s: the lock deadline is measured on the monotonic
 * clock from the moment a renewal is sent, and a fencing guard stops PostgreSQL at that deadline, so short leases
 * (ttl 10, loop_wait 2, retry_timeout 4) are safe and fail over faster.
 */
public final class ConfigRules {
    public static final int MIN_TTL = 5;
    public static final int MIN_LOOP_WAIT = 1;
    public static final int MIN_RETRY_TIMEOUT = 3;

    /** One problem found. {@code key} is relative to the checked map ({@code ""} for the map itself). */
    public record Finding(String key, String message, boolean error) {}

    private static final Set<String> INTEGER_KEYS = Set.of(
            "maximum_lag_on_failover",
            "max_timelines_history",
            "primary_start_timeout",
            "primary_stop_timeout",
            "master_start_timeout",
            "master_stop_timeout",
            "primary_race_backoff");
    private static final Set<String> BOOLEAN_KEYS =
            Set.of("check_timeline", "failsafe_mode", "pause", "synchronous_mode_strict");
    private static final Set<String> RAW_KEYS = Set.of("slots", "ignore_slots");
    private static final Set<String> POSTGRES_BOOLEANS = Set.of(
            "use_pg_rewind",
            "use_slots",
            "remove_data_directory_on_rewind_failure",
            "remove_data_directory_on_diverged_timelines",
            "use_unix_socket",
            "use_unix_socket_repl");
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
    private static final Pattern DURATION = Pattern.compile("\\s*(-?\\d+)\\s*(ms|s|min|h|d)?\\s*");

    private ConfigRules() {}

    public static List<Finding> check(Map<String, ?> config) {
        List<Finding> out = new ArrayList<>();
        Optional<Long> ttl = integer(config, "ttl", MIN_TTL, out);
        Optional<Long> loopWait = integer(config, "loop_wait", MIN_LOOP_WAIT, out);
        Optional<Long> retry = integer(config, "retry_timeout", MIN_RETRY_TIMEOUT, out);
        if (ttl.isPresent() && loopWait.isPresent() && retry.isPresent()) {
            checkTiming(config, ttl.get(), loopWait.get(), retry.get(), out);
        }
        for (Map.Entry<String, ?> e : config.entrySet()) {
            checkTopLevel(e.getKey(), e.getValue(), out);
        }
        return out;
    }

    private static void checkTopLevel(String key, Object value, List<Finding> out) {
        if (value == null || Set.of("ttl", "loop_wait", "retry_timeout").contains(key)) {
            return;
        }
        if (INTEGER_KEYS.contains(key)) {
            integer(key, value, 0, out);
        } else if (BOOLEAN_KEYS.contains(key)) {
            bool(key, value, out);
        } else if (key.equals("maximum_lag_on_syncnode")) {
            integer(key, value, -1, out);
        } else if (key.equals("synchronous_node_count")) {
            integer(key, value, 1, out);
        } else if (key.equals("member_slots_ttl")) {
            duration(key, value, out);
        } else if (key.equals("synchronous_mode")) {
            synchronousMode(value, out);
        } else if (key.equals("postgresql")) {
            asMap(key, value, out).ifPresent(m -> checkPostgres(m, out));
        } else if (key.equals("standby_cluster")) {
            asMap(key, value, out).ifPresent(m -> checkStandby(m, out));
        } else if (!RAW_KEYS.contains(key)) {
            out.add(warning(key, "not a dynamic configuration setting; Patroni ignores it"));
        }
    }

    private static void checkTiming(Map<String, ?> config, long ttl, long loopWait, long retry, List<Finding> out) {
        if (loopWait + 2 * retry > ttl) {
            out.add(error(
                    "",
                    String.format(
                            "loop_wait + 2*retry_timeout must not exceed ttl, got loop_wait=%d%s, retry_timeout=%d%s,"
                                    + " ttl=%d%s (%d + 2*%d = %d > %d)",
                            loopWait,
                            defaulted(config, "loop_wait"),
                            retry,
                            defaulted(config, "retry_timeout"),
                            ttl,
                            defaulted(config, "ttl"),
                            loopWait,
                            retry,
                            loopWait + 2 * retry,
                            ttl)));
        }
    }

    private static String defaulted(Map<String, ?> config, String key) {
        return config.get(key) == null ? " (default)" : "";
    }

    private static void checkPostgres(Map<?, ?> postgres, List<Finding> out) {
        for (Map.Entry<?, ?> e : postgres.entrySet()) {
            String key = "postgresql." + e.getKey();
            String name = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (value == null) {
                continue;
            }
            if (POSTGRES_BOOLEANS.contains(name)) {
                bool(key, value, out);
            } else if (name.equals("pg_hba") || name.equals("pg_ident")) {
                stringList(key, value, out);
            } else if (name.equals("pg_ctl_timeout")) {
                integer(key, value, 0, out);
            } else if (name.equals("parameters")) {
                asMap(key, value, out).ifPresent(m -> checkParameters(m, out));
            } else if (POSTGRES_LOCAL_ONLY.contains(name)) {
                out.add(warning(key, "a local setting; Patroni ignores it in the dynamic configuration"));
            } else if (!POSTGRES_OTHER.contains(name)) {
                out.add(warning(key, "not a dynamic configuration setting; Patroni ignores it"));
            }
        }
    }

    private static void checkParameters(Map<?, ?> parameters, List<Finding> out) {
        for (Map.Entry<?, ?> e : parameters.entrySet()) {
            String name = String.valueOf(e.getKey()).toLowerCase(Locale.ROOT);
            String key = "postgresql.parameters." + e.getKey();
            Object value = e.getValue();
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                out.add(error(key, "expected a single value, got " + describe(value)));
            } else if (GUCS_SET_BY_PATRONI.contains(name)) {
                out.add(warning(key, "set by Patroni from postgresql.listen and scope; this value is ignored"));
            } else if (name.equals("wal_level") && value != null) {
                String level = value.toString().toLowerCase(Locale.ROOT);
                if (!Set.of("hot_standby", "replica", "logical").contains(level)) {
                    out.add(warning(key, "must be replica or logical for replication; Patroni uses hot_standby"));
                }
            } else if (GUC_MINIMUMS.containsKey(name) && value != null) {
                long[] limits = GUC_MINIMUMS.get(name);
                Optional<Long> n = parseLong(value);
                if (n.isEmpty() || n.get() < limits[0]) {
                    out.add(warning(
                            key,
                            "must be an integer of at least " + limits[0] + ", got " + describe(value)
                                    + "; Patroni uses " + limits[1] + " instead"));
                }
            }
        }
    }

    private static void checkStandby(Map<?, ?> standby, List<Finding> out) {
        if (standby.get("host") == null && standby.get("port") == null && standby.get("restore_command") == null) {
            out.add(error(
                    "standby_cluster", "needs host and port, or restore_command, to know where to replicate from"));
        }
        for (Map.Entry<?, ?> e : standby.entrySet()) {
            String name = String.valueOf(e.getKey());
            String key = "standby_cluster." + name;
            if (e.getValue() == null) {
                continue;
            }
            if (name.equals("port")) {
                integer(key, e.getValue(), 1, out)
                        .filter(p -> p > 65535)
                        .ifPresent(p -> out.add(error(key, "expected a port between 1 and 65535, got " + p)));
            } else if (name.equals("create_replica_methods")) {
                stringList(key, e.getValue(), out);
            } else if (!STANDBY_KEYS.contains(name)) {
                out.add(warning(key, "not a standby_cluster setting; Patroni ignores it"));
            }
        }
    }

    private static void synchronousMode(Object value, List<Finding> out) {
        if (value instanceof Boolean) {
            return;
        }
        if (value instanceof String s
                && Set.of("on", "off", "true", "false", "quorum")
                        .contains(s.trim().toLowerCase(Locale.ROOT))) {
            return;
        }
        out.add(error("synchronous_mode", "expected on, off or quorum, got " + describe(value)));
    }

    private static Optional<Long> integer(Map<String, ?> config, String key, long min, List<Finding> out) {
        Object value = config.get(key);
        if (value == null) {
            return Optional.of((long)
                    switch (key) {
                        case "ttl" -> HaSettings.DEFAULT_TTL;
                        case "loop_wait" -> HaSettings.DEFAULT_LOOP_WAIT;
                        default -> HaSettings.DEFAULT_RETRY_TIMEOUT;
                    });
        }
        return integer(key, value, min, out);
    }

    private static Optional<Long> integer(String key, Object value, long min, List<Finding> out) {
        Optional<Long> n = parseLong(value);
        if (n.isEmpty()) {
            out.add(error(key, "expected an integer, got " + describe(value)));
            return Optional.empty();
        }
        if (n.get() < min) {
            out.add(error(key, "must be at least " + min + ", got " + n.get()));
            return Optional.empty();
        }
        return n;
    }

    private static void duration(String key, Object value, List<Finding> out) {
        if (value instanceof String s) {
            Matcher m = DURATION.matcher(s);
            if (!m.matches() || Long.parseLong(m.group(1)) < 0) {
                out.add(error(key, "expected seconds or a duration such as 30min, got " + describe(value)));
            }
        } else {
            integer(key, value, 0, out);
        }
    }

    private static void bool(String key, Object value, List<Finding> out) {
        if (!(value instanceof Boolean)) {
            out.add(error(key, "expected true or false, got " + describe(value)));
        }
    }

    private static void stringList(String key, Object value, List<Finding> out) {
        if (!(value instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
            out.add(error(key, "expected a list of strings, got " + describe(value)));
        }
    }

    private static Optional<Map<?, ?>> asMap(String key, Object value, List<Finding> out) {
        if (value instanceof Map<?, ?> m) {
            return Optional.of(m);
        }
        out.add(error(key, "expected a mapping, got " + describe(value)));
        return Optional.empty();
    }

    /** Integers as YAML or JSON deliver them, or as a string of digits (Patroni's {@code parse_int} accepts both). */
    public static Optional<Long> parseLong(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return Optional.of(((Number) value).longValue());
        }
        if (value instanceof String s && s.trim().matches("[-+]?\\d{1,18}")) {
            return Optional.of(Long.parseLong(s.trim()));
        }
        return Optional.empty();
    }

    /** How a value is named in messages: its kind, and the value itself when it is short. */
    public static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof Boolean b) {
            return "the boolean " + b;
        }
        if (value instanceof Number n) {
            return "the number " + n;
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        return value.getClass().getSimpleName();
    }

    private static Finding error(String key, String message) {
        return new Finding(key, message, true);
    }

    private static Finding warning(String key, String message) {
        return new Finding(key, message, false);
    }
}
