package org.bellwether.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.config.ConfigException.Problem;
import org.bellwether.core.PatroniBool;

/**
 * Turns {@code PATRONI_*} environment variables into a configuration tree, as Patroni's
 * {@code _build_environment_configuration} does, so the same variables configure Bellwether. Each path set remembers
 * its variable, for messages. Unlike Patroni, a value that cannot be parsed (a list, a number) is an error rather than
 * silently dropped, and a {@code PATRONI_} variable that sets nothing is warned about.
 */
final class EnvironmentConfig {
    static final String PREFIX = "PATRONI_";
    static final String CONFIGURATION = PREFIX + "CONFIGURATION";

    /** What the environment sets, which variable set each path, and what looked wrong. */
    record Result(Map<String, Object> tree, Map<String, String> origins, List<String> warnings) {}

    /** Top-level settings; Patroni reads the thread settings too, which the settings table says are not applied. */
    private static final List<String> TOP_LEVEL =
            List.of("name", "namespace", "scope", "thread_pool_size", "thread_stack_size");

    private static final List<String> RESTAPI = List.of(
            "listen",
            "connect_address",
            "certfile",
            "keyfile",
            "keyfile_password",
            "cafile",
            "ciphers",
            "verify_client",
            "http_extra_headers",
            "https_extra_headers",
            "allowlist",
            "allowlist_include_members",
            "request_queue_size",
            "server_tokens");
    private static final List<String> CTL = List.of("insecure", "cacert", "certfile", "keyfile", "keyfile_password");
    private static final List<String> POSTGRESQL =
            List.of("listen", "connect_address", "proxy_address", "config_dir", "data_dir", "pgpass", "bin_dir");
    private static final List<String> LOG = List.of(
            "type",
            "level",
            "traceback_level",
            "format",
            "dateformat",
            "static_fields",
            "max_queue_size",
            "dir",
            "mode",
            "file_size",
            "file_num",
            "loggers",
            "deduplicate_heartbeat_logs");
    private static final List<String> RAFT = List.of("data_dir", "self_addr", "partner_addrs", "password", "bind_addr");
    private static final List<String> BINARIES =
            List.of("pg_ctl", "initdb", "pg_controldata", "pg_basebackup", "postgres", "pg_isready", "pg_rewind");
    private static final List<String> AUTH = Stream.concat(
                    Stream.of("username", "password"), Credentials.LIBPQ_OPTIONS.stream())
            .toList();
    private static final Set<String> DCS_SUFFIXES = Set.of(
            "HOST",
            "HOSTS",
            "PORT",
            "USE_PROXIES",
            "PROTOCOL",
            "SRV",
            "SRV_SUFFIX",
            "URL",
            "PROXY",
            "CACERT",
            "CERT",
            "KEY",
            "VERIFY",
            "TOKEN",
            "CHECKS",
            "DC",
            "CONSISTENCY",
            "REGISTER_SERVICE",
            "SERVICE_CHECK_INTERVAL",
            "SERVICE_CHECK_TLS_SERVER_NAME",
            "SERVICE_TAGS",
            "NAMESPACE",
            "CONTEXT",
            "USE_ENDPOINTS",
            "SCOPE_LABEL",
            "ROLE_LABEL",
            "POD_IP",
            "PORTS",
            "LABELS",
            "BYPASS_API_SERVICE",
            "RETRIABLE_HTTP_CODES",
            "KEY_PASSWORD",
            "USE_SSL",
            "SET_ACLS",
            "GROUP",
            "DATABASE",
            "LEADER_LABEL_VALUE",
            "FOLLOWER_LABEL_VALUE",
            "STANDBY_LEADER_LABEL_VALUE",
            "TMP_ROLE_LABEL",
            "AUTH_DATA",
            "BOOTSTRAP_LABELS");
    private static final Set<String> DCS_LISTS =
            Set.of("HOSTS", "PORTS", "CHECKS", "SERVICE_TAGS", "RETRIABLE_HTTP_CODES");
    private static final Set<String> DCS_MAPS = Set.of("LABELS", "SET_ACLS", "AUTH_DATA", "BOOTSTRAP_LABELS");
    /** Patroni leaves USE_SSL a string, which its truthiness then reads "false" as true; parsed here instead. */
    private static final Set<String> DCS_BOOLEANS =
            Set.of("USE_PROXIES", "REGISTER_SERVICE", "USE_ENDPOINTS", "BYPASS_API_SERVICE", "VERIFY", "USE_SSL");

