package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * Crashes and forked histories end to end, three agents with real PostgreSQL against etcd: a leader whose PostgreSQL
 * is killed restarts it in place and keeps the lock; a former primary that wrote what no replica received rejoins by
 * pg_rewind, and the {@code history} key records the promotion; with {@code primary_start_timeout: 0} a crashed
 * primary hands over at once. In order, on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RejoinIT {
    private static final Duration BOOTSTRAP = Duration.ofSeconds(90);
    private static final Duration REJOIN = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/service/it-rejoin/";

    private EtcdCluster etcd;
    private TestCluster cluster;
    private TestNode leader;

    @BeforeAll
    void start() {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-rejoin", etcd.hostPorts(), 3, TestCluster.Timing.FAST);
        cluster.startAll();
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
    void threeNodes_bootstrapAndStream() throws Exception {
        leader = cluster.awaitLeader(BOOTSTRAP);
        cluster.awaitStreaming(leader, 2, BOOTSTRAP);
        execute(leader, "CREATE TABLE rejoin_check (note text PRIMARY KEY)");
        execute(leader, "INSERT INTO rejoin_check VALUES ('written on timeline 1')");
    }

    @Test
    @Order(2)
    void killedPostmasterOnTheLeader_isRestartedInPlaceAndTheLockIsKept() throws Exception {
        KeyValue lockBefore = key("leader").orElseThrow();
        long killed = leader.postmasterPid().orElseThrow();

        Signals.send(killed, "KILL");

        cluster.await(
                Duration.ofSeconds(60),
                "PostgreSQL on " + leader.name + " running as primary again",
                () -> leader.postmasterPid().filter(pid -> pid != killed).isPresent()
                        && TestCluster.tryQueryOne(leader, "SELECT pg_is_in_recovery()")
                                .filter("f"::equals)
                                .isPresent());
        KeyValue lockAfter = key("leader").orElseThrow();
        assertThat(lockAfter.getValue().toString(StandardCharsets.UTF_8)).isEqualTo(leader.name);
        assertThat(lockAfter.getCreateRevision())
                .as("the leader key was never deleted and re-created")
                .isEqualTo(lockBefore.getCreateRevision());
        assertThat(walTimeline(leader)).as("restarted, not failed over").isEqualTo(1);
        assertThat(leader.agentLog()).contains("starting PostgreSQL as the leader");
        execute(leader, "INSERT INTO rejoin_check VALUES ('written after the restart')");
        cluster.awaitStreaming(leader, 2, REJOIN);
    }

    @Test
    @Order(3)
    void formerPrimaryThatKeptWriting_rejoinsWithPgRewind_andTheHistoryKeyNamesTheNewLeader() throws Exception {
        TestNode old = leader;
        List<TestNode> replicas = others(old);
        // Replicas stop first, so what the old primary writes next exists nowhere else: a fork once one is promoted.
        for (TestNode replica : replicas) {
            replica.signalAgent("TERM");
            assertThat(replica.agent().waitFor(Duration.ofSeconds(60))).isTrue();
        }
        execute(old, "INSERT INTO rejoin_check VALUES ('only on the old primary')");
        Object directory = fileKey(old.dataDir);
        old.signalAgent("KILL");
        assertThat(old.agent().waitFor(Duration.ofSeconds(20))).isTrue();
        stopImmediately(old);

        replicas.forEach(TestNode::startAgent);
        TestNode next = cluster.awaitLeader(REJOIN);
        assertThat(next).isNotEqualTo(old);
        awaitWritable(next);
        execute(next, "INSERT INTO rejoin_check VALUES ('written on timeline 2')");

        int logBefore = old.agentLog().length();
        old.startAgent();
        cluster.awaitStreaming(next, 2, REJOIN);
        cluster.await(
                Duration.ofSeconds(30),
                "the old primary replays the new primary's writes",
                () -> TestCluster.tryQueryOne(old, "SELECT note FROM rejoin_check WHERE note = 'written on timeline 2'")
                        .isPresent());
        assertThat(TestCluster.queryOne(
                        old, "SELECT count(*) FROM rejoin_check WHERE note = 'only on the old primary'"))
                .as("the forked write is gone")
                .contains("0");
        assertThat(fileKey(old.dataDir)).as("rewound, not cloned again").isEqualTo(directory);
        assertThat(old.agentLog().substring(logBefore))
                .contains("crash recovery in single-user mode")
                .contains("rewinding from " + next.name)
                .doesNotContain("cloning from");

        JsonNode history = JSON.readTree(value("history"));
        assertThat(history.size()).isEqualTo(1);
        JsonNode line = history.get(0);
        assertThat(line.get(0).asInt()).isEqualTo(1);
        assertThat(line.get(1).isIntegralNumber()).isTrue();
        assertThat(line.get(2).asText()).isNotEmpty();
        assertThat(line.get(3).asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        assertThat(line.get(4).asText()).isEqualTo(next.name);
        cluster.await(
                Duration.ofSeconds(30),
                "checkpoint_after_promote no longer false on " + next.name,
                () -> memberField(next, "checkpoint_after_promote").isEmpty());
        leader = next;
    }

    @Test
    @Order(4)
    void primaryStartTimeoutZero_aReplicaTakesOverFromACrashedPrimary() throws Exception {
        setConfig("primary_start_timeout", 0);
        // Every agent reads the config key each cycle (loop_wait 2 s).
        Thread.sleep(6000);
        TestNode old = leader;
        int timelineBefore = walTimeline(old);

        Signals.send(old.postmasterPid().orElseThrow(), "KILL");

        cluster.await(
                Duration.ofSeconds(60),
                "a replica promoted after the primary crashed",
                () -> others(old).stream().anyMatch(n -> n.status("GET", "/primary") == 200));
        TestNode next = cluster.awaitLeader(Duration.ofSeconds(30));
        assertThat(next).isNotEqualTo(old);
        awaitWritable(next);
        assertThat(walTimeline(next)).isGreaterThan(timelineBefore);
        assertThat(old.agentLog()).contains("primary_start_timeout is 0");
        cluster.awaitStreaming(next, 2, REJOIN);
        leader = next;
    }

    private List<TestNode> others(TestNode node) {
        return cluster.nodes.stream().filter(n -> n != node).toList();
    }

    /** {@code /primary} answers 200 from the moment the lock is taken; the promotion may still be running. */
    private void awaitWritable(TestNode node) {
        cluster.await(
                Duration.ofSeconds(30),
                node.name + " accepting writes",
                () -> TestCluster.tryQueryOne(node, "SELECT pg_is_in_recovery()")
                        .filter("f"::equals)
                        .isPresent());
    }

    private static void execute(TestNode node, String sql) throws Exception {
        try (Connection c = node.connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int walTimeline(TestNode node) {
        String hex = TestCluster.queryOne(node, "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")
                .orElseThrow();
        return Integer.parseInt(hex, 16);
    }

    /** PostgreSQL's immediate shutdown (SIGQUIT to the postmaster): no shutdown checkpoint, as after a crash. */
    private void stopImmediately(TestNode node) {
        node.postmasterPid().ifPresent(pid -> Signals.send(pid, "QUIT"));
        cluster.await(
                Duration.ofSeconds(30),
                node.name + "'s PostgreSQL gone",
                () -> node.postmasterPid().isEmpty());
    }

    private static Object fileKey(Path path) throws java.io.IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    private Optional<JsonNode> memberField(TestNode node, String field) {
        try {
            JsonNode member = JSON.readTree(value("members/" + node.name));
            return Optional.ofNullable(member.get(field));
        } catch (Exception e) {
            return Optional.of(JSON.nullNode());
        }
    }

    private void setConfig(String field, int number) throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(value("config"));
        config.put(field, number);
        try (Client client = client()) {
            client.getKVClient()
                    .put(bytes(PREFIX + "config"), bytes(JSON.writeValueAsString(config)))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private String value(String name) throws Exception {
        return key(name)
                .orElseThrow(() -> new AssertionError("no key " + PREFIX + name))
                .getValue()
                .toString(StandardCharsets.UTF_8);
    }

    private Optional<KeyValue> key(String name) throws Exception {
        try (Client client = client()) {
            List<KeyValue> kvs = client.getKVClient()
                    .get(bytes(PREFIX + name))
                    .get(10, TimeUnit.SECONDS)
                    .getKvs();
            return kvs.stream().findFirst();
        }
    }

    private Client client() {
        return Client.builder()
                .endpoints(etcd.endpoints().toArray(String[]::new))
                .build();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
