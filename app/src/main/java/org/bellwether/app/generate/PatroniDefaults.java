package org.bellwether.app.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Patroni 4.1's defaults that its generated configurations carry: the dynamic configuration
 * ({@code Config.__DEFAULT_CONFIG} without {@code standby_cluster}), the parameters it passes PostgreSQL on the
 * command line ({@code ConfigHandler.CMDLINE_OPTIONS}), its logging defaults and the tags of its template.
 */
final class PatroniDefaults {
    /** What a generated file has where only the operator can know the value. */
    static final String FIXME = "#FIXME";

    /**
     * The parameters Patroni sets on PostgreSQL's command line. A running instance's values of these are always read,
     * whatever their source, since the generated configuration must carry them.
     */
    static final List<String> COMMAND_LINE_PARAMETERS = org.bellwether.config.PostgresConfig.COMMAND_LINE_PARAMETERS;

    private PatroniDefaults() {}

    /** {@code bootstrap.dcs} as Patroni's generator starts it. */
    static Map<String, Object> dynamicConfiguration() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("wal_level", "hot_standby");
        parameters.put("hot_standby", "on");
        parameters.put("max_connections", 100);
        parameters.put("max_wal_senders", 10);
        parameters.put("max_prepared_transactions", 0);
        parameters.put("max_locks_per_transaction", 64);
        parameters.put("track_commit_timestamp", "off");
        parameters.put("max_replication_slots", 10);
        parameters.put("max_worker_processes", 8);
        parameters.put("wal_log_hints", "on");
        Map<String, Object> postgresql = new LinkedHashMap<>();
        postgresql.put("use_slots", true);
        postgresql.put("parameters", parameters);
        Map<String, Object> dcs = new LinkedHashMap<>();
        dcs.put("ttl", 30);
        dcs.put("loop_wait", 10);
        dcs.put("retry_timeout", 10);
        dcs.put("postgresql", postgresql);
        return dcs;
    }

    /** {@code wal_keep_segments} before PostgreSQL 13, {@code wal_keep_size} from 13 on, with Patroni's value. */
    static Map.Entry<String, Object> walKeep(int serverVersionNum) {
        return serverVersionNum < 130000 ? Map.entry("wal_keep_segments", 8) : Map.entry("wal_keep_size", "128MB");
    }

    /**
     * Patroni's {@code PatroniLogger} defaults, without {@code max_queue_size}: Bellwether writes events as they are
     * logged, and a generated file should not hold a setting that does nothing.
     */
    static Map<String, Object> log() {
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("type", "plain");
        log.put("level", "INFO");
        log.put("traceback_level", "ERROR");
        log.put("format", "%(asctime)s %(levelname)s: %(message)s");
        return log;
    }

    /** The tags of Patroni's template (with {@code clonefrom}, other replicas may be cloned from this one). */
    static Map<String, Object> tags() {
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("failover_priority", 1);
        tags.put("sync_priority", 1);
        tags.put("noloadbalance", false);
        tags.put("clonefrom", true);
        tags.put("nosync", false);
        tags.put("nostream", false);
        return tags;
    }
}
