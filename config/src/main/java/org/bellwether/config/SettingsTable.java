package org.bellwether.config;

import static org.bellwether.config.SettingClass.APPLIED;
import static org.bellwether.config.SettingClass.NOT_APPLIED;
import static org.bellwether.config.SettingClass.REFUSED;
import static org.bellwether.config.SettingCondition.ALWAYS;
import static org.bellwether.config.SettingCondition.aboveZero;
import static org.bellwether.config.SettingCondition.differsFromDynamic;
import static org.bellwether.config.SettingCondition.isTrue;
import static org.bellwether.config.SettingCondition.namesOtherThan;
import static org.bellwether.config.SettingCondition.notEmpty;
import static org.bellwether.config.SettingCondition.notSetLocally;
import static org.bellwether.config.SettingCondition.notTheDataDirectory;
import static org.bellwether.config.SettingCondition.otherThan;
import static org.bellwether.config.SettingCondition.without;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one place that says, for every Patroni setting Bellwether knows, whether it is applied, refused or accepted but
 * not applied, and why: the settings of a node's file ({@link #local}), of the dynamic configuration
 * ({@code bootstrap.dcs} and the DCS {@code config} key, {@link #dynamic}) and the environment variables
 * ({@link #variable}). The loader consults it for every key present ({@link SettingsAudit}), so that no setting is
 * accepted in silence, and {@code docs/settings.md} is this table written out (a test keeps the two equal).
 */
final class SettingsTable {
    private static final String CUSTOM_BOOTSTRAP = "custom bootstrap methods are not supported: Bellwether would run"
            + " initdb instead of the method's restore";
    private static final String CUSTOM_REPLICA = "custom replica creation methods are not supported: Bellwether"
            + " always clones a replica with pg_basebackup";
    private static final String LOCAL_WINS = "Patroni lets this local value win over the dynamic one; Bellwether"
            + " decides by the dynamic value, so set the same value in bootstrap.dcs.postgresql";
    private static final String ONLY_WITH_ZOOKEEPER_TLS =
            "read only with use_ssl, which Bellwether does not support (Patroni ignores it without use_ssl too)";
    private static final String BIN_NAME = "custom program names are not supported: Bellwether runs pg_ctl, initdb,"
            + " postgres and the other programs by their usual names";
    private static final String RECOVERY_CONF = "recovery settings (restore_command, recovery_min_apply_delay...)"
            + " are not written, so replicas would run without them";
    private static final String CUSTOM_CONF = "a custom base postgresql.conf is not included, so its settings would be"
            + " missing; put them in postgresql.parameters";
    private static final String PG_IDENT = "pg_ident.conf is not written, so its user name maps would be missing";
    private static final String UNIX_SOCKET = "the agent connects to its PostgreSQL over TCP, at the first"
            + " postgresql.listen address; pg_hba.conf must let it in from there";
    private static final String UNIX_SOCKET_REPLICATION = "the agent's connections to its PostgreSQL as the"
            + " replication user go over TCP too, at the first postgresql.listen address";
    private static final String PG_CTL_TIMEOUT =
            "Bellwether's own limits apply: up to 300 s for a start and 120 s for a stop";
    private static final String READ_LOCALLY =
            "Bellwether reads this only from each node's own file; move it to postgresql.";

    private static final List<String> USERS = List.of("superuser", "replication", "rewind");

    private static final List<SettingRule> LOCAL = buildLocal();
    private static final List<SettingRule> DYNAMIC = buildDynamic();
    private static final List<SettingRule> ENVIRONMENT = buildEnvironment();

    private SettingsTable() {}

    /** The rule of a key path of a node's file; {@code bootstrap.dcs.<key>} is the dynamic {@code <key>}. */
    static Optional<SettingRule> local(String path) {
        String dcs = "bootstrap.dcs.";
        return path.startsWith(dcs) ? dynamic(path.substring(dcs.length())) : best(LOCAL, path);
    }

    /** The rule of a key path of the dynamic configuration. */
    static Optional<SettingRule> dynamic(String path) {
        return best(DYNAMIC, path);
    }

    /**
     * The rule of an environment variable: its own line for the few Patroni documents but does not map to a setting,
     * else the rule of the setting it sets.
     */
    static Optional<SettingRule> variable(String name) {
        Optional<SettingRule> own = documentedVariable(name);
        if (own.isPresent()) {
            return own;
        }
        return Optional.ofNullable(EnvironmentConfig.variables().get(name)).flatMap(SettingsTable::local);
    }

    /** The line of a variable Patroni documents that sets no setting of Bellwether's file, if it has one. */
    static Optional<SettingRule> documentedVariable(String name) {
        return best(ENVIRONMENT, name);
    }

    /** The variables with a line of their own, for the loader's look at the environment. */
    static List<SettingRule> variableRules() {
        return ENVIRONMENT;
    }

    static List<SettingRule> localRules() {
        return LOCAL;
    }

    static List<SettingRule> dynamicRules() {
        return DYNAMIC;
    }

    /** Every rule that matches {@code path} most closely: exactly one, unless the table is ambiguous there. */
    static List<SettingRule> closest(List<SettingRule> rules, String path) {
        List<String> segments = Arrays.asList(path.split("\\."));
        List<SettingRule> out = new ArrayList<>();
        int[] top = null;
        for (SettingRule rule : rules) {
            Optional<int[]> rank = rule.rank(segments);
            if (rank.isEmpty()) {
                continue;
            }
            int cmp = top == null ? 1 : Arrays.compare(rank.get(), top);
            if (cmp > 0) {
                out.clear();
                top = rank.get();
            }
            if (cmp >= 0) {
                out.add(rule);
            }
        }
        return out;
    }

    private static Optional<SettingRule> best(List<SettingRule> rules, String path) {
        return closest(rules, path).stream().findFirst();
    }

    private static List<SettingRule> buildLocal() {
        Rules r = new Rules();
        r.applied("name", "namespace", "scope");
        r.notApplied("thread_pool_size", "Bellwether sizes its own thread pools; peers are asked in parallel anyway");
        r.notApplied("thread_stack_size", "the JVM sizes thread stacks (-Xss in BELLWETHER_JAVA_OPTS)");

        // The log section is being implemented alongside this table (LogConfig); all of its keys are applied there.
        r.applied(
                "log.type",
                "log.level",
                "log.traceback_level",
                "log.format",
                "log.dateformat",
                "log.static_fields",
                "log.max_queue_size",
                "log.dir",
                "log.mode",
                "log.file_num",
                "log.file_size",
                "log.loggers",
                "log.loggers.<logger>",
                "log.deduplicate_heartbeat_logs");

        r.applied(
                "restapi.listen",
                "restapi.connect_address",
                "restapi.authentication.username",
                "restapi.authentication.password",
                "restapi.certfile",
                "restapi.keyfile",
                "restapi.cafile",
                "restapi.verify_client",
                "restapi.allowlist");
        // Implemented alongside this table, in RestApiSection and the REST server.
        r.applied(
                "restapi.keyfile_password",
                "restapi.ciphers",
                "restapi.allowlist_include_members",
                "restapi.http_extra_headers",
                "restapi.https_extra_headers",
                "restapi.request_queue_size",
                "restapi.server_tokens");
        r.notApplied(
                "restapi.thread_pool_size",
                "the REST server runs health checks and writes on small pools of its own, sized by Bellwether");

        r.applied(
                "ctl.authentication.username",
                "ctl.authentication.password",
                "ctl.insecure",
                "ctl.cacert",
                "ctl.certfile",
                "ctl.keyfile",
                "ctl.keyfile_password");

        // bootstrap.dcs.* is the dynamic configuration: see local(String).
        r.applied(
                "bootstrap.dcs",
                "bootstrap.initdb",
                "bootstrap.pg_hba",
                "bootstrap.post_bootstrap",
                "bootstrap.post_init");
        r.add("bootstrap.method", REFUSED, otherThan("initdb"), CUSTOM_BOOTSTRAP);
        for (String key :
                List.of("command", "keep_existing_recovery_conf", "no_params", "recovery_conf", "<argument>")) {
            r.through("bootstrap.<method>." + key, "bootstrap.method", CUSTOM_BOOTSTRAP);
        }

        r.section(
                "citus",
                "Citus clusters are not supported: each worker group keeps its own keys, and running"
                        + " without that would split the cluster");
        dcsSections(r);

        r.applied(
                "postgresql.listen",
                "postgresql.connect_address",
                "postgresql.data_dir",
                "postgresql.bin_dir",
                "postgresql.pgpass",
                "postgresql.parameters",
                "postgresql.parameters.<parameter>",
                "postgresql.pg_hba",
                "postgresql.basebackup",
                "postgresql.callbacks.on_reload",
                "postgresql.callbacks.on_restart",
                "postgresql.callbacks.on_role_change",
                "postgresql.callbacks.on_start",
                "postgresql.callbacks.on_stop");
        // Not in Patroni's documentation, but Patroni reads it: the database of the agent's own connections.
        r.applied("postgresql.database");
        for (String user : USERS) {
            String prefix = "postgresql.authentication." + user + ".";
            r.applied(prefix + "username", prefix + "password");
            // libpq's options reach every connection made as this role: primary_conninfo, pg_basebackup, pg_rewind
            // and the agent's own JDBC connections.
            for (String option : Credentials.LIBPQ_OPTIONS) {
                r.applied(prefix + option);
            }
        }
        for (String key : List.of(
                "use_pg_rewind",
                "remove_data_directory_on_rewind_failure",
                "remove_data_directory_on_diverged_timelines")) {
            r.add("postgresql." + key, REFUSED, differsFromDynamic("postgresql." + key), LOCAL_WINS);
        }
        r.add(
                "postgresql.config_dir",
                REFUSED,
                notTheDataDirectory(),
                "Bellwether keeps postgresql.conf and pg_hba.conf in the data directory");
        r.add("postgresql.create_replica_methods", REFUSED, namesOtherThan("basebackup"), CUSTOM_REPLICA);
        for (String key : List.of("command", "keep_data", "no_params", "no_leader", "<parameter>")) {
            r.through("postgresql.<method>." + key, "postgresql.create_replica_methods", CUSTOM_REPLICA);
        }
        r.section("postgresql.bin_name", BIN_NAME);
        r.refused("postgresql.recovery_conf", RECOVERY_CONF);
        r.refused("postgresql.custom_conf", CUSTOM_CONF);
        r.refused("postgresql.pg_ident", PG_IDENT);
        r.refused("postgresql.pre_promote", "the fencing script is not run before a promotion");
        r.refused("postgresql.before_stop", "the script is not run before PostgreSQL stops");
        r.add("postgresql.use_unix_socket", NOT_APPLIED, isTrue(), UNIX_SOCKET);
        r.add("postgresql.use_unix_socket_repl", NOT_APPLIED, isTrue(), UNIX_SOCKET_REPLICATION);
        r.notApplied("postgresql.pg_ctl_timeout", PG_CTL_TIMEOUT);
        r.notApplied("postgresql.proxy_address", "not published as proxy_url in the member key");

        r.applied("watchdog.mode", "watchdog.device", "watchdog.safety_margin", "watchdog.driver");

        r.applied(
                "tags.nofailover",
                "tags.failover_priority",
                "tags.noloadbalance",
                "tags.clonefrom",
                "tags.nosync",
                "tags.sync_priority",
                "tags.replicatefrom",
                "tags.<tag>");
        r.add(
                "tags.nostream",
                REFUSED,
                isTrue(),
                "replicas always stream: a node meant to replay from the archive alone would stream too");
        return r.list;
    }

    /**
     * The DCS sections. Patroni uses the first one present in the order of {@link DcsSection#PATRONI_ORDER}, so an
     * unsupported one is refused only when Patroni would use it; {@link DcsSection} says when another one wins.
     */
    private static void dcsSections(Rules r) {
        r.section("consul", "Bellwether has no Consul adapter; use etcd3 or zookeeper");
        r.section(
                "etcd",
                "etcd's v2 API is not supported; use an etcd3 section (it takes the same keys). Keys written through"
                        + " v2 are invisible through v3, so a cluster on etcd v2 must move to etcd3 as a whole");
        r.section(
                "exhibitor", "Bellwether has no Exhibitor adapter; name the ZooKeeper servers in a zookeeper section");
        r.section("kubernetes", "Bellwether has no Kubernetes adapter; use etcd3 or zookeeper");
        r.section("raft", "Patroni's own Raft (deprecated) is not supported; use etcd3 or zookeeper");

        r.applied(
                "etcd3.host",
                "etcd3.hosts",
                "etcd3.url",
                "etcd3.proxy",
                "etcd3.protocol",
                "etcd3.username",
                "etcd3.password",
                "etcd3.cacert",
                "etcd3.cert",
                "etcd3.key");
        // Bellwether never looks up etcd's members: it always uses the listed endpoints, which is what true asks for.
        r.applied("etcd3.use_proxies");
        r.add(
                "etcd3.srv",
                REFUSED,
                without("proxy"),
                "DNS SRV discovery is not supported, and Patroni prefers the endpoints SRV records name to hosts;"
                        + " list the endpoints in hosts");
        r.notApplied("etcd3.srv_suffix", "used only with srv (DNS SRV discovery), which Bellwether does not support");

        r.applied("zookeeper.hosts", "zookeeper.auth_data");
        r.add(
                "zookeeper.use_ssl",
                REFUSED,
                isTrue(),
                "ZooKeeper's TLS client needs Netty, which Bellwether does not ship; connect without TLS (through a"
                        + " local TLS tunnel, for example)");
        for (String key : List.of("cacert", "cert", "key", "key_password", "verify")) {
            r.notApplied("zookeeper." + key, ONLY_WITH_ZOOKEEPER_TLS);
        }
        r.add(
                "zookeeper.set_acls",
                REFUSED,
                notEmpty(),
                "its x509 principals authenticate only over TLS (use_ssl), which Bellwether does not support; use"
                        + " auth_data with the digest scheme");
    }

    private static List<SettingRule> buildDynamic() {
        Rules r = new Rules();
        r.applied(
                "ttl",
                "loop_wait",
                "retry_timeout",
                "maximum_lag_on_failover",
                "maximum_lag_on_syncnode",
                "primary_start_timeout",
                "master_start_timeout",
                "synchronous_mode",
                "synchronous_mode_strict",
                "synchronous_node_count",
                "failsafe_mode",
                "check_timeline",
                "pause",
                "member_slots_ttl",
                "max_timelines_history");
        for (String key : List.of("primary_stop_timeout", "master_stop_timeout")) {
            r.add(
                    key,
                    REFUSED,
                    aboveZero(),
                    "a stopping primary is never killed: in synchronous mode a slow shutdown takes as long as it"
                            + " takes");
        }
        r.notApplied("primary_race_backoff", "not a Patroni setting: Bellwether reserves it and reads it nowhere yet");

        r.applied(
                "postgresql.use_pg_rewind",
                "postgresql.use_slots",
                "postgresql.remove_data_directory_on_rewind_failure",
                "postgresql.remove_data_directory_on_diverged_timelines",
                "postgresql.parameters",
                "postgresql.parameters.<parameter>",
                "postgresql.pg_hba");
        r.refused("postgresql.pg_ident", PG_IDENT);
        r.refused("postgresql.recovery_conf", RECOVERY_CONF);
        r.refused("postgresql.custom_conf", CUSTOM_CONF);
        r.section("postgresql.bin_name", BIN_NAME);
        for (String key : List.of("callbacks", "basebackup", "bin_dir")) {
            r.add("postgresql." + key, REFUSED, notSetLocally("postgresql." + key), READ_LOCALLY + key);
        }
        r.add("postgresql.create_replica_methods", REFUSED, namesOtherThan("basebackup"), CUSTOM_REPLICA);
        r.add("postgresql.use_unix_socket", NOT_APPLIED, isTrue(), UNIX_SOCKET);
        r.add("postgresql.use_unix_socket_repl", NOT_APPLIED, isTrue(), UNIX_SOCKET_REPLICATION);
        r.notApplied("postgresql.pg_ctl_timeout", PG_CTL_TIMEOUT);

        // The core's ConfigRules refuses the section too, with its own words; the audit leaves it to them.
        r.section(
                "standby_cluster",
                "standby clusters are not supported by Bellwether yet: no node would replicate from the other"
                        + " cluster or lead this one");

        r.applied(
                "slots.<slot>.type",
                "slots.<slot>.database",
                "slots.<slot>.plugin",
                "slots.<slot>.cluster_type",
                "ignore_slots",
                "ignore_slots[].name",
                "ignore_slots[].type",
                "ignore_slots[].database",
                "ignore_slots[].plugin");
        return r.list;
    }

    /** Variables Patroni documents that set no setting of their own, or none Bellwether reads from the file. */
    private static List<SettingRule> buildEnvironment() {
        Rules r = new Rules();
        r.applied("PATRONI_CONFIGURATION", "PATRONICTL_CONFIG_FILE");
        r.notApplied(
                "PG_MALLOC_ARENA_MAX",
                "PostgreSQL inherits the agent's environment: set MALLOC_ARENA_MAX for the agent instead");
        r.notApplied(
                "PATRONI_RESTAPI_THREAD_POOL_SIZE",
                "Patroni 4.1 does not read it either; the REST server sizes its own pools");
        r.notApplied(
                "PATRONI_POSTGRESQL_BIN_IS_READY",
                "Patroni does not read this documented name either (it reads PATRONI_POSTGRESQL_BIN_PG_ISREADY)");
        r.notApplied(
                "PATRONI_RETRIABLE_HTTP_CODES",
                "Patroni does not read this documented name either (it reads"
                        + " PATRONI_KUBERNETES_RETRIABLE_HTTP_CODES, for Kubernetes, which Bellwether does not support)");
        r.notApplied(
                "PATRONI_CONSUL_SCHEME",
                "Patroni does not read it either (SCHEME is not among its DCS variables); Consul is not supported");
        return r.list;
    }

    /** Builds the lists above, one call per line of the table. */
    private static final class Rules {
        final List<SettingRule> list = new ArrayList<>();

        void applied(String... patterns) {
            for (String p : patterns) {
                add(p, APPLIED, ALWAYS, "");
            }
        }

        void notApplied(String pattern, String reason) {
            add(pattern, NOT_APPLIED, ALWAYS, reason);
        }

        void refused(String pattern, String reason) {
            add(pattern, REFUSED, ALWAYS, reason);
        }

        void add(String pattern, SettingClass kind, SettingCondition when, String reason) {
            list.add(new SettingRule(pattern, false, kind, when, reason, Optional.empty()));
        }

        /** A section refused as a whole, with every key below it. */
        void section(String pattern, String reason) {
            list.add(new SettingRule(pattern, true, REFUSED, ALWAYS, reason, Optional.empty()));
        }

        /** A key of a section that {@code declaringKey} chooses; refused with it. */
        void through(String pattern, String declaringKey, String reason) {
            list.add(new SettingRule(pattern, false, REFUSED, ALWAYS, reason, Optional.of(declaringKey)));
        }
    }
}
