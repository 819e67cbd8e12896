package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bellwether.testkit.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code synchronous_mode: on} on three real nodes: the leader names a streaming replica in the {@code sync} key and
 * in {@code synchronous_standby_names}, and only that replica answers {@code /sync}; a synchronous standby stopped by
 * SIGTERM to its agent, or restarted through {@code POST /restart} in strict mode, is released first, so the primary
 * waits for the other replica before it goes and no commit stalls; in strict mode, with no replica left, a commit
 * waits instead of being acknowledged; in quorum mode every replica is a voter. The tests run in order on one
 * cluster. Faults under writes in both modes are {@link SyncLostWriteIT}'s and {@link QuorumLostWriteIT}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncModeIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Duration LOOP_WAIT = Duration.ofSeconds(TestCluster.Timing.FAST.loopWait());
    private static final String STANDBY_NAMES =
            "SELECT setting FROM pg_settings WHERE name = 'synchronous_standby_names'";

    private EtcdCluster etcd;
    private TestCluster cluster;
    /** The synchronous standby before the crash, and the replica left out. */
    private TestNode syncStandby;

    private TestNode asyncReplica;

    @BeforeAll
    void start() {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-sync", etcd.hostPorts(), 3, TestCluster.Timing.FAST);
        for (TestNode node : cluster.nodes) {
            String yaml = Rest.withAuthentication(cluster.configFor(node))
                    .replace(
                            "    maximum_lag_on_failover: 1048576\n",
                            "    maximum_lag_on_failover: 1048576\n    synchronous_mode: on\n");
            node.writeConfig(yaml);
        }
        cluster.startAll();
        TestNode leader = cluster.awaitLeader(OpsCluster.UP);
        cluster.awaitStreaming(leader, 2, OpsCluster.UP);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    @Order(1)
    void syncKey_namesAStreamingReplica_andOnlyItAnswersSync() throws SQLException {
        TestNode leader = cluster.awaitLeader(SETTLE);
        String name = awaitSyncStandby(leader);
        syncStandby = cluster.node(name);
        asyncReplica = cluster.nodes.stream()
                .filter(n -> n != leader && n != syncStandby)
                .findFirst()
                .orElseThrow();

        assertThat(TestCluster.queryOne(leader, STANDBY_NAMES)).contains(name);
        assertThat(TestCluster.queryOne(
                        leader, "SELECT sync_state FROM pg_stat_replication WHERE application_name = '" + name + "'"))
                .contains("sync");
        // Each node answers from its own last read of the DCS, one loop at most behind the leader's.
        cluster.await(SETTLE, name + " answering /sync", () -> syncStandby.status("GET", "/sync") == 200);
        assertThat(syncStandby.status("GET", "/synchronous")).isEqualTo(200);
        assertThat(syncStandby.status("GET", "/async")).isEqualTo(503);
        assertThat(asyncReplica.status("GET", "/sync")).isEqualTo(503);
        assertThat(asyncReplica.status("GET", "/asynchronous")).isEqualTo(200);
        assertThat(leader.status("GET", "/sync")).isEqualTo(503);
        assertThat(leader.status("GET", "/read-only-sync")).isEqualTo(200);
        assertThat(syncStandby.status("GET", "/read-only-sync")).isEqualTo(200);
        assertThat(asyncReplica.status("GET", "/read-only-sync")).isEqualTo(503);

        JsonNode members = leader.getJson("/cluster").orElseThrow().path("members");
        for (JsonNode m : members) {
            String expected = m.path("name").asText().equals(leader.name)
                    ? "leader"
                    : m.path("name").asText().equals(name) ? "sync_standby" : "replica";
            assertThat(m.path("role").asText()).as(m.toString()).isEqualTo(expected);
        }
        System.out.printf(
                "commit latency on %s: synchronous %.2f ms, local only %.2f ms (mean of 300)%n",
                leader.name, commitMillis(leader, "on"), commitMillis(leader, "local"));
    }

    @Test
    @Order(2)
    void syncStandbyShutDownByItsAgent_isReleasedFirst_soCommitsDoNotStall() throws Exception {
        TestNode leader = cluster.awaitLeader(SETTLE);
        TestNode standby = cluster.node(awaitSyncStandby(leader));
        try {
            stopWhileWriting(leader, standby, 2_000_000, "SIGTERM", () -> {
                standby.signalAgent("TERM");
                assertThat(standby.agent().waitFor(Duration.ofSeconds(30)))
                        .as("agent of " + standby.name + " exited")
                        .isTrue();
            });
            assertThat(standby.agentLog()).contains("advertising nosync").contains("released by the leader");
        } finally {
            // The tests after this one need all three nodes.
            standby.startAgent();
        }
        awaitStreamingWithoutNosync(leader, standby);
    }

    @Test
    @Order(3)
    void strictMode_restartOfTheSyncStandby_releasesItFirst_andItComesBackWithoutNosync() throws Exception {
        TestNode leader = cluster.awaitLeader(SETTLE);
        patchConfig(leader, "{\"synchronous_mode_strict\": true}");
        TestNode standby = cluster.node(awaitSyncStandby(leader));
        try {
            stopWhileWriting(leader, standby, 3_000_000, "restart in strict mode", () -> {
                Rest.Reply restarted = Rest.call(standby, "POST", "/restart", "{}");
                assertThat(restarted.status()).as(restarted.body()).isEqualTo(200);
            });
            assertThat(standby.agentLog()).contains("released by the leader");
            awaitStreamingWithoutNosync(leader, standby);
        } finally {
            patchConfig(leader, "{\"synchronous_mode_strict\": false}");
        }
    }

    @Test
    @Order(4)
    void strictModeWithoutReplicas_commitsWaitInsteadOfBeingAcknowledged() throws Exception {
        TestNode leader = cluster.awaitLeader(SETTLE);
        AckedWriter.createTable(leader);
        patchConfig(leader, "{\"synchronous_mode_strict\": true}");
        syncStandby.crash();
        asyncReplica.crash();
        cluster.await(
                SETTLE,
                "synchronous_standby_names '*' on " + leader.name,
                () -> TestCluster.tryQueryOne(leader, STANDBY_NAMES).equals(Optional.of("*")));
        // The key was emptied before PostgreSQL was told '*'; /cluster shows it from the leader's next read.
        cluster.await(
                SETTLE,
                "no synchronous standby in /cluster",
                () -> leader.getJson("/cluster")
                        .map(j -> !j.path("members").toString().contains("sync_standby"))
                        .orElse(false));

        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            // No socket timeout: the client waits as long as the commit does.
            try (Connection c = DriverManager.getConnection(
                            "jdbc:postgresql://127.0.0.1:" + leader.pgPort + "/postgres?connectTimeout=3",
                            "postgres",
                            TestNode.SUPERUSER_PASSWORD);
                    Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + AckedWriter.TABLE + " VALUES (-1)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            commit.get(6, TimeUnit.SECONDS);
            throw new AssertionError("a commit was acknowledged with no replica to receive it");
        } catch (TimeoutException expected) {
            // Waiting for a standby, as strict mode promises.
        }
        asyncReplica.startAgent();
        commit.get(SETTLE.toSeconds(), TimeUnit.SECONDS);
        syncStandby.startAgent();
        assertThat(TestCluster.queryOne(asyncReplica, "SELECT count(*) FROM " + AckedWriter.TABLE + " WHERE id = -1"))
                .contains("1");
    }

    @Test
    @Order(5)
    void quorumMode_makesEveryReplicaAVoter() throws Exception {
        TestNode leader = cluster.awaitLeader(SETTLE);
        cluster.awaitStreaming(leader, 2, OpsCluster.UP);
        patchConfig(leader, "{\"synchronous_mode\": \"quorum\", \"synchronous_mode_strict\": false}");
        List<TestNode> replicas = cluster.nodes.stream()
                .filter(n -> n != leader)
                .sorted((a, b) -> a.name.compareTo(b.name))
                .toList();
        String expected = "ANY 1 (" + replicas.get(0).name + "," + replicas.get(1).name + ")";
        cluster.await(
                SETTLE,
                "synchronous_standby_names " + expected,
                () -> TestCluster.tryQueryOne(leader, STANDBY_NAMES).equals(Optional.of(expected)));
        cluster.await(
                SETTLE,
                "both replicas answering /quorum",
                () -> replicas.stream().allMatch(r -> r.status("GET", "/quorum") == 200));
        assertThat(leader.status("GET", "/quorum")).isEqualTo(503);
        assertThat(leader.status("GET", "/read-only-quorum")).isEqualTo(200);
        for (JsonNode m : leader.getJson("/cluster").orElseThrow().path("members")) {
            String role = m.path("name").asText().equals(leader.name) ? "leader" : "quorum_standby";
            assertThat(m.path("role").asText()).as(m.toString()).isEqualTo(role);
        }
    }

    /**
     * Stops the synchronous {@code standby} ({@code stop} returns once it was asked to) while a client writes through
     * {@code leader}, and checks that the primary waited for the other replica before {@code standby} went, and that
     * no commit waited anywhere near loop_wait. Prints the longest wait for an acknowledgement.
     */
    private void stopWhileWriting(TestNode leader, TestNode standby, long firstId, String how, Runnable stop)
            throws Exception {
        TestNode other = cluster.nodes.stream()
                .filter(n -> n != leader && n != standby)
                .findFirst()
                .orElseThrow();
        cluster.awaitStreaming(leader, 2, SETTLE);
        AckedWriter.createTable(leader);
        Duration longestStall;
        Optional<Long> otherSync;
        Optional<Long> standbyGone;
        try (AckedWriter writer = AckedWriter.start(leader.pgPort, firstId);
                StandbyStateWatch watch = StandbyStateWatch.start(leader)) {
            cluster.await(SETTLE, "100 acknowledged writes", () -> writer.acks().size() >= 100);
            long began = System.nanoTime();
            stop.run();
            cluster.await(
                    SETTLE,
                    standby.name + " gone from pg_stat_replication",
                    () -> watch.firstGone(standby.name).isPresent());
            // A commit still waiting for the standby would wait until the leader's next cycle: look that far.
            Thread.sleep(LOOP_WAIT.plusSeconds(1).toMillis());
            longestStall = writer.longestGap(began, System.nanoTime());
            otherSync = watch.firstSync(other.name);
            standbyGone = watch.firstGone(standby.name);
        }
        System.out.printf(
                "%s of synchronous standby %s: longest commit stall %d ms; %s synchronous %s ms before %s went%n",
                how,
                standby.name,
                longestStall.toMillis(),
                other.name,
                otherSync
                        .map(t -> String.valueOf((standbyGone.get() - t) / 1_000_000))
                        .orElse("never"),
                standby.name);
        assertThat(otherSync).as(other.name + " synchronous on the primary").isPresent();
        assertThat(otherSync.get())
                .as("%s synchronous before %s left pg_stat_replication", other.name, standby.name)
                .isLessThan(standbyGone.get());
        assertThat(longestStall).isLessThan(LOOP_WAIT.dividedBy(2));
        cluster.await(
                SETTLE,
                "the sync key naming " + other.name,
                () -> syncStandbyOf(leader).equals(Optional.of(other.name)));
    }

    /** {@code standby} streams again and its member key carries its configured tags, without nosync. */
    private void awaitStreamingWithoutNosync(TestNode leader, TestNode standby) {
        cluster.awaitStreaming(leader, 2, SETTLE);
        cluster.await(
                SETTLE,
                standby.name + " in /cluster without nosync",
                () -> leader.getJson("/cluster")
                        .map(j -> {
                            for (JsonNode m : j.path("members")) {
                                if (m.path("name").asText().equals(standby.name)) {
                                    return !m.path("tags").path("nosync").asBoolean(false)
                                            && m.path("state").asText().equals("streaming");
                                }
                            }
                            return false;
                        })
                        .orElse(false));
    }

    private static void patchConfig(TestNode leader, String patch) {
        Rest.Reply patched = Rest.call(leader, "PATCH", "/config", patch);
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    }

    /** Waits until the {@code sync} key, as {@code /cluster} on {@code leader} shows it, names a standby. */
    private String awaitSyncStandby(TestNode leader) {
        String[] found = new String[1];
        cluster.await(SETTLE, "a synchronous standby of " + leader.name, () -> {
            Optional<String> named = syncStandbyOf(leader);
            named.ifPresent(name -> found[0] = name);
            return named.isPresent();
        });
        return found[0];
    }

    /**
     * The standby the {@code sync} key names, as {@code /cluster} on {@code leader} shows it now. A leader just
     * promoted shows the cluster as it read it before taking the lock, where the key may still name itself: not its
     * standby.
     */
    private static Optional<String> syncStandbyOf(TestNode leader) {
        Optional<JsonNode> seen = leader.getJson("/cluster");
        if (seen.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode m : seen.get().path("members")) {
            if (m.path("role").asText().equals("sync_standby")
                    && !m.path("name").asText().equals(leader.name)) {
                return Optional.of(m.path("name").asText());
            }
        }
        return Optional.empty();
    }

    /** Mean time of one autocommit INSERT with {@code synchronous_commit} set as given. */
    private static double commitMillis(TestNode node, String synchronousCommit) throws SQLException {
        try (Connection c = node.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS commit_latency (id bigint)");
            s.execute("SET synchronous_commit = " + synchronousCommit);
            int rounds = 300;
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                s.execute("INSERT INTO commit_latency VALUES (" + i + ")");
            }
            return (System.nanoTime() - start) / 1e6 / rounds;
        }
    }
}
