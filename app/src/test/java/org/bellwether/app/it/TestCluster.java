package org.bellwether.app.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.bellwether.testkit.PostgresBinaries;
import org.bellwether.testkit.TestDirs;

/**
 * A Bellwether cluster of real agents and PostgreSQL servers on 127.0.0.1, against a DCS the test started. Closing
 * it stops every process it started, by PID, and removes its directories.
 */
final class TestCluster implements AutoCloseable {
    /** Timings short enough for tests: ttl 10, loop_wait 2, retry_timeout 4. */
    record Timing(int ttl, int loopWait, int retryTimeout) {
        static final Timing FAST = new Timing(10, 2, 4);
        /** Patroni's defaults. */
        static final Timing DEFAULT = new Timing(30, 10, 10);
    }

    /**
     * How the cluster is built: {@code linked} puts every node behind {@link NodeLinks} so a test can partition it;
     * {@code implementation} picks the agent (Patroni only for side-by-side benchmarks).
     */
    record Options(Timing timing, boolean linked, TestNode.Implementation implementation, Dcs dcs) {
        Options(Timing timing, boolean linked, TestNode.Implementation implementation) {
            this(timing, linked, implementation, Dcs.ETCD3);
        }

        static Options of(Timing timing) {
            return new Options(timing, false, TestNode.Implementation.BELLWETHER);
        }
    }

    /** Which DCS the nodes' configuration names: Patroni's {@code etcd3:} or {@code zookeeper:} section. */
    enum Dcs {
        ETCD3,
        ZOOKEEPER
    }

    final String scope;
    final Path dir;
    final List<TestNode> nodes = new ArrayList<>();
    final Options options;
    private final List<String> dcsHosts;
    private final Timing timing;

    TestCluster(String scope, List<String> dcsHosts, int size, Timing timing) {
        this(scope, dcsHosts, size, Options.of(timing));
    }

    TestCluster(String scope, List<String> dcsHosts, int size, Options options) {
        this.scope = scope;
        this.dcsHosts = dcsHosts;
        this.options = options;
        this.timing = options.timing();
        this.dir = TestDirs.create("bellwether-" + scope);
        Optional<List<Integer>> linkedEtcdPorts = options.linked()
                ? Optional.of(dcsHosts.stream()
                        .map(h -> Integer.parseInt(h.substring(h.lastIndexOf(':') + 1)))
                        .toList())
                : Optional.empty();
        for (int i = 1; i <= size; i++) {
            TestNode node = new TestNode("n" + i, dir, options.implementation(), linkedEtcdPorts);
            node.writeConfig(configFor(node));
            nodes.add(node);
        }
    }

    TestNode node(String name) {
        return nodes.stream().filter(n -> n.name.equals(name)).findFirst().orElseThrow();
    }

    void startAll() {
        nodes.forEach(TestNode::startAgent);
    }

    /** A Patroni-format node configuration, the way an operator would write it. */
    String configFor(TestNode node) {
        return """
                scope: %s
                namespace: /service/
                name: %s
                restapi:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                %s
                bootstrap:
                  dcs:
                    ttl: %d
                    loop_wait: %d
                    retry_timeout: %d
                    maximum_lag_on_failover: 1048576
                    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                      parameters:
                        max_connections: 40
                        wal_keep_size: 64MB
                  initdb:
                  - encoding: UTF8
                  - data-checksums
                  pg_hba:
                  - local all all trust
                  - host all all 127.0.0.1/32 md5
                  - host replication replicator 127.0.0.1/32 md5
                postgresql:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                  data_dir: %s
                  bin_dir: %s
                  pgpass: %s
                  authentication:
                    superuser:
                      username: postgres
                      password: %s
                    replication:
                      username: replicator
                      password: rep-secret
                    rewind:
                      username: rewinder
                      password: rewind-secret
                  parameters:
                    unix_socket_directories: '%s'
                    shared_buffers: 16MB
                    log_timezone: UTC
                tags:
                  nofailover: false
                log:
                  format: '%%(asctime)s %%(levelname)s [%%(threadName)s] %%(name)s: %%(message)s'
                """.formatted(
                        scope,
                        node.name,
                        node.restPort,
                        node.restConnectPort(),
                        dcsSection(node),
                        timing.ttl(),
                        timing.loopWait(),
                        timing.retryTimeout(),
                        node.pgPort,
                        node.pgConnectPort(),
                        node.dataDir,
                        PostgresBinaries.binDir(),
                        node.dir.resolve("pgpass"),
                        TestNode.SUPERUSER_PASSWORD,
                        node.dir);
    }

