package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.Haproxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Planned switchovers on three real nodes (n3 tagged nofailover) behind HAProxy, with REST authentication: refusals,
 * a switchover to a named candidate and to any candidate while a client writes through HAProxy, a scheduled one, and
 * the 401 of every unsafe endpoint. The tests run in order on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwitchoverIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private EtcdCluster etcd;
    private TestCluster cluster;
    private Haproxy haproxy;

    @BeforeAll
    void start() throws Exception {
        etcd = EtcdCluster.startCluster(1);
        cluster = OpsCluster.start("it-switchover", etcd.hostPorts(), 3, Map.of("n3", "  nofailover: true\n"));
        AckedWriter.createTable(leader());
        haproxy = OpsCluster.haproxy(cluster);
    }

    @AfterAll
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
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

    /** The node other than the leader that may become leader (n3 is nofailover). */
    private TestNode eligibleReplica(TestNode leader) {
        return cluster.nodes.stream()
                .filter(n -> n != leader && !n.name.equals("n3"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    @Order(1)
    void everyUnsafeEndpointWithoutCredentials_is401AndChangesNothing() {
        TestNode leader = leader();
        String config = Rest.call(leader, "GET", "/config", null).body();
        List<String[]> endpoints = List.of(
                new String[] {"POST", "/switchover"},
                new String[] {"POST", "/failover"},
                new String[] {"DELETE", "/switchover"},
                new String[] {"POST", "/restart"},
                new String[] {"DELETE", "/restart"},
                new String[] {"POST", "/reload"},
                new String[] {"POST", "/reinitialize"},
                new String[] {"PATCH", "/config"},
                new String[] {"PUT", "/config"});
        String body = "{\"leader\": \"" + leader.name + "\", \"candidate\": \"n3\", \"pause\": true}";
        for (String[] e : endpoints) {
            assertThat(Rest.anonymous(leader, e[0], e[1], body).status())
                    .as(e[0] + " " + e[1])
                    .isEqualTo(401);
        }
        assertThat(Rest.call(leader, "GET", "/config", null).body()).isEqualTo(config);
        assertThat(leader.getJson("/cluster").orElseThrow().has("scheduled_switchover"))
                .isFalse();
        assertThat(leader()).isEqualTo(leader);
    }

    @Test
    @Order(2)
    void impossibleSwitchovers_areRefusedWithASentence() {
        TestNode leader = leader();
        String from = "{\"leader\": \"" + leader.name + "\", ";
        assertRefused(leader, from + "\"candidate\": \"n9\"}", 412, "n9 is not a member");
        assertRefused(leader, from + "\"candidate\": \"" + leader.name + "\"}", 400, "the same member");
        assertRefused(leader, from + "\"candidate\": \"n3\"}", 412, "n3 is tagged nofailover");
        assertRefused(leader, from + "\"scheduled_at\": \"2030-01-01T10:00:00\"}", 400, "time zone");
        assertRefused(leader, from + "\"scheduled_at\": \"2001-01-01T10:00:00+00:00\"}", 422, "in the past");
        assertThat(leader()).isEqualTo(leader);
    }

    private static void assertRefused(TestNode node, String body, int status, String sentence) {
        Rest.Reply reply = Rest.call(node, "POST", "/switchover", body);
        assertThat(reply.status()).as(body + " -> " + reply.body()).isEqualTo(status);
        assertThat(reply.body()).contains(sentence);
    }

    @Test
    @Order(3)
    void switchoverToNamedCandidate_returnsTheNewLeaderAndLosesNoAcknowledgedWrite() throws Exception {
        TestNode old = leader();
        TestNode candidate = eligibleReplica(old);
        Path marker = old.dataDir.resolve("bellwether-it-marker");
        Files.writeString(marker, "kept unless the data directory is cloned again");
        try (AckedWriter writer = AckedWriter.start(haproxy.port(), 1_000_000)) {
            cluster.await(
                    Duration.ofSeconds(30),
                    "writes through HAProxy",
                    () -> writer.acks().size() > 20);
            long before = System.nanoTime();
            switchOverTo(old, candidate);
            int acked = writer.acks().size();
            cluster.await(
                    Duration.ofSeconds(30),
                    "writes on the new primary",
                    () -> writer.acks().size() > acked + 20);
            writer.close();
            Duration window = writer.longestGap(before, System.nanoTime());
            System.out.printf("switchover to %s: writes unavailable for %d ms%n", candidate.name, window.toMillis());
            assertThat(writer.missingOn(candidate))
                    .as("acknowledged writes lost")
                    .isEmpty();
        }
        assertThat(leader()).isEqualTo(candidate);
        cluster.awaitStreaming(candidate, 2, SETTLE);
        assertThat(TestCluster.queryOne(old, "SELECT pg_is_in_recovery()")).contains("t");
        assertThat(marker).as("the old primary follows without a new clone").exists();
    }

    /** {@code POST /switchover} to a named candidate; it must answer that the candidate took over. */
    private static void switchOverTo(TestNode leader, TestNode candidate) {
        Rest.Reply reply = Rest.call(
                leader,
                "POST",
                "/switchover",
                "{\"leader\": \"" + leader.name + "\", \"candidate\": \"" + candidate.name + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("Successfully switched over to \"" + candidate.name + "\"");
    }

    @Test
    @Order(4)
    void switchoverToAnyCandidate_returnsTheNodeThatTookOver() {
        TestNode old = leader();
        TestNode only = eligibleReplica(old);
        Rest.Reply reply = Rest.call(old, "POST", "/switchover", "{\"leader\": \"" + old.name + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("Successfully switched over to \"" + only.name + "\"");
        cluster.awaitStreaming(only, 2, SETTLE);
    }

    /**
     * The candidate still shows {@code streaming} in its member key, but the leader has no walsender for it: its
     * stream was cut and its slot is gone until the leader's agent puts it back, so its WAL receiver fails and waits
     * {@code wal_retrieve_retry_interval} (5 s) before it tries again. A leader that stopped PostgreSQL now would ship
     * the shutdown checkpoint to nobody and give up the switchover; it waits for the stream instead.
     */
    @Test
    @Order(5)
    void switchoverWhileTheCandidateHasNoStream_waitsForItAndHandsOver() throws Exception {
        TestNode old = leader();
        TestNode candidate = eligibleReplica(old);
        cluster.awaitStreaming(old, 2, SETTLE);
        cutStreamAndDropSlot(old, candidate.name);
        long asked = System.nanoTime();
        switchOverTo(old, candidate);
        System.out.printf(
                "switchover to %s while it had no stream: done in %d ms%n",
                candidate.name, Duration.ofNanos(System.nanoTime() - asked).toMillis());
        assertThat(leader()).isEqualTo(candidate);
        cluster.awaitStreaming(candidate, 2, SETTLE);
    }

    /**
     * Ends the leader's walsender for {@code member} and drops its slot before the member reconnects (it may win
     * that race: then again). Fails when the slot could not be dropped.
     */
    private static void cutStreamAndDropSlot(TestNode leader, String member) throws Exception {
        try (java.sql.Connection c = leader.connect();
                java.sql.Statement st = c.createStatement()) {
            for (int attempt = 0; attempt < 20; attempt++) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_replication WHERE application_name = '"
                        + member + "'");
                long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
                while (System.nanoTime() < until) {
                    try (java.sql.ResultSet r = st.executeQuery("SELECT pg_drop_replication_slot(slot_name)"
                            + " FROM pg_replication_slots WHERE slot_name = '" + member + "' AND NOT active")) {
                        if (r.next()) {
                            return;
                        }
                    }
                }
            }
        }
        throw new AssertionError("could not drop the slot of " + member + " on " + leader.name);
    }

    @Test
    @Order(6)
    void scheduledSwitchover_firesWithinLoopWaitOfItsTime() {
        TestNode old = leader();
        TestNode candidate = eligibleReplica(old);
        Instant at = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
        Rest.Reply reply = Rest.call(
                old,
                "POST",
                "/switchover",
                "{\"leader\": \"" + old.name + "\", \"candidate\": \"" + candidate.name + "\", \"scheduled_at\": \""
                        + at + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        assertThat(reply.body()).isEqualTo("Switchover scheduled");
        cluster.await(
                Duration.ofSeconds(5),
                "the scheduled switchover in /cluster",
                () -> old.getJson("/cluster")
                        .map(j -> j.path("scheduled_switchover")
                                .path("to")
                                .asText()
                                .equals(candidate.name))
                        .orElse(false));

        cluster.await(
                Duration.ofSeconds(40),
                "a new leader after " + at,
                () -> OpsCluster.leaderSeenBy(candidate)
                        .filter(candidate.name::equals)
                        .isPresent());
        Instant changed = Instant.now();
        System.out.printf(
                "scheduled switchover at %s: new leader seen %d ms later%n",
                at, Duration.between(at, changed).toMillis());
        assertThat(changed).isAfter(at);
        // loop_wait (2 s) to notice, plus the hand-over itself (stop, release, promote) on a loaded machine.
        assertThat(Duration.between(at, changed)).isLessThan(Duration.ofSeconds(2 + 10));
        cluster.awaitStreaming(candidate, 2, SETTLE);
    }

    @Test
    @Order(7)
    void scheduledSwitchover_canBeDeletedBeforeItFires() {
        TestNode leader = leader();
        TestNode candidate = eligibleReplica(leader);
        String at =
                Instant.now().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS).toString();
        Rest.Reply scheduled = Rest.call(
                leader,
                "POST",
                "/switchover",
                "{\"leader\": \"" + leader.name + "\", \"candidate\": \"" + candidate.name + "\", \"scheduled_at\": \""
                        + at + "\"}");
        assertThat(scheduled.status()).isEqualTo(202);
        assertThat(Rest.call(leader, "DELETE", "/switchover", null).status()).isEqualTo(200);
        cluster.await(
                Duration.ofSeconds(10),
                "no scheduled switchover",
                () -> leader.getJson("/cluster")
                        .map(j -> !j.has("scheduled_switchover"))
                        .orElse(false));
        assertThat(Rest.call(leader, "DELETE", "/switchover", null).status()).isEqualTo(404);
        assertThat(leader()).isEqualTo(leader);
    }
}
