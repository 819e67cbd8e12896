package org.bellwether.app.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.Haproxy;

/**
 * Benchmark, not a test: what synchronous replication costs a client. pgbench's default tpcb-like transactions
 * ({@code -n -c 4 -T 10} after {@code -i -s 1}) through HAProxy on three nodes, alternating asynchronous and
 * {@code synchronous_mode: on}, switched the way an operator does it on Patroni: {@code PATCH /config} on the leader,
 * then waiting until PostgreSQL on the primary has a synchronous standby (or none). Prints the median latency
 * average and tps of each mode and their ratio.
 *
 * <p>{@code bench/run synclatency [runs]} (default 5 runs per mode).
 */
public final class SyncLatencyBench {
    private static final int CLIENTS = 4;
    private static final int SECONDS = 10;
    private static final String STANDBY_NAMES =
            "SELECT setting FROM pg_settings WHERE name = 'synchronous_standby_names'";
    private static final String SYNCHRONOUS_STANDBYS =
            "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'";

    private SyncLatencyBench() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<ReplicationMode, List<Pgbench.Result>> results = new EnumMap<>(ReplicationMode.class);
        List<ReplicationMode> modes = List.of(ReplicationMode.ASYNC, ReplicationMode.SYNC);
        // A single etcd member: the DCS is not what is measured, and the machine is small.
        try (EtcdCluster etcd = EtcdCluster.startCluster(1);
                TestCluster cluster = OpsCluster.start("bench-synclatency", etcd.hostPorts(), 3, Map.of());
                Haproxy haproxy = OpsCluster.haproxy(cluster)) {
            // Until its first health checks have run, HAProxy may send a connection to a replica.
            cluster.await(
                    OpsCluster.UP,
                    "HAProxy routing only to the primary",
                    () -> java.util.stream.IntStream.range(0, 10).allMatch(i -> reachesPrimary(haproxy.port())));
            Pgbench pgbench = new Pgbench(haproxy.port(), cluster.dir);
            pgbench.initialize();
            // Alternating modes round by round, so drift in the machine's load falls on both alike.
            for (int run = 1; run <= runs; run++) {
                for (ReplicationMode mode : modes) {
                    switchTo(cluster, mode);
                    Pgbench.Result r = pgbench.run(CLIENTS, SECONDS);
                    results.computeIfAbsent(mode, m -> new ArrayList<>()).add(r);
                    System.out.printf(
                            "run %d, %s: latency average %.3f ms, tps %.1f%n",
                            run, mode.label(), r.latencyMillis(), r.tps());
                }
            }
        }
        double async = median(results.get(ReplicationMode.ASYNC), Pgbench.Result::latencyMillis);
        double sync = median(results.get(ReplicationMode.SYNC), Pgbench.Result::latencyMillis);
        System.out.printf(
                "pgbench tpcb-like -c %d -T %d through HAProxy, median of %d runs each:%n"
                        + "  async: latency average %.3f ms, tps %.1f%n"
                        + "  sync:  latency average %.3f ms, tps %.1f%n"
                        + "  sync/async latency ratio %.2fx%n",
                CLIENTS,
                SECONDS,
                runs,
                async,
                median(results.get(ReplicationMode.ASYNC), Pgbench.Result::tps),
                sync,
                median(results.get(ReplicationMode.SYNC), Pgbench.Result::tps),
                sync / async);
    }

    /** PATCH /config on the leader, then waits until the primary's PostgreSQL replicates in that mode. */
    private static void switchTo(TestCluster cluster, ReplicationMode mode) {
        TestNode leader = cluster.awaitLeader(OpsCluster.UP);
        boolean synchronous = mode.promisesNoLoss();
        Rest.Reply patched = Rest.call(leader, "PATCH", "/config", "{\"synchronous_mode\": " + synchronous + "}");
        if (patched.status() != 200) {
            throw new AssertionError(
                    "PATCH /config on " + leader.name + ": " + patched.status() + " " + patched.body());
        }
        cluster.await(
                OpsCluster.UP,
                "synchronous_standby_names " + (synchronous ? "set" : "empty") + " on " + leader.name,
                () -> TestCluster.tryQueryOne(leader, STANDBY_NAMES)
                                .map(String::isEmpty)
                                .equals(Optional.of(!synchronous))
                        && (!synchronous
                                || TestCluster.tryQueryOne(leader, SYNCHRONOUS_STANDBYS)
                                        .equals(Optional.of("1"))));
    }

    private static boolean reachesPrimary(int port) {
        try (Connection c = TestNode.connect(port);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            boolean primary = r.next() && r.getBoolean(1);
            if (!primary) {
                System.out.println("HAProxy sent a connection to a replica");
            }
            return primary;
        } catch (SQLException e) {
            return false;
        }
    }

    private static double median(List<Pgbench.Result> results, java.util.function.ToDoubleFunction<Pgbench.Result> f) {
        return BootstrapBench.median(results.stream().map(f::applyAsDouble).toList());
    }
}
