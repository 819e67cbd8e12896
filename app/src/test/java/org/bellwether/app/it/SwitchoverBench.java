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

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Double> windows = new ArrayList<>();
        List<Double> calls = new ArrayList<>();
        long lost = 0;
        long acked = 0;
        try (EtcdCluster etcd = EtcdCluster.startCluster(3);
                TestCluster cluster = OpsCluster.start("bench-switchover", etcd.hostPorts(), 3, Map.of());
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
                            "run %d: %s -> %s: %d %s, writes unavailable %.3f s, call %.2f s, %d of %d acknowledged"
                                    + " writes lost%n",
                            run,
                            leader.name,
                            candidate.name,
                            reply.status(),
                            reply.body(),
                            window,
                            call,
                            missing.size(),
                            writer.acks().size());
                }
            }
        }
        System.out.printf(
                "planned switchover through HAProxy, %d runs: write unavailability median %.3f s (min %.3f, max"
                        + " %.3f); POST /switchover answered in median %.2f s; acknowledged writes lost: %d of %d%n",
                runs,
                BootstrapBench.median(windows),
                Collections.min(windows),
                Collections.max(windows),
                BootstrapBench.median(calls),
                lost,
                acked);
    }

    /** The next node after the leader, by name, so runs go round the cluster. */
    private static TestNode next(TestCluster cluster, TestNode leader) {
        int i = cluster.nodes.indexOf(leader);
        return cluster.nodes.get((i + 1) % cluster.nodes.size());
    }
}