    /** The node's DCS section: Patroni's {@code etcd3:} or {@code zookeeper:}, naming {@code dcsHosts}. */
    private String dcsSection(TestNode node) {
        if (options.dcs() == Dcs.ZOOKEEPER) {
            return "zookeeper:\n  hosts: " + String.join(",", dcsHosts);
        }
        // Behind links, the hosts are the node's proxies: no discovery of the members' own URLs.
        return "etcd3:\n  hosts: "
                + String.join(",", node.links.map(NodeLinks::etcdHosts).orElse(dcsHosts)) + "\n  use_proxies: "
                + node.links.isPresent();
    }

    /** Waits until exactly one node answers 200 on {@code /primary}, and returns it. */
    TestNode awaitLeader(Duration timeout) {
        // The node is the one seen alone answering 200: asking again could find leadership moving on.
        java.util.concurrent.atomic.AtomicReference<TestNode> seen =
                new java.util.concurrent.atomic.AtomicReference<>();
        await(timeout, "one node answering /primary with 200", () -> {
            List<TestNode> leaders = leaders();
            if (leaders.size() == 1) {
                seen.set(leaders.get(0));
                return true;
            }
            return false;
        });
        return seen.get();
    }

    List<TestNode> leaders() {
        return nodes.stream().filter(n -> n.status("GET", "/primary") == 200).toList();
    }

    /** Waits until {@code primary} shows {@code count} replicas streaming in pg_stat_replication. */
    void awaitStreaming(TestNode primary, int count, Duration timeout) {
        await(timeout, count + " replicas streaming from " + primary.name, () -> streamingReplicas(primary) == count);
    }

    static int streamingReplicas(TestNode primary) {
        try (Connection c = primary.connect();
                Statement s = c.createStatement();
                // pg_basebackup's WAL stream also shows as streaming while a replica is being cloned, and so does
                // a WAL archive's pg_receivewal: not replicas.
                ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                        + " AND application_name NOT IN ('pg_basebackup', 'pg_receivewal')")) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The first column of the first row; a failing query fails the test with PostgreSQL's message. */
    static Optional<String> queryOne(TestNode node, String sql) {
        try (Connection c = node.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new AssertionError("on " + node.name + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Like {@link #queryOne} for polling: a node that cannot answer yet reads as empty. */
    static Optional<String> tryQueryOne(TestNode node, String sql) {
        try {
            return queryOne(node, sql);
        } catch (AssertionError e) {
            return Optional.empty();
        }
    }

    /** Polls {@code condition} every 200 ms; fails with {@code what} and every agent's log tail when it times out. */
    void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "\n" + logTails());
    }

    String logTails() {
        StringBuilder out = new StringBuilder();
        for (TestNode node : nodes) {
            String log = node.agentLog();
            String[] lines = log.split("\n");
            out.append("---- ").append(node.name).append(" agent.log (last 30 lines)\n");
            for (int i = Math.max(0, lines.length - 30); i < lines.length; i++) {
                out.append(lines[i]).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        nodes.forEach(TestNode::close);
        keepLogs();
        TestDirs.delete(dir);
    }

    /** Agent and PostgreSQL logs outlive the cluster under target/it-logs, for reading after a failure. */
    private void keepLogs() {
        Path target = Path.of("target", "it-logs", scope);
        try {
            java.nio.file.Files.createDirectories(target);
            for (TestNode node : nodes) {
                for (String log : List.of("agent.log", "data.log", "data.fence-guard.log")) {
                    Path source = node.dir.resolve(log);
                    if (java.nio.file.Files.exists(source)) {
                        java.nio.file.Files.copy(
                                source,
                                target.resolve(node.name + "-" + log),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (java.io.IOException e) {
            System.err.println("could not keep the logs of " + scope + ": " + e.getMessage());
        }
    }
}
