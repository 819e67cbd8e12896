package org.bellwether.app.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.Haproxy;

/**
 * Benchmark, not a test: the write-unavailability window of a planned switchover as a client writing through HAProxy
 * sees it (the longest stretch without an acknowledged INSERT, from the request until writes flow on the new
 * primary), and acknowledged writes lost. Switches over round the three nodes; prints each run and the median.
 *
 * <p>Run with {@code bench/run switchover [runs]} (default 10).
 */
public final class SwitchoverBench {
    private SwitchoverBench() {}

    /** The figures of one agent's runs. */
    private record Result(List<Double> windows, List<Double> calls, long lost, long acked) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<TestNode.Implementation> implementations = TestNode.patroni().isPresent()
                ? List.of(TestNode.Implementation.BELLWETHER, TestNode.Implementation.PATRONI)
                : List.of(TestNode.Implementation.BELLWETHER);
        Map<TestNode.Implementation, Result> results = new java.util.EnumMap<>(TestNode.Implementation.class);
        for (TestNode.Implementation implementation : implementations) {
            results.put(implementation, run(implementation, runs));
        }
        System.out.println();
        results.forEach((implementation, r) -> System.out.printf(
                "%s: planned switchover through HAProxy, %d runs: write unavailability median %.3f s (min %.3f, max"
                        + " %.3f); POST /switchover answered in median %.2f s; acknowledged writes lost: %d of %d%n",
                implementation.name().toLowerCase(java.util.Locale.ROOT),
                runs,
                BootstrapBench.median(r.windows()),
                Collections.min(r.windows()),
                Collections.max(r.windows()),
                BootstrapBench.median(r.calls()),
                r.lost(),
                r.acked()));
        if (results.containsKey(TestNode.Implementation.PATRONI)) {
            System.out.printf(
                    "patroni/bellwether write unavailability (medians): %.2fx%n",
                    BootstrapBench.median(
                                    results.get(TestNode.Implementation.PATRONI).windows())
                            / BootstrapBench.median(results.get(TestNode.Implementation.BELLWETHER)
                                    .windows()));
        } else {
            System.out.println("(Patroni not run: no 'patroni' on PATH; Debian's package is 'patroni')");
        }
    }

    private static Result run(TestNode.Implementation implementation, int runs) throws Exception {
        List<Double> windows = new ArrayList<>();
        List<Double> calls = new ArrayList<>();
        long lost = 0;
        long acked = 0;
        try (EtcdCluster etcd = EtcdCluster.startCluster(3);
                TestCluster cluster =
                        OpsCluster.start("bench-switchover", etcd.hostPorts(), 3, Map.of(), implementation);
                Haproxy haproxy = OpsCluster.haproxy(cluster)) {
            AckedWriter.createTable(cluster.awaitLeader(OpsCluster.UP));
            for (int run = 1; run <= runs; run++) {
                TestNode leader = cluster.awaitLeader(OpsCluster.UP);
                cluster.awaitStreaming(leader, 2, OpsCluster.UP);
                TestNode candidate = next(cluster, leader);
                try (AckedWriter writer = AckedWriter.start(haproxy.port(), run * 10_000_000L)) {
                    cluster.await(
                            Duration.ofSeconds(30),
                            "writes flowing",
                            () -> writer.acks().size() > 50);
                    long start = System.nanoTime();
                    Rest.Reply reply = Rest.call(
                            leader,
                            "POST",
                            "/switchover",
                            "{\"leader\": \"" + leader.name + "\", \"candidate\": \"" + candidate.name + "\"}");
                    double call = (System.nanoTime() - start) / 1e9;
                    int before = writer.acks().size();
                    cluster.await(
                            Duration.ofSeconds(60),
                            "writes on the new primary",
                            () -> writer.acks().size() > before + 50);
                    writer.close();
                    double window = writer.longestGap(start, System.nanoTime()).toNanos() / 1e9;
                    List<Long> missing = writer.missingOn(cluster.awaitLeader(OpsCluster.UP));
                    windows.add(window);
                    calls.add(call);
                    lost += missing.size();
                    acked += writer.acks().size();
                    System.out.printf(
                            "%s run %d: %s -> %s: %d %s, writes unavailable %.3f s, call %.2f s, %d of %d acknowledged"
                                    + " writes lost%n",
                            implementation.name().toLowerCase(java.util.Locale.ROOT),
                            run,
                            leader.name,
                            candidate.name,
                            reply.status(),
                            reply.body().strip(),
                            window,
                            call,
                            missing.size(),
                            writer.acks().size());
                }
            }
        }
        return new Result(windows, calls, lost, acked);
    }

    /** The next node after the leader, by name, so runs go round the cluster. */
    private static TestNode next(TestCluster cluster, TestNode leader) {
        int i = cluster.nodes.indexOf(leader);
        return cluster.nodes.get((i + 1) % cluster.nodes.size());
    }
}