    private static final Pattern PYTHON_LOG_FORMAT = Pattern.compile("%\\(\\w+\\)");

    private final Map<String, String> env;
    private final Map<String, Object> tree = new LinkedHashMap<>();
    private final Map<String, String> origins = new HashMap<>();

    private EnvironmentConfig(Map<String, String> env) {
        this.env = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && v != null && !v.isEmpty()) {
                this.env.put(k, v);
            }
        });
        this.env.remove(CONFIGURATION);
    }

    static Result read(Map<String, String> environment) throws ConfigException {
        EnvironmentConfig e = new EnvironmentConfig(environment);
        e.legacyLogNames();
        for (String key : TOP_LEVEL) {
            e.pop(key).ifPresent(v -> e.set(List.of(key), v, PREFIX + key.toUpperCase(Locale.ROOT)));
        }
        e.sections();
        e.authentication();
        e.dcs();
        List<String> warnings = e.leftovers();
        warnings.addAll(notApplied(environment));
        return new Result(e.tree, e.origins, warnings);
    }

    /**
     * The setting each variable Patroni reads sets, by variable name (a DCS's {@code _USERNAME} and {@code _PASSWORD}
     * only next to another variable of that DCS): what the settings table classifies a variable by.
     */
    static SortedMap<String, String> variables() {
        SortedMap<String, String> out = new TreeMap<>();
        TOP_LEVEL.forEach(key -> out.put(PREFIX + key.toUpperCase(Locale.ROOT), key));
        Map.of("restapi", RESTAPI, "ctl", CTL, "postgresql", POSTGRESQL, "log", LOG, "raft", RAFT)
                .forEach((section, params) -> params.forEach(
                        p -> out.put(PREFIX + (section + "_" + p).toUpperCase(Locale.ROOT), section + "." + p)));
        BINARIES.forEach(
                b -> out.put(PREFIX + "POSTGRESQL_BIN_" + b.toUpperCase(Locale.ROOT), "postgresql.bin_name." + b));
        for (String section : List.of("ctl", "restapi")) {
            for (String param : List.of("username", "password")) {
                out.put(
                        PREFIX + (section + "_" + param).toUpperCase(Locale.ROOT),
                        section + ".authentication." + param);
            }
        }
        for (String user : List.of("replication", "superuser", "rewind")) {
            AUTH.forEach(param -> out.put(
                    PREFIX + (user + "_" + param).toUpperCase(Locale.ROOT),
                    "postgresql.authentication." + user + "." + param));
        }
        for (String dcs : DcsSection.PATRONI_ORDER) {
            DCS_SUFFIXES.forEach(suffix -> out.put(
                    PREFIX + dcs.toUpperCase(Locale.ROOT) + "_" + suffix, dcs + "." + suffix.toLowerCase(Locale.ROOT)));
        }
        for (String dcs : List.of("etcd", "etcd3")) {
            for (String param : List.of("username", "password")) {
                out.put(PREFIX + (dcs + "_" + param).toUpperCase(Locale.ROOT), dcs + "." + param);
            }
        }
        out.put(PREFIX + "CITUS_GROUP", "citus.group");
        out.put(PREFIX + "CITUS_DATABASE", "citus.database");
        return out;
    }

    private Optional<String> pop(String name) {
        return Optional.ofNullable(env.remove(PREFIX + name.toUpperCase(Locale.ROOT)));
    }

    private void legacyLogNames() {
        Map<String, String> renames =
                Map.of("LOGLEVEL", "LOG_LEVEL", "LOGFORMAT", "LOG_FORMAT", "LOG_DATEFMT", "LOG_DATEFORMAT");
        renames.forEach((old, current) -> {
            String value = env.remove(PREFIX + old);
            if (value != null) {
                env.putIfAbsent(PREFIX + current, value);
            }
        });
    }

    private void sections() throws ConfigException {
        section("restapi", RESTAPI);
        section("ctl", CTL);
        section("postgresql", POSTGRESQL);
        section("log", LOG);
        section("raft", RAFT);
        for (String binary : BINARIES) {
            String var = PREFIX + "POSTGRESQL_BIN_" + binary.toUpperCase(Locale.ROOT);
            String value = env.remove(var);
            if (value != null) {
                set(List.of("postgresql", "bin_name", binary), value, var);
            }
        }
    }

    private void section(String section, List<String> params) throws ConfigException {
        for (String param : params) {
            String var = PREFIX + (section + "_" + param).toUpperCase(Locale.ROOT);
            String value = env.remove(var);
            if (value != null) {
                set(List.of(section, param), typed(section + "." + param, value, var), var);
            }
        }
    }

    /** The types Patroni gives these variables; everything else stays a string. */
    private static Object typed(String path, String value, String var) throws ConfigException {
        switch (path) {
            case "restapi.allowlist_include_members", "ctl.insecure", "log.deduplicate_heartbeat_logs":
                return bool(value, path, var);
            case "restapi.request_queue_size", "log.max_queue_size", "log.file_size", "log.file_num":
                return integer(value, path, var);
            case "log.mode":
                // Left as text: the log section reads it as Patroni's parse_int does, so that 0644 is octal.
                return value;
            case "raft.partner_addrs", "restapi.allowlist":
                return list(value, path, var);
            case "restapi.http_extra_headers", "restapi.https_extra_headers", "log.static_fields", "log.loggers":
                return map(value, path, var);
            case "log.format":
                return PYTHON_LOG_FORMAT.matcher(value).find() ? value : list(value, path, var);
            default:
                return value;
        }
    }

    private void authentication() {
        for (String section : List.of("ctl", "restapi")) {
            for (String param : List.of("username", "password")) {
                String var = PREFIX + (section + "_" + param).toUpperCase(Locale.ROOT);
                String value = env.remove(var);
                if (value != null) {
                    set(List.of(section, "authentication", param), value, var);
                }
            }
        }
        for (String user : List.of("replication", "superuser", "rewind")) {
            for (String param : AUTH) {
                String var = PREFIX + (user + "_" + param).toUpperCase(Locale.ROOT);
                String value = env.remove(var);
                if (value != null) {
                    set(List.of("postgresql", "authentication", user, param), value, var);
                }
            }
        }
    }

    /** {@code PATRONI_<DCS>_<SUFFIX>} for any DCS name; {@code _USERNAME}/{@code _PASSWORD} only for etcd sections. */
    private void dcs() throws ConfigException {
        for (String var : new ArrayList<>(env.keySet())) {
            String rest = var.substring(PREFIX.length());
            int underscore = rest.indexOf('_');
            if (underscore <= 0 || !DCS_SUFFIXES.contains(rest.substring(underscore + 1))) {
                continue;
            }
            String name = rest.substring(0, underscore);
            String suffix = rest.substring(underscore + 1);
            String value = env.remove(var);
            if (name.equals("CITUS") && !suffix.equals("GROUP") && !suffix.equals("DATABASE")) {
                continue;
            }
            String path = name.toLowerCase(Locale.ROOT) + "." + suffix.toLowerCase(Locale.ROOT);
            Object typed = value;
            if (suffix.equals("PORT") || suffix.equals("GROUP")) {
                typed = integer(value, path, var);
            } else if (DCS_LISTS.contains(suffix)) {
                typed = list(value, path, var);
            } else if (DCS_MAPS.contains(suffix)) {
                typed = map(value, path, var);
            } else if (DCS_BOOLEANS.contains(suffix)) {
                typed = bool(value, path, var);
            }
            set(List.of(name.toLowerCase(Locale.ROOT), suffix.toLowerCase(Locale.ROOT)), typed, var);
        }
        for (String etcd : List.of("etcd", "etcd3")) {
            for (String param : List.of("username", "password")) {
                String var = PREFIX + (etcd + "_" + param).toUpperCase(Locale.ROOT);
                if (tree.containsKey(etcd) && env.containsKey(var)) {
                    set(List.of(etcd, param), env.remove(var), var);
                }
            }
        }
    }

    /** Variables that set nothing; those Patroni documents have a line in the settings table that says why. */
    private List<String> leftovers() {
        List<String> warnings = new ArrayList<>();
        for (String var : env.keySet()) {
            Optional<SettingRule> documented = SettingsTable.documentedVariable(var);
            String message = documented.isPresent()
                    ? documented.get().message()
                    : var.endsWith("_PASSWORD") || var.endsWith("_OPTIONS")
                            ? "bootstrap users from PATRONI_<user>_PASSWORD are no longer supported since Patroni 4.0;"
                                    + " ignored"
                            : "not a Patroni environment variable; ignored";
            warnings.add(new Problem(Kind.INVALID_VALUE, "environment", var, message).toString());
        }
        return warnings;
    }

    /** Documented variables outside the {@code PATRONI_} prefix that Bellwether does not act on. */
    private static List<String> notApplied(Map<String, String> environment) {
        List<String> warnings = new ArrayList<>();
        for (SettingRule rule : SettingsTable.variableRules()) {
            String var = rule.pattern();
            String value = environment.get(var);
            if (!var.startsWith(PREFIX) && rule.reported() && value != null && !value.isEmpty()) {
                warnings.add(new Problem(Kind.INVALID_VALUE, "environment", var, rule.message()).toString());
            }
        }
        return warnings;
    }

    @SuppressWarnings("unchecked")
    private void set(List<String> path, Object value, String var) {
        Map<String, Object> node = tree;
        for (String key : path.subList(0, path.size() - 1)) {
            node = (Map<String, Object>) node.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
        }
        node.put(path.get(path.size() - 1), value);
        origins.put(String.join(".", path), source(var));
    }

    static String source(String var) {
        return "environment " + var;
    }

    /** Patroni's {@code parse_bool} (the core's {@link PatroniBool}), after trimming what the shell may have left. */
    private static Boolean bool(String value, String path, String var) throws ConfigException {
        Optional<Boolean> parsed = PatroniBool.parse(value.trim());
        if (parsed.isEmpty()) {
            throw bad(path, var, "expected true or false, got '" + value + "'");
        }
        return parsed.get();
    }

    private static Long integer(String value, String path, String var) throws ConfigException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw bad(path, var, "expected an integer, got '" + value + "'");
        }
    }

    /** Patroni's {@code _parse_list}: YAML, wrapped in brackets unless it already is a YAML list. */
    private static Object list(String value, String path, String var) throws ConfigException {
        String text = value.strip().startsWith("-") || value.contains("[") ? value : "[" + value + "]";
        Object parsed = parse(text, path, var, "a list");
        if (!(parsed instanceof List<?>)) {
            throw bad(path, var, "expected a list such as 'a:1','b:2', got '" + value + "'");
        }
        return parsed;
    }

    /** Patroni's {@code _parse_dict}: YAML, wrapped in braces unless it already is a flow mapping. */
    private static Object map(String value, String path, String var) throws ConfigException {
        String text = value.strip().startsWith("{") ? value : "{" + value + "}";
        Object parsed = parse(text, path, var, "a mapping");
        if (!(parsed instanceof Map<?, ?>)) {
            throw bad(path, var, "expected a mapping such as {a: 1, b: 2}, got '" + value + "'");
        }
        return parsed;
    }

    private static Object parse(String text, String path, String var, String what) throws ConfigException {
        try {
            return YamlReader.read(text, source(var)).root();
        } catch (ConfigException e) {
            throw bad(path, var, "cannot be read as " + what + ": '" + text + "'");
        }
    }

    private static ConfigException bad(String path, String var, String message) {
        return new ConfigException(new Problem(Kind.INVALID_VALUE, source(var), path, message));
    }
}
