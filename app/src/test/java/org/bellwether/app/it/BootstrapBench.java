package org.bellwether.app.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bellwether.testkit.EtcdCluster;

/**
 * Benchmark, not a test: time from starting three agents on empty data directories to one primary with two
 * streaming replicas, and the agents' resident memory once the cluster is idle. Prints medians.
 *
 * <p>Run with {@code bench/run bootstrap [runs]}.
 */
public final class BootstrapBench {
    private BootstrapBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Double> seconds = new ArrayList<>();
        List<Long> rssKb = new ArrayList<>();
        try (EtcdCluster etcd = EtcdCluster.startCluster(3)) {
            for (int run = 1; run <= runs; run++) {
                try (TestCluster cluster =
                        new TestCluster("bench-" + run, etcd.hostPorts(), 3, TestCluster.Timing.FAST)) {
                    long start = System.nanoTime();
                    cluster.startAll();
                    TestNode leader = cluster.awaitLeader(Duration.ofSeconds(120));
                    cluster.awaitStreaming(leader, 2, Duration.ofSeconds(120));
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    seconds.add(elapsed);
                    Thread.sleep(10_000);
                    for (TestNode node : cluster.nodes) {
                        rssKb.add(residentKb(node.agent().pid()));
                    }
                    System.out.printf("run %d: %.2f s to one primary and two streaming replicas%n", run, elapsed);
                }
            }
        }
        System.out.printf(
                "bootstrap, 3 nodes from empty data directories: median %.2f s over %d runs%n", median(seconds), runs);
        System.out.printf(
                "agent resident memory at steady state: median %.1f MB, max %.1f MB (%d agents)%n",
                median(rssKb.stream().map(Long::doubleValue).toList()) / 1024,
                Collections.max(rssKb) / 1024.0,
                rssKb.size());
    }

    static long residentKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
