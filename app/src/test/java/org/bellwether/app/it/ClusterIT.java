package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
 * Three agents with real PostgreSQL against a real three-member etcd: bootstrap, streaming, Patroni's keys, health
 * checks behind HAProxy, restarts and a clean hand-over on SIGTERM. The tests run in order on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final Duration BOOTSTRAP = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private EtcdCluster etcd;
    private TestCluster cluster;
    private TestNode leader;

    @BeforeAll
    void start() {
        etcd = EtcdCluster.startCluster(3);
        cluster = new TestCluster("it-cluster", etcd.hostPorts(), 3, TestCluster.Timing.FAST);
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
    void threeEmptyNodes_becomeOneLeaderAndTwoStreamingReplicas() throws Exception {
        leader = cluster.awaitLeader(BOOTSTRAP);
        cluster.awaitStreaming(leader, 2, BOOTSTRAP);
        assertThat(TestCluster.queryOne(leader, "SELECT pg_is_in_recovery()")).contains("f");
        assertThat(TestCluster.queryOne(
                        leader,
                        "SELECT string_agg(application_name, ',' ORDER BY application_name) FROM pg_stat_replication"))
                .contains(String.join(",", replicas().stream().map(n -> n.name).toList()));
        try (Connection c = leader.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bootstrap_check (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO bootstrap_check VALUES (1, 'written on the primary')");
        }
        for (TestNode replica : replicas()) {
            cluster.await(
                    Duration.ofSeconds(30),
                    "row replicated to " + replica.name,
                    () -> TestCluster.tryQueryOne(replica, "SELECT note FROM bootstrap_check WHERE id = 1")
                            .filter("written on the primary"::equals)
                            .isPresent());
            assertThat(TestCluster.queryOne(replica, "SELECT pg_is_in_recovery()"))
                    .contains("t");
        }
    }

    @Test
    @Order(2)
    void dcsKeys_areWrittenInPatronisFormats() throws Exception {
        cluster.await(Duration.ofSeconds(30), "every member key published with PostgreSQL running", () -> {
            try {
                Map<String, KeyValue> all = rawKeys("/service/it-cluster/");
                for (TestNode n : cluster.nodes) {
                    KeyValue member = all.get("members/" + n.name);
                    if (member == null
                            || !JSON.readTree(member.getValue().toString(StandardCharsets.UTF_8))
                                    .path("state")
                                    .asText()
                                    .equals("running")) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        Map<String, KeyValue> keys = rawKeys("/service/it-cluster/");
        String systemId = TestCluster.queryOne(leader, "SELECT system_identifier FROM pg_control_system()")
                .orElseThrow();
        assertThat(value(keys, "initialize")).isEqualTo(systemId);
        assertThat(value(keys, "leader")).isEqualTo(leader.name);

        JsonNode config = JSON.readTree(value(keys, "config"));
        assertThat(config.get("ttl").asInt()).isEqualTo(10);
        assertThat(config.get("loop_wait").asInt()).isEqualTo(2);
        assertThat(config.get("retry_timeout").asInt()).isEqualTo(4);
        assertThat(config.at("/postgresql/use_pg_rewind").asBoolean()).isTrue();

        JsonNode status = JSON.readTree(value(keys, "status"));
        assertThat(status.get("optime").isIntegralNumber()).isTrue();

        JsonNode primary = JSON.readTree(value(keys, "members/" + leader.name));
        assertThat(primary.get("conn_url").asText()).isEqualTo("postgres://127.0.0.1:" + leader.pgPort + "/postgres");
        assertThat(primary.get("api_url").asText()).isEqualTo("http://127.0.0.1:" + leader.restPort + "/patroni");
        assertThat(primary.get("state").asText()).isEqualTo("running");
        assertThat(primary.get("role").asText()).isEqualTo("primary");
        assertThat(primary.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(primary.get("xlog_location").isIntegralNumber()).isTrue();
        assertThat(primary.get("timeline").asInt()).isEqualTo(1);

        for (TestNode replica : replicas()) {
            JsonNode member = JSON.readTree(value(keys, "members/" + replica.name));
            assertThat(member.get("role").asText()).isEqualTo("replica");
            assertThat(member.get("replication_state").asText()).isEqualTo("streaming");
            assertThat(member.get("xlog_location").isIntegralNumber()).isTrue();
        }
        // The leader key lives on the leader's lease, the same one as its member key (Patroni's etcd3 layout).
        long leaderLease = keys.get("leader").getLease();
        assertThat(leaderLease).isNotZero();
        assertThat(keys.get("members/" + leader.name).getLease()).isEqualTo(leaderLease);
        for (String permanent : List.of("initialize", "config", "status")) {
            assertThat(keys.get(permanent).getLease())
                    .as(permanent + " is permanent")
                    .isZero();
        }
    }

    @Test
    @Order(3)
    void haproxyWithPrimaryCheck_routesToThePrimary() throws Exception {
        assertThat(leader.status("GET", "/replica")).isEqualTo(503);
        assertThat(leader.status("OPTIONS", "/primary")).isEqualTo(200);
        for (TestNode replica : replicas()) {
            assertThat(replica.status("GET", "/replica")).isEqualTo(200);
            assertThat(replica.status("OPTIONS", "/primary")).isEqualTo(503);
        }
        List<Haproxy.Backend> backends = cluster.nodes.stream()
                .map(n -> new Haproxy.Backend(n.name, n.pgPort, n.restPort))
                .toList();
        try (Haproxy haproxy = Haproxy.start(backends, "/primary")) {
            cluster.await(Duration.ofSeconds(20), "HAProxy routing to the primary", () -> {
                try (Connection c = TestNode.connect(haproxy.port());
                        Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT inet_server_port(), pg_is_in_recovery()")) {
                    r.next();
                    return r.getInt(1) == leader.pgPort && !r.getBoolean(2);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    @Order(4)
    void restartedReplicaAgent_rejoinsWithoutANewClone() throws Exception {
        TestNode replica = replicas().get(0);
        Path marker = replica.dataDir.resolve("bellwether-it-marker");
        Files.writeString(marker, "kept unless the data directory is cloned again");
        replica.signalAgent("TERM");
        assertThat(replica.agent().waitFor(Duration.ofSeconds(60))).isTrue();
        assertThat(replica.postmasterPid())
                .as("PostgreSQL stopped with its agent")
                .isEmpty();
        replica.startAgent();
        cluster.awaitStreaming(leader, 2, BOOTSTRAP);
        assertThat(marker).exists();
    }

    @Test
    @Order(5)
    void sigtermOnTheLeader_handsOverAndTheOldLeaderRejoinsAsReplica() throws Exception {
        TestNode old = leader;
        Path marker = old.dataDir.resolve("bellwether-it-marker");
        Files.writeString(marker, "kept unless the data directory is cloned again");
        old.signalAgent("TERM");
        assertThat(old.agent().waitFor(Duration.ofSeconds(60)))
                .as("agent exits on SIGTERM")
                .isTrue();
        assertThat(old.postmasterPid()).as("PostgreSQL stopped with its agent").isEmpty();

        TestNode next = cluster.awaitLeader(Duration.ofSeconds(60));
        assertThat(next).isNotEqualTo(old);
        // /primary answers 200 from the moment the lock is taken, while the promotion may still run.
        cluster.await(
                Duration.ofSeconds(30),
                next.name + " accepting writes",
                () -> TestCluster.tryQueryOne(next, "SELECT pg_is_in_recovery()")
                        .filter("f"::equals)
                        .isPresent());
        try (Connection c = next.connect();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO bootstrap_check VALUES (2, 'written on the new primary')");
        }
        assertThat(value(rawKeys("/service/it-cluster/"), "leader")).isEqualTo(next.name);

        old.startAgent();
        cluster.awaitStreaming(next, 2, BOOTSTRAP);
        cluster.await(
                Duration.ofSeconds(30),
                "old leader replays the new primary's writes",
                () -> TestCluster.queryOne(old, "SELECT note FROM bootstrap_check WHERE id = 2")
                        .isPresent());
        assertThat(TestCluster.queryOne(old, "SELECT pg_is_in_recovery()")).contains("t");
        assertThat(marker).as("rejoined without a new clone").exists();
        leader = next;
    }

    private List<TestNode> replicas() {
        return cluster.nodes.stream().filter(n -> n != leader).toList();
    }

    private Map<String, KeyValue> rawKeys(String prefix) throws Exception {
        try (Client client = Client.builder()
                .endpoints(etcd.endpoints().toArray(String[]::new))
                .build()) {
            ByteSequence key = ByteSequence.from(prefix, StandardCharsets.UTF_8);
            List<KeyValue> kvs = client.getKVClient()
                    .get(key, GetOption.builder().isPrefix(true).build())
                    .get(10, TimeUnit.SECONDS)
                    .getKvs();
            Map<String, KeyValue> byName = new TreeMap<>();
            for (KeyValue kv : kvs) {
                byName.put(kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length()), kv);
            }
            return byName;
        }
    }

    private static String value(Map<String, KeyValue> keys, String name) {
        assertThat(keys).containsKey(name);
        return keys.get(name).getValue().toString(StandardCharsets.UTF_8);
    }
}
