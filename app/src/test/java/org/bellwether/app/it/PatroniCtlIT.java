package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwether.testkit.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Debian's {@code patronictl} (Patroni's own client) operating a Bellwether cluster of two real nodes through the DCS
 * and the REST API, with a configuration file that names only etcd, the scope and the REST credentials (under {@code restapi}, where
 * patronictl 3.0 reads them): what an
 * operator migrating from Patroni keeps using. Each command is checked by its effect, not only by its exit code. The
 * tests run in order on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniCtlIT {
    private static final Path PATRONICTL = Path.of("/usr/bin/patronictl");
    private static final String SCOPE = "it-patronictl";
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String START_TIME = "SELECT pg_postmaster_start_time()::text";

    private EtcdCluster etcd;
    private TestCluster cluster;
    private CtlRunner runner;
    private Path config;

    @BeforeAll
    void start() throws Exception {
        assertThat(PATRONICTL)
                .as("Debian's patroni package provides patronictl")
                .isExecutable();
        etcd = EtcdCluster.startCluster(1);
        cluster = OpsCluster.start(SCOPE, etcd.hostPorts(), 2, Map.of());
        runner = new CtlRunner(cluster.dir);
        config = Files.writeString(cluster.dir.resolve("patronictl.yaml"), """
                scope: %s
                namespace: /service/
                etcd3:
                  hosts: %s
                restapi:
                  authentication:
                    username: %s
                    password: %s
                """.formatted(
                        SCOPE, String.join(",", etcd.hostPorts()), Rest.USER, Rest.PASSWORD));
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

    /** Runs patronictl; a non-zero exit or a reported failure fails the test with its output. */
    private String patronictl(String... args) {
        List<String> command = new ArrayList<>(List.of(PATRONICTL.toString(), "-c", config.toString()));
        command.addAll(List.of(args));
        CtlRunner.Result result = runner.exec(Duration.ofSeconds(120), command);
        assertThat(result.exit()).as(result.toString()).isZero();
        // patronictl reports some refusals (a 401 from a member, say) on its output and still exits with 0.
        assertThat(result.out()).as(result.toString()).doesNotContain("Failed");
        return result.out();
    }

    private TestNode leader() {
        return cluster.awaitLeader(SETTLE);
    }

    private TestNode replica() {
        TestNode leader = leader();
        return cluster.nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    }

    private JsonNode dcsConfig() {
        return Rest.call(leader(), "GET", "/config", null).json();
    }

    @Test
    @Order(1)
    void list_showsTheLeaderAndTheStreamingReplica() {
        TestNode leader = leader();
        TestNode replica = replica();
        cluster.await(SETTLE, "patronictl list showing the replica streaming", () -> {
            String out = patronictl("list");
            return out.contains("Cluster: " + SCOPE)
                    && out.matches("(?s).*\\| " + leader.name + " +\\| 127\\.0\\.0\\.1:" + leader.pgPort
                            + " +\\| Leader +\\| running .*")
                    && out.matches("(?s).*\\| " + replica.name + " +\\| 127\\.0\\.0\\.1:" + replica.pgPort
                            + " +\\| Replica +\\| (streaming|running) .*");
        });
    }

    @Test
    @Order(2)
    void switchover_handsTheLeaderKeyToTheCandidate() {
        TestNode leader = leader();
        TestNode candidate = replica();

        patronictl("switchover", "--leader", leader.name, "--candidate", candidate.name, "--force");

        cluster.await(SETTLE, candidate.name + " leading", () -> leader() == candidate);
        cluster.awaitStreaming(candidate, 1, SETTLE);
    }

    @Test
    @Order(3)
    void history_showsTheSwitchover() {
        TestNode leader = leader();
        String out = patronictl("history");
        assertThat(out).containsPattern("\\| +1 \\| +\\d+ \\| .* \\| " + leader.name + " +\\|");
    }

    @Test
    @Order(4)
    void pauseAndResume_setAndClearTheClusterPause() {
        patronictl("pause");
        // GET /config answers from the node's last read of the DCS, as Patroni's does: the key shows a cycle later.
        cluster.await(
                SETTLE,
                "the config key with pause",
                () -> dcsConfig().path("pause").asBoolean(false));
        for (TestNode node : cluster.nodes) {
            cluster.await(
                    SETTLE,
                    node.name + " reporting pause",
                    () -> node.getJson("/patroni")
                            .map(j -> j.path("pause").asBoolean(false))
                            .orElse(false));
        }
        assertThat(patronictl("list")).contains("Maintenance mode: on");

        patronictl("resume");
        cluster.await(
                SETTLE,
                "the config key without pause",
                () -> !dcsConfig().path("pause").asBoolean(false));
        for (TestNode node : cluster.nodes) {
            cluster.await(
                    SETTLE,
                    node.name + " no longer paused",
                    () -> node.getJson("/patroni")
                            .map(j -> !j.path("pause").asBoolean(false))
                            .orElse(false));
        }
    }

    @Test
    @Order(5)
    void editConfig_writesTheDcsAndTheAgentsApplyIt_evenATimingTheyAdjust() {
        patronictl("edit-config", "--force", "-s", "loop_wait=3", "-p", "work_mem=5MB");

        // GET /config answers from the node's last read of the DCS (as Patroni's does), a loop behind at most.
        cluster.await(
                SETTLE,
                "loop_wait 3 in GET /config",
                () -> dcsConfig().path("loop_wait").asInt() == 3);
        JsonNode written = dcsConfig();
        assertThat(written.path("loop_wait").asInt()).isEqualTo(3);
        assertThat(written.at("/postgresql/parameters/work_mem").asText()).isEqualTo("5MB");
        assertThat(written.path("ttl").asInt()).as("the rest kept").isEqualTo(10);
        for (TestNode node : cluster.nodes) {
            cluster.await(
                    SETTLE,
                    "work_mem 5MB on " + node.name,
                    () -> TestCluster.tryQueryOne(node, "SHOW work_mem")
                            .filter("5MB"::equals)
                            .isPresent());
        }
        assertThat(patronictl("show-config")).contains("loop_wait: 3");

        // loop_wait 3 + 2 * retry_timeout 4 exceeds ttl 10: every node adjusts it, as Patroni does, and the API still
        // takes changes to other keys, so maintenance mode can be switched on and off.
        assertThat(patronictl("pause", "--wait")).contains("Success: cluster management is paused");
        assertThat(patronictl("resume", "--wait")).contains("Success: cluster management is resumed");
    }

    @Test
    @Order(6)
    void restart_restartsTheNamedMemberAndKeepsTheLeader() {
        TestNode leader = leader();
        TestNode replica = replica();
        String before = TestCluster.queryOne(replica, START_TIME).orElseThrow();

        patronictl("restart", "--force", SCOPE, replica.name);

        cluster.await(
                SETTLE,
                replica.name + " restarted",
                () -> TestCluster.tryQueryOne(replica, START_TIME)
                        .filter(t -> !t.equals(before))
                        .isPresent());
        assertThat(leader()).isEqualTo(leader);
        cluster.awaitStreaming(leader, 1, SETTLE);
    }
}
