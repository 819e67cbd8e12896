package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.Signals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Operating three real nodes: restart now and scheduled, reload of the local file, dynamic configuration with a
 * parameter that needs a restart, reinitialize of a replica, and pause: no failover while paused with the primary's
 * agent stopped, then a failover to a named candidate without a leader. The tests run in order on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String START_TIME = "SELECT pg_postmaster_start_time()::text";

    private EtcdCluster etcd;
    private TestCluster cluster;

    @BeforeAll
    void start() {
        etcd = EtcdCluster.startCluster(1);
        cluster = OpsCluster.start("it-operations", etcd.hostPorts(), 3, Map.of());
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

    private TestNode leader() {
        return cluster.awaitLeader(SETTLE);
    }

    private List<TestNode> replicas() {
        TestNode leader = leader();
        return cluster.nodes.stream().filter(n -> n != leader).toList();
    }

    private static String startTime(TestNode node) {
        return TestCluster.queryOne(node, START_TIME).orElseThrow();
    }

    @Test
    @Order(1)
    void restartNow_onAReplicaAndOnTheLeader_answersOnceDoneAndKeepsTheLeader() {
        TestNode leader = leader();
        for (TestNode node : List.of(replicas().get(0), leader)) {
            String before = startTime(node);
            Rest.Reply reply = Rest.call(node, "POST", "/restart", "{}");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("restarted successfully");
            assertThat(startTime(node)).isNotEqualTo(before);
        }
        assertThat(leader()).isEqualTo(leader);
        cluster.awaitStreaming(leader, 2, SETTLE);
        assertThat(Rest.call(leader, "DELETE", "/restart", null).status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void scheduledRestart_happensAtItsTimeAndIsShownMeanwhile() {
        TestNode replica = replicas().get(1);
        String before = startTime(replica);
        Instant at = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
        Rest.Reply reply = Rest.call(replica, "POST", "/restart", "{\"schedule\": \"" + at + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        assertThat(Rest.call(replica, "POST", "/restart", "{\"schedule\": \"" + at.plusSeconds(60) + "\"}")
                        .status())
                .isEqualTo(409);
        cluster.await(
                Duration.ofSeconds(10),
                "scheduled_restart in /patroni",
                () -> replica.getJson("/patroni")
                        .map(j -> j.has("scheduled_restart"))
                        .orElse(false));
        cluster.await(
                Duration.ofSeconds(40),
                "the scheduled restart",
                () -> TestCluster.tryQueryOne(replica, START_TIME)
                        .filter(t -> !t.equals(before))
                        .isPresent());
        Instant restarted = Instant.ofEpochMilli(Long.parseLong(
                TestCluster.queryOne(replica, "SELECT (extract(epoch FROM pg_postmaster_start_time()) * 1000)::bigint")
                        .orElseThrow()));
        assertThat(restarted).isAfterOrEqualTo(at.minusSeconds(1));
        assertThat(Duration.between(at, restarted)).isLessThan(Duration.ofSeconds(2 + 8));

        Rest.Reply later = Rest.call(
                replica, "POST", "/restart", "{\"schedule\": \"" + Instant.now().plusSeconds(600) + "\"}");
        assertThat(later.status()).isEqualTo(202);
        assertThat(Rest.call(replica, "DELETE", "/restart", null).status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void reload_rereadsTheLocalFileAndReloadsPostgres() throws Exception {
        TestNode replica = replicas().get(0);
        String yaml = Files.readString(replica.configFile);
        replica.writeConfig(
                yaml.replace("    shared_buffers: 16MB\n", "    shared_buffers: 16MB\n    work_mem: 7MB\n"));
        Rest.Reply reply = Rest.call(replica, "POST", "/reload", null);
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.body()).isEqualTo("reload scheduled");
        cluster.await(
                Duration.ofSeconds(20),
                "work_mem 7MB after reload",
                () -> TestCluster.tryQueryOne(replica, "SHOW work_mem")
                        .filter("7MB"::equals)
                        .isPresent());
    }

    @Test
    @Order(4)
    void patchConfig_reloadsWhatItCanAndShowsPendingRestartForTheRest() {
        TestNode leader = leader();
        Rest.Reply bad = Rest.call(leader, "PATCH", "/config", "{\"loop_wait\": \"often\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("loop_wait");

        Rest.Reply reply = Rest.call(
                leader,
                "PATCH",
                "/config",
                "{\"postgresql\": {\"parameters\": {\"log_min_duration_statement\": 1234, \"max_connections\": 50}}}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().at("/postgresql/parameters/max_connections").asInt())
                .isEqualTo(50);
        assertThat(reply.json().at("/postgresql/use_pg_rewind").asBoolean())
                .as("merged, not replaced")
                .isTrue();
        for (TestNode node : cluster.nodes) {
            cluster.await(
                    Duration.ofSeconds(30),
                    "log_min_duration_statement on " + node.name,
                    () -> TestCluster.tryQueryOne(node, "SHOW log_min_duration_statement")
                            .filter("1234ms"::equals)
                            .isPresent());
            cluster.await(
                    Duration.ofSeconds(30),
                    "pending_restart on " + node.name,
                    () -> node.getJson("/patroni")
                            .map(j -> j.path("pending_restart").asBoolean(false)
                                    && j.at("/pending_restart_reason/max_connections/new_value")
                                            .asText()
                                            .equals("50"))
                            .orElse(false));
        }
        // pg_hba from the dynamic configuration, as in Patroni's sample: written and reloaded on every node.
        Rest.Reply hba = Rest.call(
                leader,
                "PATCH",
                "/config",
                "{\"postgresql\": {\"pg_hba\": [\"host all probe 127.0.0.1/32 reject\", \"local all all trust\","
                        + " \"host all all 127.0.0.1/32 md5\", \"host replication replicator 127.0.0.1/32 md5\"]}}");
        assertThat(hba.status()).as(hba.body()).isEqualTo(200);
        for (TestNode node : cluster.nodes) {
            cluster.await(
                    Duration.ofSeconds(30), "pg_hba.conf rejecting probe on " + node.name, () -> rejectsProbe(node));
        }
        TestNode replica = replicas().get(0);
        Rest.Reply restart = Rest.call(replica, "POST", "/restart", "{\"restart_pending\": true}");
        assertThat(restart.status()).as(restart.body()).isEqualTo(200);
        assertThat(TestCluster.queryOne(replica, "SHOW max_connections")).contains("50");
        cluster.await(
                Duration.ofSeconds(30),
                "pending_restart cleared on " + replica.name,
                () -> replica.getJson("/patroni")
                        .map(j -> !j.has("pending_restart"))
                        .orElse(false));
    }

    private static boolean rejectsProbe(TestNode node) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + node.pgPort + "/postgres?connectTimeout=3", "probe", "x")) {
            return false;
        } catch (java.sql.SQLException e) {
            return String.valueOf(e.getMessage()).contains("pg_hba.conf rejects connection");
        }
    }

    @Test
    @Order(5)
    void putConfig_replacesTheConfigurationAsGiven() {
        TestNode leader = leader();
        JsonNode config = Rest.call(leader, "GET", "/config", null).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) config).put("maximum_lag_on_failover", 2097152);
        Rest.Reply reply = Rest.call(leader, "PUT", "/config", config.toString());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        cluster.await(
                Duration.ofSeconds(10),
                "the new config",
                () -> leader.getJson("/config")
                        .map(j -> j.path("maximum_lag_on_failover").asLong() == 2097152)
                        .orElse(false));
    }

    @Test
    @Order(6)
    void reinitializeAReplica_clonesItAgainAndItStreams() throws Exception {
        TestNode leader = leader();
        TestNode replica = replicas().get(1);
        Path marker = replica.dataDir.resolve("bellwether-it-marker");
        Files.writeString(marker, "gone after a new clone");
        Rest.Reply refused = Rest.call(leader, "POST", "/reinitialize", "{}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("I am the leader, can not reinitialize");

        Rest.Reply reply = Rest.call(replica, "POST", "/reinitialize", "{\"from_leader\": true}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("reinitialize started");
        cluster.await(
                SETTLE,
                "the clone to replace the data directory",
                () -> !Files.exists(marker)
                        && TestCluster.tryQueryOne(replica, "SELECT pg_is_in_recovery()")
                                .filter("t"::equals)
                                .isPresent());
        cluster.awaitStreaming(leader, 2, SETTLE);
    }

    @Test
    @Order(7)
    void paused_noFailoverWithThePrimarysAgentStopped_thenFailoverToANamedCandidate() throws Exception {
        TestNode old = leader();
        TestNode candidate = replicas().get(0);
        Rest.Reply paused = Rest.call(old, "PATCH", "/config", "{\"pause\": true}");
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        for (TestNode node : cluster.nodes) {
            cluster.await(
                    Duration.ofSeconds(20),
                    node.name + " says paused",
                    () -> node.getJson("/patroni")
                            .map(j -> j.path("pause").asBoolean(false))
                            .orElse(false));
        }
        assertThat(old.getJson("/cluster").orElseThrow().path("pause").asBoolean())
                .isTrue();
        assertThat(Rest.call(old, "GET", "/metrics", null).body())
                .contains("patroni_is_paused{scope=\"it-operations\"");
        assertThat(Rest.call(old, "GET", "/metrics", null).body()).containsPattern("patroni_is_paused\\{[^}]*\\} 1");

        old.signalAgent("TERM");
        assertThat(old.agent().waitFor(Duration.ofSeconds(60))).isTrue();
        assertThat(old.postmasterPid()).as("paused: PostgreSQL left running").isPresent();
        // ttl 10 s: the lock expires; nobody may take it while paused.
        cluster.await(
                Duration.ofSeconds(30),
                "the leader key to expire",
                () -> OpsCluster.leaderSeenBy(candidate).isEmpty());
        long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        while (System.nanoTime() < until) {
            for (TestNode r : replicas(old)) {
                assertThat(TestCluster.tryQueryOne(r, "SELECT pg_is_in_recovery()"))
                        .as(r.name + " stays a replica while paused")
                        .isNotEqualTo(Optional.of("f"));
            }
            Thread.sleep(500);
        }

        // The operator stops the old primary, then fails over by hand.
        long pid = old.postmasterPid().orElseThrow();
        Signals.send(pid, "INT");
        cluster.await(
                Duration.ofSeconds(30),
                "the old primary to stop",
                () -> old.postmasterPid().isEmpty());
        Rest.Reply failover = Rest.call(candidate, "POST", "/failover", "{\"candidate\": \"" + candidate.name + "\"}");
        assertThat(failover.status()).as(failover.body()).isEqualTo(200);
        assertThat(failover.body()).isEqualTo("Successfully failed over to \"" + candidate.name + "\"");

        Rest.Reply resumed = Rest.call(candidate, "PATCH", "/config", "{\"pause\": null}");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        old.startAgent();
        cluster.awaitStreaming(candidate, 2, SETTLE);
        assertThat(candidate.getJson("/patroni").orElseThrow().has("pause")).isFalse();
    }

    private List<TestNode> replicas(TestNode except) {
        return cluster.nodes.stream().filter(n -> n != except).toList();
    }
}
