package org.bellwether.app.it;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.Haproxy;
import org.bellwether.testkit.TestDirs;

/**
 * Everything a fault needs, started once per test class (or benchmark configuration) and shared by its faults: a
 * three-member etcd, three nodes behind {@link NodeLinks} in one {@link ReplicationMode}, and HAProxy routing clients
 * to whichever node answers {@code /primary}. {@link #ensureHealthy()} brings the cluster back to one leader and two
 * streaming replicas between faults, re-cloning a node that could not rejoin, so one fault's leftovers do not decide
 * the next one's outcome.
 */
final class FaultBed implements AutoCloseable {
    static final long MAXIMUM_LAG_ON_FAILOVER = 1_048_576;
    private static final String SYNCHRONOUS_STANDBYS =
            "SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')";

    /** The etcd cluster, or null on a bed whose nodes use ZooKeeper (no etcd or partition faults there). */
    final EtcdCluster etcd;

    /** The ZooKeeper server, or null on a bed whose nodes use etcd. */
    final RestartableZooKeeper zooKeeper;

    final TestCluster cluster;
    final Haproxy haproxy;
    final TestCluster.Timing timing;
    final ReplicationMode mode;
    private final AutoCloseable dcsServer;

    private FaultBed(
            EtcdCluster etcd, AutoCloseable dcsServer, TestCluster cluster, Haproxy haproxy, ReplicationMode mode) {
        this.etcd = etcd;
        this.zooKeeper = dcsServer instanceof RestartableZooKeeper z ? z : null;
        this.dcsServer = dcsServer;
        this.cluster = cluster;
        this.haproxy = haproxy;
        this.timing = cluster.options.timing();
        this.mode = mode;
    }

    /** Starts etcd, the nodes and HAProxy, and waits for a leader with two streaming replicas. */
    static FaultBed start(String scope, TestCluster.Timing timing, TestNode.Implementation implementation) {
        return start(scope, timing, implementation, ReplicationMode.ASYNC);
    }

    /**
     * The same in a replication mode; in a synchronous one, {@link #ensureHealthy()} also waits until commits wait
     * for a standby and the {@code sync} key names it.
     */
    static FaultBed start(
            String scope, TestCluster.Timing timing, TestNode.Implementation implementation, ReplicationMode mode) {
        EtcdCluster etcd = EtcdCluster.startCluster(3);
        return around(
                etcd,
                etcd,
                () -> new TestCluster(
                        scope, etcd.hostPorts(), 3, new TestCluster.Options(timing, true, implementation)),
                mode);
    }

    /**
     * The same bed on ZooKeeper (the demo's embedded server, in this JVM): the faults of the nodes themselves run on
     * it as on etcd.
     */
    static FaultBed startOnZooKeeper(String scope, TestCluster.Timing timing) {
        RestartableZooKeeper zooKeeper = RestartableZooKeeper.start(scope);
        return around(
                null,
                zooKeeper,
                () -> new TestCluster(
                        scope,
                        List.of(zooKeeper.hostPort()),
                        3,
                        new TestCluster.Options(
                                timing, false, TestNode.Implementation.BELLWETHER, TestCluster.Dcs.ZOOKEEPER)),
                ReplicationMode.ASYNC);
    }

    /** Starts the nodes and HAProxy around a running DCS; on failure stops all of it, the DCS server included. */
    private static FaultBed around(
            EtcdCluster etcd,
            AutoCloseable dcsServer,
            java.util.function.Supplier<TestCluster> nodes,
            ReplicationMode mode) {
        TestCluster cluster = null;
        Haproxy haproxy = null;
        try {
            cluster = nodes.get();
            for (TestNode node : cluster.nodes) {
                node.writeConfig(mode.configure(cluster.configFor(node)));
            }
            cluster.startAll();
            haproxy = Haproxy.start(
                    cluster.nodes.stream()
                            .map(n -> new Haproxy.Backend(n.name, n.pgPort, n.restPort))
                            .toList(),
                    "/primary");
            FaultBed bed = new FaultBed(etcd, dcsServer, cluster, haproxy, mode);
            bed.ensureHealthy();
            return bed;
        } catch (RuntimeException | Error e) {
            Resources.closeAll(haproxy, cluster, dcsServer);
            throw e;
        }
    }

    /** The whole DCS goes down: every etcd member is killed, or the ZooKeeper server stops. */
    void stopDcs() {
        if (etcd != null) {
            for (int member = 0; member < etcd.size(); member++) {
                etcd.kill(member);
            }
        } else {
            zooKeeper.stop();
        }
    }

    /** The DCS comes back with its data, and serves again. */
    void restartDcs() {
        if (etcd != null) {
            etcd.startStopped();
            etcd.awaitHealthy(Duration.ofSeconds(30));
        } else {
            zooKeeper.restart();
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
        if (mode.promisesNoLoss()) {
            awaitSynchronousStandby(leader);
        }
        try {
            WriteWorkload.createTable(leader);
        } catch (SQLException e) {
            throw new AssertionError("creating the workload table on " + leader.name + ": " + e.getMessage(), e);
        }
        return leader;
    }

    /**
     * Until the leader names a standby in the {@code sync} key, commits are local only and no replica may be
     * promoted: a fault then would blame the mode for a loss it never promised to prevent, or find no candidate.
     * So wait for PostgreSQL to wait for a standby on commit, and for every node to see the key name one (each node
     * decides from its own read of the DCS, a loop behind the leader at most).
     */
    private void awaitSynchronousStandby(TestNode leader) {
        cluster.await(
                failoverBound(),
                leader.name + " waiting for a synchronous standby on commit",
                () -> TestCluster.tryQueryOne(leader, SYNCHRONOUS_STANDBYS)
                        .map(n -> Integer.parseInt(n) > 0)
                        .orElse(false));
        cluster.await(
                failoverBound(),
                "every node seeing a synchronous standby of " + leader.name + " in the sync key",
                () -> cluster.nodes.stream()
                        .allMatch(n -> !synchronousStandbys(n).isEmpty()));
    }

    /**
     * The members {@code node}'s {@code /cluster} lists as synchronous or quorum standbys: asked of the leader, the
     * only ones that may take over in a synchronous mode.
     */
    static List<String> synchronousStandbys(TestNode node) {
        List<String> names = new ArrayList<>();
        node.getJson("/cluster")
                .ifPresent(json -> json.path("members").forEach(m -> {
                    String role = m.path("role").asText();
                    if (role.equals("sync_standby") || role.equals("quorum_standby")) {
                        names.add(m.path("name").asText());
                    }
                }));
        return names;
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

    /** Closes a bed a benchmark holds (null when none), saying rather than throwing what went wrong. */
    static void closeQuietly(FaultBed bed) {
        if (bed != null) {
            try {
                bed.close();
            } catch (RuntimeException e) {
                System.out.println("   closing the cluster: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        Resources.closeAll(haproxy, cluster, dcsServer);
    }
}
