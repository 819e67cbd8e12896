package org.bellwether.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.HostPort;

/**
 * {@code postgresql.*}: where this node's PostgreSQL lives and how the agent, replicas and pg_rewind log in.
 *
 * @param listenAddresses the addresses PostgreSQL listens on ({@code listen: 127.0.0.1,::1:5432} gives
 *     {@code 127.0.0.1,::1})
 * @param binDir found automatically when not configured (newest major first)
 * @param parameters local {@code postgresql.parameters}, merged over the cluster-wide ones; the parameters Patroni only
 *     takes from the dynamic configuration ({@code max_connections}, {@code wal_level}...) are left out, as Patroni
 *     ignores them here
 * @param usePgRewind empty when not set locally (the dynamic configuration decides)
 * @param basebackup pg_basebackup long options ({@code max-rate: 100M} becomes {@code --max-rate=100M})
 * @param proxyAddress a connection pooler next to PostgreSQL, published as {@code proxy_url} in the member key
 * @param pgCtlTimeout how long pg_ctl may take to start or stop; empty means the default (60 s) or the dynamic value
 * @param replicaMethods the sections of custom replica creation methods named in {@code create_replica_methods}, as
 *     written ({@code command}, {@code keep_data}, {@code no_leader}, {@code no_params}, script parameters)
 * @param raw the whole section as written, without {@code authentication}, for settings not typed here
 *     ({@code recovery_conf}, {@code custom_conf}, {@code bin_name}, {@code use_unix_socket}, {@code rewind}...)
 */
public record PostgresConfig(
        String listenAddresses,
        int port,
        HostPort connectAddress,
        Path dataDir,
        Optional<Path> binDir,
        Optional<Path> configDir,
        Optional<Path> pgpass,
        Credentials superuser,
        Credentials replication,
        Optional<Credentials> rewind,
        SortedMap<String, Object> parameters,
        List<String> pgHba,
        Optional<Boolean> usePgRewind,
        List<String> createReplicaMethods,
        List<String> basebackup,
        SortedMap<String, String> callbacks,
        Optional<HostPort> proxyAddress,
        List<String> pgIdent,
        Optional<Duration> pgCtlTimeout,
        Optional<Boolean> removeDataDirectoryOnRewindFailure,
        Optional<Boolean> removeDataDirectoryOnDivergedTimelines,
        Optional<String> prePromote,
        Optional<String> beforeStop,
        SortedMap<String, SortedMap<String, Object>> replicaMethods,
        SortedMap<String, Object> raw) {
    /**
     * The parameters Patroni sets on PostgreSQL's command line and takes only from the dynamic configuration, in the
     * order its configuration generator lists them.
     */
    public static final List<String> COMMAND_LINE_PARAMETERS = List.of(
            "listen_addresses",
            "port",
            "cluster_name",
            "wal_level",
            "hot_standby",
            "max_connections",
            "max_wal_senders",
            "wal_keep_segments",
            "wal_keep_size",
            "max_prepared_transactions",
            "max_locks_per_transaction",
            "track_commit_timestamp",
            "max_replication_slots",
            "max_worker_processes",
            "wal_log_hints");

    public PostgresConfig {
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
        pgHba = List.copyOf(pgHba);
        createReplicaMethods = List.copyOf(createReplicaMethods);
        basebackup = List.copyOf(basebackup);
        callbacks = Collections.unmodifiableSortedMap(new TreeMap<>(callbacks));
        pgIdent = List.copyOf(pgIdent);
        replicaMethods = Collections.unmodifiableSortedMap(new TreeMap<>(replicaMethods));
        raw = Collections.unmodifiableSortedMap(new TreeMap<>(raw));
    }

    public PostgresConfig(
            String listenAddresses,
            int port,
            HostPort connectAddress,
            Path dataDir,
            Optional<Path> binDir,
            Optional<Path> configDir,
            Optional<Path> pgpass,
            Credentials superuser,
            Credentials replication,
            Optional<Credentials> rewind,
            SortedMap<String, Object> parameters,
            List<String> pgHba,
            Optional<Boolean> usePgRewind,
            List<String> createReplicaMethods,
            List<String> basebackup,
            SortedMap<String, String> callbacks) {
        this(
                listenAddresses,
                port,
                connectAddress,
                dataDir,
                binDir,
                configDir,
                pgpass,
                superuser,
                replication,
                rewind,
                parameters,
                pgHba,
                usePgRewind,
                createReplicaMethods,
                basebackup,
                callbacks,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                new TreeMap<>(),
                new TreeMap<>());
    }

    /** {@code postgres://connect_address/postgres}, as published in the member key. */
    public String connUrl() {
        return "postgres://" + connectAddress + "/postgres";
    }

    /** The address the agent itself uses to reach its PostgreSQL: the first listen address, loopback for wildcards. */
    public HostPort localAddress() {
        String first = listenAddresses.split(",")[0].trim();
        if (first.isEmpty() || first.equals("*") || first.equals("0.0.0.0")) {
            first = "127.0.0.1";
        } else if (first.equals("::")) {
            first = "::1";
        }
        return new HostPort(first, port);
    }

    /** The role pg_rewind connects as: the rewind user when configured, the superuser otherwise (as in Patroni). */
    public Credentials rewindUser() {
        return rewind.orElse(superuser);
    }
}
