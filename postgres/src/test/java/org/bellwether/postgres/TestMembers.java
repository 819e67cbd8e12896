package org.bellwether.postgres;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.config.BootstrapConfig;
import org.bellwether.config.Credentials;
import org.bellwether.config.PostgresConfig;
import org.bellwether.core.HaSettings;
import org.bellwether.core.HostPort;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Upstream;
import org.bellwether.testkit.FreePorts;
import org.bellwether.testkit.Signals;
import org.bellwether.testkit.SystemUser;
import org.bellwether.testkit.TestDirs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members of a test cluster on 127.0.0.1 with free ports, their data directories in one temporary directory, run as
 * the postgres user. {@link #close()} stops every PostgreSQL they started (immediate, then SIGKILL by the PID in
 * postmaster.pid) and removes the files.
 */
final class TestMembers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TestMembers.class);

    static final Credentials SUPERUSER = new Credentials("bw_admin", Optional.of("adm'in\\pw"));
    static final Credentials REPLICATION = new Credentials("replicator", Optional.of("rep:pass word"));
    static final Credentials REWIND = new Credentials("rewinder", Optional.of("rewind-pw"));
    static final HaSettings SETTINGS =
            HaSettings.from(Map.of("postgresql", Map.of("use_slots", true, "use_pg_rewind", true)));
    static final List<String> HBA = List.of(
            "local all all trust",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host replication all 127.0.0.1/32 scram-sha-256");

    final Path base;
    private final List<Member> members = new ArrayList<>();

    /** One member: its name, address and node. */
    record Member(String name, HostPort address, PostgresSetup setup, LocalPostgresNode node) {
        Upstream asUpstream() {
            return new Upstream(name, address);
        }

        DataDirectory dataDirectory() {
            return new DataDirectory(setup.postgresql().dataDir());
        }
    }

    TestMembers(String prefix) {
        base = TestDirs.create(prefix);
    }

    Member create(String name) throws PostgresException {
        return create(name, List.of("no-sync", "encoding=UTF8", "locale=C"), Optional.empty());
    }

    Member create(String name, List<String> initdbOptions, Optional<String> postBootstrap) throws PostgresException {
        PostgresSetup setup = setup(base, name, FreePorts.next(), initdbOptions, postBootstrap);
        NodeOptions options = NodeOptions.defaults().withStartTimeout(Duration.ofSeconds(60));
        LocalPostgresNode node = LocalPostgresNode.create(setup, () -> SETTINGS, options, SystemUser::asPostgres);
        Member member = new Member(name, setup.postgresql().connectAddress(), setup, node);
        members.add(member);
        return member;
    }

    static PostgresSetup setup(
            Path base, String name, int port, List<String> initdbOptions, Optional<String> postBootstrap) {
        TreeMap<String, Object> parameters = new TreeMap<>();
        parameters.put("unix_socket_directories", base.toString());
        parameters.put("max_connections", 20);
        parameters.put("shared_buffers", "16MB");
        parameters.put("fsync", false);
        parameters.put("wal_keep_size", "64MB");
        HostPort address = new HostPort("127.0.0.1", port);
        PostgresConfig pg = new PostgresConfig(
                "127.0.0.1",
                port,
                address,
                base.resolve(name),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                SUPERUSER,
                REPLICATION,
                Optional.of(REWIND),
                parameters,
                List.of(),
                Optional.empty(),
                List.of("basebackup"),
                List.of("no-sync"),
                new TreeMap<>());
        BootstrapConfig bootstrap = new BootstrapConfig(new TreeMap<>(), initdbOptions, HBA, postBootstrap);
        return new PostgresSetup("it-cluster", name, pg, bootstrap);
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.node().close();
            stopQuietly(m.dataDirectory(), m.node());
        }
        TestDirs.delete(base);
    }

    /** pg_ctl stop -m immediate, then SIGKILL to the postmaster if it still lives. */
    static void stopQuietly(DataDirectory dir, LocalPostgresNode node) {
        try {
            node.stop(StopMode.IMMEDIATE);
        } catch (PostgresException | RuntimeException e) {
            LOG.warn("stopping {}: {}", dir.path(), e.getMessage());
        }
        dir.livePostmaster().ifPresent(p -> {
            Signals.send(p.pid(), "KILL");
            p.onExit()
                    .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                    .exceptionally(t -> p)
                    .join();
        });
    }
}
