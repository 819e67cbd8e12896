package org.bellwether.app.it;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bellwether.app.demo.EmbeddedZooKeeper;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.Haproxy;
import org.bellwether.testkit.TestDirs;

/**
 * Everything a fault needs, started once per test class (or benchmark configuration) and shared by its faults: a
 * three-member etcd, three nodes behind {@link NodeLinks}, and HAProxy routing clients to whichever node answers
 * {@code /primary}. {@link #ensureHealthy()} brings the cluster back to one leader and two streaming replicas between
 * faults, re-cloning a node that could not rejoin, so one fault's leftovers do not decide the next one's outcome.
 */
final class FaultBed implements AutoCloseable {
    static final long MAXIMUM_LAG_ON_FAILOVER = 1_048_576;

    /** The etcd cluster, or null on a bed whose nodes use ZooKeeper (no etcd or partition faults there). */
    final EtcdCluster etcd;

    final TestCluster cluster;
    final Haproxy haproxy;
    final TestCluster.Timing timing;
    private final AutoCloseable dcsServer;

    private FaultBed(EtcdCluster etcd, AutoCloseable dcsServer, TestCluster cluster, Haproxy haproxy) {
        this.etcd = etcd;
        this.dcsServer = dcsServer;
        this.cluster = cluster;
        this.haproxy = haproxy;
        this.timing = cluster.options.timing();
    }

    /** Starts etcd, the nodes and HAProxy, and waits for a leader with two streaming replicas. */
    static FaultBed start(String scope, TestCluster.Timing timing, TestNode.Implementation implementation) {
        EtcdCluster etcd = EtcdCluster.startCluster(3);
        return around(
                etcd,
                etcd,
                () -> new TestCluster(
                        scope, etcd.hostPorts(), 3, new TestCluster.Options(timing, true, implementation)));
    }

    /**
     * The same bed on ZooKeeper (the demo's embedded server, in this JVM): the faults of the nodes themselves run on
     * it as on etcd.
     */
    static FaultBed startOnZooKeeper(String scope, TestCluster.Timing timing) {
        Path zooKeeperDir = TestDirs.create("bellwether-zookeeper-" + scope);
        EmbeddedZooKeeper zooKeeper;
        try {
            zooKeeper = EmbeddedZooKeeper.start(zooKeeperDir);
        } catch (RuntimeException | Error e) {
            TestDirs.delete(zooKeeperDir);
            throw e;
        }
        AutoCloseable server = () -> {
            zooKeeper.close();
            TestDirs.delete(zooKeeperDir);
        };
        return around(
                null,
                server,
                () -> new TestCluster(
                        scope,
                        List.of(zooKeeper.hostPort()),
                        3,
                        new TestCluster.Options(
                                timing, false, TestNode.Implementation.BELLWETHER, TestCluster.Dcs.ZOOKEEPER)));
    }

    /** Starts the nodes and HAProxy around a running DCS; on failure stops all of it, the DCS server included. */
    private static FaultBed around(
            EtcdCluster etcd, AutoCloseable dcsServer, java.util.function.Supplier<TestCluster> nodes) {
        TestCluster cluster = null;
        Haproxy haproxy = null;
        try {
            cluster = nodes.get();
            cluster.startAll();
            haproxy = Haproxy.start(
                    cluster.nodes.stream()
                            .map(n -> new Haproxy.Backend(n.name, n.pgPort, n.restPort))
                            .toList(),
                    "/primary");
            FaultBed bed = new FaultBed(etcd, dcsServer, cluster, haproxy);
            bed.ensureHealthy();
            return bed;
        } catch (RuntimeException | Error e) {
            Resources.closeAll(haproxy, cluster, dcsServer);
            throw e;
        }
    }

    /** How long a failover may take at these timings before a test gives up on it. */
    Duration failoverBound() {
        return Duration.ofSeconds(3L * timing.ttl() + 30);
    }

    Duration rejoinBound() {
        return Duration.ofSeconds(2L * timing.ttl() + 60);
    }

    /**
     * One leader, every node's agent running and every replica streaming from the leader on its timeline; a node
     * that does not get there in time is cloned afresh (and the test output says so). Returns the leader.
     */
    TestNode ensureHealthy() {
        for (TestNode node : cluster.nodes) {
            node.links.ifPresent(NodeLinks::heal);
            if (!node.agentAlive()) {
                node.startAgent();
            }
        }
        TestNode leader = cluster.awaitLeader(failoverBound());
        for (TestNode node : replicasOf(leader)) {
            if (awaitRejoin(List.of(node), leader, Instant.now(), Duration.ofSeconds(2L * timing.loopWait() + 5))
                    .isEmpty()) {
                System.out.println("[fault-bed] " + node.name + " does not stream from " + leader.name
                        + " (" + String.join(" | ", Replication.walReceiverTrouble(node, 3))
                        + "); cloning it afresh");
                reinitialize(node);
                cluster.await(
                        rejoinBound(),
                        node.name + " streaming from " + leader.name + " after a new clone",
                        () -> Replication.streamsFrom(node, leader));
            }
        }
        try {
            WriteWorkload.createTable(leader);
        } catch (SQLException e) {
            throw new AssertionError("creating the workload table on " + leader.name + ": " + e.getMessage(), e);
        }
        return leader;
    }

    /**
     * Waits until every node of {@code nodes} other than the leader streams from it, and returns how long that took
     * from {@code since}. Gives up (empty) after {@link #rejoinBound()}, or {@code grace} after a node's PostgreSQL
     * logged that its history cannot continue on the leader's: without pg_rewind or a new clone it never will.
     */
    Optional<Duration> awaitRejoin(List<TestNode> nodes, TestNode leader, Instant since, Duration grace) {
        List<TestNode> replicas = nodes.stream().filter(n -> n != leader).toList();
        long deadline = System.nanoTime() + rejoinBound().toNanos();
        int troubleBefore = troubleLines(replicas);
        long troubleSeen = 0;
        while (System.nanoTime() < deadline) {
            if (replicas.stream().allMatch(n -> Replication.streamsFrom(n, leader))) {
                return Optional.of(Duration.between(since, Instant.now()));
            }
            if (troubleSeen == 0 && troubleLines(replicas) > troubleBefore) {
                troubleSeen = System.nanoTime();
            }
            if (troubleSeen != 0 && System.nanoTime() - troubleSeen > grace.toNanos()) {
                return Optional.empty();
            }
            pause(200);
        }
        return Optional.empty();
    }

    private static int troubleLines(List<TestNode> nodes) {
        return nodes.stream()
                .mapToInt(n ->
                        Replication.walReceiverTrouble(n, Integer.MAX_VALUE).size())
                .sum();
    }

    List<TestNode> replicasOf(TestNode leader) {
        return cluster.nodes.stream().filter(n -> n != leader).toList();
    }

    /** Stops the node hard, removes its data directory and starts the agent, which clones it from the leader. */
    void reinitialize(TestNode node) {
        node.crash();
        TestDirs.delete(node.dataDir);
        node.startAgent();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        Resources.closeAll(haproxy, cluster, dcsServer);
    }
}
