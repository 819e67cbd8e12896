package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.agent.rest.Snapshots.NOW;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.TreeSet;
import org.bellwether.core.slots.SlotReport;
import org.bellwether.core.slots.SlotType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The read endpoints over HTTP: {@code /patroni}, the health checks, {@code /cluster}, {@code /history},
 * {@code /config} and {@code /metrics}, against hand-built snapshots.
 */
class ReadEndpointsTest {
    private static TestServer server;

    /** A physical slot a backup tool left, and a logical one whose name needs escaping in a label. */
    private static final SlotReport UNOWNED = new SlotReport(
            List.of(
                    new SlotReport.UnownedSlot("backup_tool", SlotType.PHYSICAL, false, 64L << 20),
                    new SlotReport.UnownedSlot("cdc_\"x", SlotType.LOGICAL, true, 0)),
            new TreeSet<>(),
            new TreeSet<>());

    private static final SlotReport LOGICAL_PENDING =
            new SlotReport(List.of(), new TreeSet<>(List.of("cdc")), new TreeSet<>(List.of("search", "audit")));

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer(router -> {});
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    // --- GET /patroni ---

    @Test
    void patroniOnPrimary_reportsRoleLocationTimelineAndIdentity() throws Exception {
        HttpResponse<String> response = server.send("GET", "/patroni");
        JsonNode json = TestServer.json(response);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json.path("state").asText()).isEqualTo("running");
        assertThat(json.path("role").asText()).isEqualTo("primary");
        assertThat(json.path("server_version").asInt()).isEqualTo(160004);
        assertThat(json.path("postmaster_start_time").asText()).isEqualTo("2024-05-01 10:00:00.250000+00:00");
        assertThat(json.path("xlog").path("location").asLong()).isEqualTo(Snapshots.OPTIME);
        assertThat(json.path("xlog").has("replayed_location")).isFalse();
        assertThat(json.path("timeline").asInt()).isEqualTo(3);
        assertThat(json.path("dcs_last_seen").asLong()).isEqualTo(Snapshots.DCS_SEEN.getEpochSecond());
        assertThat(json.path("database_system_identifier").asText()).isEqualTo("7300000000000000001");
        assertThat(json.has("cluster_unlocked")).isFalse();
        assertThat(json.has("pause")).isFalse();
        assertThat(json.path("replication").get(0).path("application_name").asText())
                .isEqualTo("node2");
        assertThat(json.path("replication").get(0).path("sync_state").asText()).isEqualTo("sync");
        assertThat(json.path("patroni").path("version").asText()).isEqualTo("4.0.3");
        assertThat(json.path("patroni").path("scope").asText()).isEqualTo("demo");
        assertThat(json.path("patroni").path("name").asText()).isEqualTo("node1");
    }

    @Test
    void patroniOnStreamingSyncReplica_reportsReceivedAndReplayedPositions() throws Exception {
        server.serve(Snapshots::streamingReplica);

        JsonNode json = TestServer.json(server.send("GET", "/patroni"));

        assertThat(json.path("role").asText()).isEqualTo("replica");
        assertThat(json.path("xlog").has("location")).isFalse();
        assertThat(json.path("xlog").path("received_location").asLong()).isEqualTo(Snapshots.OPTIME);
        assertThat(json.path("xlog").path("replayed_location").asLong()).isEqualTo(Snapshots.OPTIME - 100);
        assertThat(json.path("xlog").has("replayed_timestamp")).isTrue();
        assertThat(json.path("xlog").has("paused")).isTrue();
        assertThat(json.path("replication_state").asText()).isEqualTo("streaming");
        assertThat(json.path("sync_standby").asBoolean()).isTrue();
    }

    @Test
    void patroniOnStoppedNode_reportsStateAndLastPublishedRoleWithoutXlog() throws Exception {
        server.serve(Snapshots::stopped);

        JsonNode json = TestServer.json(server.send("GET", "/patroni"));

        assertThat(json.path("state").asText()).isEqualTo("stopped");
        assertThat(json.path("role").asText()).isEqualTo("replica");
        assertThat(json.has("xlog")).isFalse();
        assertThat(json.has("timeline")).isFalse();
        assertThat(json.path("patroni").path("name").asText()).isEqualTo("node5");
    }

    @Test
    void patroniWithTagsPauseAndNoDcs_reportsTagsPauseAndUnlocked() throws Exception {
        server.serve(() -> Snapshots.withoutDcs(Snapshots.paused(Snapshots.noLoadBalanceReplica())));

        JsonNode json = TestServer.json(server.send("GET", "/patroni"));

        assertThat(json.path("tags").path("noloadbalance").asBoolean()).isTrue();
        assertThat(json.path("tags").path("zone").asText()).isEqualTo("b");
        assertThat(json.path("pause").asBoolean()).isTrue();
        assertThat(json.path("cluster_unlocked").asBoolean()).isTrue();
    }

    @Test
    void patroniWithSlotsLeftAlone_listsThemWithTheWalTheyRetain() throws Exception {
        server.serve(() -> Snapshots.withSlots(Snapshots.primaryWithLock(), UNOWNED));

        JsonNode json = TestServer.json(server.send("GET", "/patroni"));

        JsonNode slots = json.path("unmanaged_slots");
        assertThat(slots.size()).isEqualTo(2);
        assertThat(slots.get(0).path("name").asText()).isEqualTo("backup_tool");
        assertThat(slots.get(0).path("type").asText()).isEqualTo("physical");
        assertThat(slots.get(0).path("active").asBoolean()).isFalse();
        assertThat(slots.get(0).path("retained_wal_bytes").asLong()).isEqualTo(64L << 20);
        assertThat(slots.get(1).path("type").asText()).isEqualTo("logical");
        assertThat(slots.get(1).path("active").asBoolean()).isTrue();
        assertThat(json.has("logical_slots")).isFalse();
        assertThat(json.has("logical_failover_safe")).isFalse();
        assertThat(json.path("role").asText()).isEqualTo("primary");
        assertThat(json.path("xlog").path("location").asLong()).isEqualTo(Snapshots.OPTIME);
    }

    @Test
    void patroniOnReplicaWithLogicalCopies_saysWhichAreReady() throws Exception {
        server.serve(() -> Snapshots.withSlots(Snapshots.streamingReplica(), LOGICAL_PENDING));

        JsonNode json = TestServer.json(server.send("GET", "/patroni"));

        assertThat(json.path("logical_slots").path("ready").toString()).isEqualTo("[\"cdc\"]");
        assertThat(json.path("logical_slots").path("not_ready").toString()).isEqualTo("[\"audit\",\"search\"]");
        assertThat(json.path("logical_failover_safe").isBoolean()).isTrue();
        assertThat(json.path("logical_failover_safe").asBoolean()).isFalse();
        assertThat(json.has("unmanaged_slots")).isFalse();

        server.serve(() -> Snapshots.withSlots(
                Snapshots.streamingReplica(),
                new SlotReport(List.of(), new TreeSet<>(List.of("cdc")), new TreeSet<>())));
        json = TestServer.json(server.send("GET", "/patroni"));

        assertThat(json.path("logical_slots").path("not_ready").size()).isZero();
        assertThat(json.path("logical_failover_safe").asBoolean()).isTrue();
    }

    @Test
    void patroniWithoutSlotsToReport_hasNoSlotFields() throws Exception {
        for (String node : List.of("primary", "replica")) {
            server.serve(() -> node.equals("primary") ? Snapshots.primaryWithLock() : Snapshots.streamingReplica());

            JsonNode json = TestServer.json(server.send("GET", "/patroni"));

            assertThat(json.has("unmanaged_slots")).as(node).isFalse();
            assertThat(json.has("logical_slots")).as(node).isFalse();
            assertThat(json.has("logical_failover_safe")).as(node).isFalse();
        }
    }

    // --- health checks ---

    @ParameterizedTest(name = "{0} GET {1} -> {2}")
    @CsvSource({
        "primary, /, 200",
        "primary, /primary, 200",
        "primary, /read-write, 200",
        "primary, /master, 200",
        "primary, /leader, 200",
        "primary, /standby-leader, 503",
        "primary, /replica, 503",
        "primary, /read-only, 200",
        "primary, /read-only-sync, 200",
        "primary, /health, 200",
        "replica, /primary, 503",
        "replica, /replica, 200",
        "replica, /replica?lag=1MB, 200",
        "replica, /replica?replication_state=streaming, 200",
        "replica, /read-only, 200",
        "replica, /sync, 200",
        "replica, /synchronous, 200",
        "replica, /async, 503",
        "replica, /read-only-sync, 200",
        "replica, /health, 200",
        "lagging, /replica, 200",
        "lagging, /replica?lag=1MB, 503",
        "lagging, /replica?lag=100MB, 200",
        "lagging, /async?lag=16MB, 503",
        "lagging, /async, 200",
        "lagging, /sync, 503",
        "noloadbalance, /replica, 503",
        "noloadbalance, /read-only, 503",
        "noloadbalance, /health?tag_zone=b, 200",
        "noloadbalance, /health?tag_zone=a, 503",
        "stopped, /replica, 503",
        "stopped, /health, 503",
        "stopped, /primary, 503"
    })
    void healthCheck_answersStatusWithStatusBody(String node, String path, int expected) throws Exception {
        server.serve(node);

        HttpResponse<String> response = server.send("GET", path);

        assertThat(response.statusCode()).isEqualTo(expected);
        assertThat(TestServer.json(response).path("patroni").path("scope").asText())
                .isEqualTo("demo");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        "primary, OPTIONS, /, 200",
        "primary, OPTIONS, /primary, 200",
        "replica, OPTIONS, /primary, 503",
        "primary, HEAD, /primary, 200",
        "replica, HEAD, /replica, 200",
        "lagging, HEAD, /replica?lag=16MB, 503",
        "primary, HEAD, /replica, 503",
        "primary, HEAD, /patroni, 200",
        "primary, OPTIONS, /liveness, 200"
    })
    void headAndOptions_answerStatusOnly(String node, String method, String path, int expected) throws Exception {
        server.serve(node);

        HttpResponse<String> response = server.send(method, path);

        assertThat(response.statusCode()).isEqualTo(expected);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void loopStuckPastLockDeadline_primaryTurns503WithoutANewSnapshot() throws Exception {
        assertThat(server.send("OPTIONS", "/primary").statusCode()).isEqualTo(200);

        server.clock(Snapshots.LOCK_DEADLINE);

        assertThat(server.send("OPTIONS", "/primary").statusCode()).isEqualTo(503);
        assertThat(server.send("GET", "/liveness").statusCode()).isEqualTo(200);

        server.clock(NOW.plus(Snapshots.TTL));

        assertThat(server.send("GET", "/liveness").statusCode()).isEqualTo(503);
    }

    @Test
    void livenessAndReadiness_answerStatusLineOnlyEvenToGet() throws Exception {
        server.serve(Snapshots::streamingReplica);

        HttpResponse<String> liveness = server.send("GET", "/liveness");
        HttpResponse<String> readiness = server.send("GET", "/readiness");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).isEmpty();
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).isEmpty();
    }

    @Test
    void laggingReplica_isNotReadyUnlessTheLagAllowanceCoversIt() throws Exception {
        server.serve(Snapshots::laggingReplica);

        assertThat(server.send("GET", "/readiness").statusCode()).isEqualTo(503);
        assertThat(server.send("GET", "/readiness?lag=128MB").statusCode()).isEqualTo(200);
        assertThat(server.send("GET", "/readiness?mode=write").statusCode()).isEqualTo(200);
    }

    // --- /cluster, /history, /config ---

    @Test
    void cluster_listsMembersSortedWithRolesLagsAndAddresses() throws Exception {
        HttpResponse<String> response = server.send("GET", "/cluster");
        JsonNode json = TestServer.json(response);
        JsonNode members = json.path("members");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.path("scope").asText()).isEqualTo("demo");
        assertThat(members.findValuesAsText("name")).containsExactly("node1", "node2", "node3", "node4", "node5");
        assertThat(members.findValuesAsText("role"))
                .containsExactly("leader", "sync_standby", "replica", "replica", "replica");
        JsonNode leader = members.get(0);
        assertThat(leader.path("state").asText()).isEqualTo("running");
        assertThat(leader.path("api_url").asText()).isEqualTo("http://127.0.0.1:8008/patroni");
        assertThat(leader.path("host").asText()).isEqualTo("127.0.0.1");
        assertThat(leader.path("port").asInt()).isEqualTo(5432);
        assertThat(leader.path("timeline").asInt()).isEqualTo(3);
        assertThat(leader.has("lag")).isFalse();
        JsonNode lagging = members.get(2);
        assertThat(lagging.path("state").asText()).isEqualTo("streaming");
        assertThat(lagging.path("receive_lag").asLong()).isZero();
        assertThat(lagging.path("replay_lag").asLong()).isEqualTo(64L << 20);
        assertThat(lagging.path("lag").asLong()).isZero();
        assertThat(lagging.path("replay_lsn").asText()).isEqualTo("0/2400000");
        assertThat(members.get(3).path("tags").path("zone").asText()).isEqualTo("b");
        JsonNode stopped = members.get(4);
        assertThat(stopped.path("state").asText()).isEqualTo("stopped");
        assertThat(stopped.path("lag").asText()).isEqualTo("unknown");
        assertThat(stopped.path("receive_lsn").asText()).isEqualTo("unknown");
        assertThat(json.has("pause")).isFalse();
    }

    @Test
    void clusterWhilePaused_saysPause() throws Exception {
        server.serve(() -> Snapshots.paused(Snapshots.primaryWithLock()));

        assertThat(TestServer.json(server.send("GET", "/cluster")).path("pause").asBoolean())
                .isTrue();
    }

    @Test
    void clusterBeforeAnyDcsRead_is503WithAnError() throws Exception {
        server.serve(() -> Snapshots.withoutDcs(Snapshots.primaryWithLock()));

        HttpResponse<String> response = server.send("GET", "/cluster");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(TestServer.json(response).path("error").asText()).contains("DCS");
    }

    @Test
    void history_isTheArrayOfLinesAsStored() throws Exception {
        JsonNode json = TestServer.json(server.send("GET", "/history"));

        assertThat(json.size()).isEqualTo(2);
        assertThat(json.get(0).toString()).isEqualTo("[1,50331808,\"no recovery target specified\"]");
        assertThat(json.get(1).toString())
                .isEqualTo("[2,83886240,\"no recovery target specified\",\"2024-05-01T11:00:00.000000+00:00\","
                        + "\"node1\"]");
    }

    @Test
    void config_isTheConfigKeyObject() throws Exception {
        HttpResponse<String> response = server.send("GET", "/config");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(response).path("ttl").asInt()).isEqualTo(30);
        assertThat(TestServer.json(response).path("synchronous_mode").asBoolean())
                .isTrue();
    }

    @Test
    void configWithoutConfigKey_is502() throws Exception {
        server.serve(() -> Snapshots.withoutConfig(Snapshots.primaryWithLock()));

        assertThat(server.send("GET", "/config").statusCode()).isEqualTo(502);
    }

    // --- /metrics ---

    @Test
    void metrics_exposePatroniNamesWithScopeAndNameLabels() throws Exception {
        HttpResponse<String> response = server.send("GET", "/metrics");
        String text = response.body();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String labels = "{scope=\"demo\",name=\"node1\"}";
        assertThat(text)
                .contains("patroni_version" + labels + " 040003\n")
                .contains("patroni_postgres_running" + labels + " 1\n")
                .contains("patroni_postmaster_start_time" + labels + " 1714557600.25\n")
                .contains("patroni_primary" + labels + " 1\n")
                .contains("patroni_xlog_location" + labels + " " + Snapshots.OPTIME + "\n")
                .contains("patroni_replica" + labels + " 0\n")
                .contains("patroni_postgres_server_version" + labels + " 160004\n")
                .contains("patroni_cluster_unlocked" + labels + " 0\n")
                .contains("patroni_postgres_timeline" + labels + " 3\n")
                .contains("patroni_dcs_last_seen" + labels + " " + Snapshots.DCS_SEEN.getEpochSecond() + "\n")
                .contains("patroni_postgres_state" + labels + " 5\n")
                .contains("# TYPE patroni_xlog_location counter\n")
                .contains("# TYPE patroni_primary gauge\n");
        for (String name : List.of(
                "patroni_standby_leader",
                "patroni_sync_standby",
                "patroni_quorum_standby",
                "patroni_xlog_received_location",
                "patroni_xlog_replayed_location",
                "patroni_xlog_replayed_timestamp",
                "patroni_xlog_paused",
                "patroni_postgres_streaming",
                "patroni_postgres_in_archive_recovery",
                "patroni_failsafe_mode_is_active",
                "patroni_failsafe_mode_enabled",
                "patroni_failsafe_member",
                "patroni_pending_restart",
                "patroni_is_paused",
                "patroni_failover_priority")) {
            assertThat(text).as(name).contains("# HELP " + name + " ").contains("\n" + name + labels + " ");
        }
        for (String line : text.split("\n")) {
            assertThat(line).matches("# .*|(patroni|bellwether)_[a-z_]+\\{scope=\"demo\",name=\"node1\"} -?[0-9.]+");
        }
    }

    @Test
    void metricsOnSyncReplica_markReplicaAndSyncStandby() throws Exception {
        server.serve(Snapshots::streamingReplica);

        String text = server.send("GET", "/metrics").body();

        String labels = "{scope=\"demo\",name=\"node2\"}";
        assertThat(text)
                .contains("patroni_replica" + labels + " 1\n")
                .contains("patroni_sync_standby" + labels + " 1\n")
                .contains("patroni_postgres_streaming" + labels + " 1\n")
                .contains("patroni_xlog_replayed_location" + labels + " " + (Snapshots.OPTIME - 100) + "\n");
    }

    @Test
    void metricsWithSlotsLeftAlone_exposeTheWalEachRetains_withSlotAndTypeLabels() throws Exception {
        server.serve(() -> Snapshots.withSlots(Snapshots.primaryWithLock(), UNOWNED));

        String text = server.send("GET", "/metrics").body();

        String name = "bellwether_unmanaged_slot_retained_wal_bytes";
        assertThat(text)
                .contains("# HELP " + name + " ")
                .contains("# TYPE " + name + " gauge\n")
                .contains(name + "{scope=\"demo\",name=\"node1\",slot=\"backup_tool\",type=\"physical\"} " + (64L << 20)
                        + "\n")
                .contains(name + "{scope=\"demo\",name=\"node1\",slot=\"cdc_\\\"x\",type=\"logical\"} 0\n")
                .contains("bellwether_logical_slots_not_ready{scope=\"demo\",name=\"node1\"} 0\n");
        assertThat(text.indexOf("# HELP " + name)).isEqualTo(text.lastIndexOf("# HELP " + name));
    }

    @Test
    void metricsOnReplicaWithLogicalCopies_countThoseNotReady() throws Exception {
        server.serve(() -> Snapshots.withSlots(Snapshots.streamingReplica(), LOGICAL_PENDING));

        String text = server.send("GET", "/metrics").body();

        assertThat(text)
                .contains("# HELP bellwether_logical_slots_not_ready ")
                .contains("# TYPE bellwether_logical_slots_not_ready gauge\n")
                .contains("bellwether_logical_slots_not_ready{scope=\"demo\",name=\"node2\"} 2\n")
                .doesNotContain("bellwether_unmanaged_slot_retained_wal_bytes");
    }
}
