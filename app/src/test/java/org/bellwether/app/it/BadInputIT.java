package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.testkit.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Bad input, from a careless operator or an attacker, against three nodes with REST authentication on: every
 * authenticated request that would take the cluster down is refused, every bad value written straight into the DCS is
 * survived, and slow clients do not stall the health checks. Throughout, no agent exits and never more than one node
 * accepts writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
    private static final String SCOPE = "it-bad-input";
    private static final String HUGE = "9223372036854775807";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More than ttl (10 s): long enough for a lock to be lost if the input broke renewals. */
    private static final Duration BEYOND_TTL = Duration.ofSeconds(14);

    private EtcdCluster etcd;
    private TestCluster cluster;
    private EtcdKv kv;
    private WritablePrimaries writable;
    private String goodConfig;

    @BeforeAll
    void start() throws Exception {
        etcd = EtcdCluster.startCluster(1);
        cluster = OpsCluster.start(SCOPE, etcd.hostPorts(), 3, Map.of());
        kv = new EtcdKv(etcd.endpoints().get(0));
        goodConfig = kv.get(key("config")).orElseThrow();
        writable = WritablePrimaries.watch(cluster, cluster.awaitLeader(OpsCluster.UP));
    }

    @AfterAll
    void stop() {
        if (writable != null) {
            writable.close();
            System.out.printf("bad input: at most %d writable node(s) at once%n", writable.mostAtOnce());
        }
        if (cluster != null) {
            cluster.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void noAgentExitedNorSecondPrimary() {
        for (TestNode node : cluster.nodes) {
            assertThat(node.agentAlive()).as(node.name + "'s agent alive").isTrue();
            assertThat(node.agentLog()).as(node.name + "'s log").doesNotContain("\tat ");
        }
        assertThat(writable.mostAtOnce()).as("nodes accepting writes at once").isLessThanOrEqualTo(1);
    }

    @Test
    @Order(1)
    void overflowingTimings_areRefusedThroughRest_andSurvivedWhenWrittenToTheDcs() throws Exception {
        TestNode leader = cluster.awaitLeader(OpsCluster.UP);
        for (String patch : List.of(
                "{\"loop_wait\": " + HUGE + "}",
                "{\"retry_timeout\": " + HUGE + "}",
                "{\"ttl\": " + HUGE + "}",
                "{\"ttl\": 100000000000}")) {
            Rest.Reply reply = Rest.call(leader, "PATCH", "/config", patch);
            assertThat(reply.status()).as(patch).isEqualTo(400);
            assertThat(reply.body()).as(patch).containsAnyOf("loop_wait", "retry_timeout", "ttl");
        }
        assertThat(kv.get(key("config"))).contains(goodConfig);

        Optional<Long> postmaster = leader.postmasterPid();
        writable.resetLongest();
        ObjectNode bad = (ObjectNode) JSON.readTree(goodConfig);
        bad.put("ttl", Long.MAX_VALUE);
        bad.put("loop_wait", Long.MAX_VALUE);
        bad.put("retry_timeout", "abc");
        bad.put("synchronous_mode", "maybe");
        kv.put(key("config"), bad.toString());
        cluster.await(
                Duration.ofSeconds(20),
                "every agent to name the bad keys",
                () -> cluster.nodes.stream()
                        .allMatch(n -> n.agentLog().contains("loop_wait")
                                && n.agentLog().contains("synchronous_mode")));
        Thread.sleep(BEYOND_TTL.toMillis());

        assertThat(cluster.leaders()).containsExactly(leader);
        assertThat(leader.postmasterPid()).isEqualTo(postmaster);
        System.out.printf(
                "bad input: bad timings and types in the config key: %d ms without a writable primary%n",
                writable.longestWithoutPrimaryMillis());
        assertThat(writable.longestWithoutPrimaryMillis())
                .as("ms without a writable primary")
                .isLessThan(1000);
        kv.put(key("config"), goodConfig);
    }

    @Test
    @Order(2)
    void parameterNoServerCouldStartWith_isRefusedWithPostgresWords_andNeverReachesAReplica() throws Exception {
        TestNode leader = cluster.awaitLeader(OpsCluster.UP);
        Rest.Reply garbage = Rest.call(
                leader, "PATCH", "/config", "{\"postgresql\": {\"parameters\": {\"work_mem\": \"garbage\"}}}");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body()).contains("invalid value for parameter").contains("work_mem");
        Rest.Reply lineBreak = Rest.call(
                leader, "PATCH", "/config", "{\"postgresql\": {\"parameters\": {\"cluster_name\": \"a\\nb\"}}}");
        assertThat(lineBreak.status()).isEqualTo(400);
        Rest.Reply name =
                Rest.call(leader, "PATCH", "/config", "{\"postgresql\": {\"parameters\": {\"bad name\": \"1\"}}}");
        assertThat(name.status()).isEqualTo(400);
        assertThat(kv.get(key("config"))).contains(goodConfig);

        ObjectNode bad = (ObjectNode) JSON.readTree(goodConfig);
        ((ObjectNode) bad.with("postgresql").with("parameters")).put("work_mem", "garbage");
        kv.put(key("config"), bad.toString());
        TestNode replica =
                cluster.nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
        cluster.await(
                Duration.ofSeconds(20),
                "the replica to refuse the parameter by name",
                () -> replica.agentLog().contains("postgresql.parameters.work_mem"));
        Optional<Long> before = replica.postmasterPid();
        assertThat(Rest.call(replica, "POST", "/restart", "{}").status()).isEqualTo(200);
        cluster.await(
                Duration.ofSeconds(60),
                "the restarted replica to accept connections again",
                () -> !replica.postmasterPid().equals(before)
                        && TestCluster.tryQueryOne(replica, "SELECT 1").isPresent());
        kv.put(key("config"), goodConfig);
    }

    @Test
    @Order(3)
    void malformedRequests_get400AndChangeNothing() throws Exception {
        TestNode leader = cluster.awaitLeader(OpsCluster.UP);
        Rest.Reply far = Rest.call(
                leader,
                "POST",
                "/switchover",
                "{\"leader\": \"" + leader.name + "\", \"scheduled_at\": \"+999999999-12-31T23:59:59+00:00\"}");
        assertThat(far.status()).isEqualTo(400);
        assertThat(far.body()).contains("scheduled_at");
        assertThat(kv.get(key("failover")).orElse("")).doesNotContain("999999999");

        assertThat(Rest.call(leader, "PUT", "/config", "{\"a\":1} trailing").status())
                .isEqualTo(400);
        assertThat(Rest.call(leader, "PATCH", "/config", "{\"pause\":true} {}").status())
                .isEqualTo(400);
        assertThat(kv.get(key("config"))).contains(goodConfig);

        assertThat(Rest.call(leader, "POST", "/restart", "{\"timeout\":\"99999999999999999999\"}")
                        .status())
                .isEqualTo(400);

        String chunked = Rest.raw(
                leader.restPort,
                "GET /patroni HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 400");
    }

    @Test
    @Order(4)
    void slowClients_leaveTheHealthCheckAnsweredWithinASecond() throws Exception {
        TestNode leader = cluster.awaitLeader(OpsCluster.UP);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket("127.0.0.1", leader.restPort);
                OutputStream out = socket.getOutputStream();
                String partial = i % 2 == 0
                        ? "GET /patroni HTTP/1.1\r\nContent-Length: 10\r\n\r\nab"
                        : "GET /patroni HTTP/1.1\r\nHost: x\r\n";
                out.write(partial.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            long slowest = 0;
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                int status = leader.status("OPTIONS", "/primary", Duration.ofSeconds(5));
                long millis = (System.nanoTime() - started) / 1_000_000;
                slowest = Math.max(slowest, millis);
                assertThat(status).isEqualTo(200);
                Thread.sleep(100);
            }
            System.out.printf("bad input: slowest OPTIONS /primary beside 200 slow connections: %d ms%n", slowest);
            assertThat(slowest).isLessThan(1000);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    @Order(5)
    void corruptInitializeKey_stopsNoAgentAndIsRepaired() throws Exception {
        TestNode leader = cluster.awaitLeader(OpsCluster.UP);
        String systemId = kv.get(key("initialize")).orElseThrow();
        writable.resetLongest();
        kv.put(key("initialize"), "garbage");
        cluster.await(
                Duration.ofSeconds(30),
                "the leader to write its system identifier back",
                () -> kv.get(key("initialize")).equals(Optional.of(systemId)));
        Thread.sleep(BEYOND_TTL.toMillis());

        assertThat(cluster.leaders()).containsExactly(leader);
        System.out.printf(
                "bad input: a corrupt initialize key: %d ms without a writable primary%n",
                writable.longestWithoutPrimaryMillis());
        assertThat(writable.longestWithoutPrimaryMillis())
                .as("ms without a writable primary")
                .isLessThan(1000);
    }

    @Test
    @Order(6)
    void emptyLeaderKey_isNamedAndLeadershipComesBackWithoutAnOperator() throws Exception {
        cluster.awaitLeader(OpsCluster.UP);
        writable.resetLongest();
        kv.put(key("leader"), "");
        cluster.await(
                Duration.ofSeconds(20),
                "an agent to name the leader key",
                () -> cluster.nodes.stream().anyMatch(n -> n.agentLog().contains(key("leader"))));
        cluster.await(
                Duration.ofSeconds(60),
                "a member to hold the leader key again",
                () -> kv.get(key("leader"))
                        .filter(v -> cluster.nodes.stream().anyMatch(n -> n.name.equals(v)))
                        .isPresent());
        TestNode leader = cluster.awaitLeader(Duration.ofSeconds(60));
        cluster.await(
                Duration.ofSeconds(30),
                "the new primary to accept writes",
                () -> TestCluster.tryQueryOne(leader, "SELECT NOT pg_is_in_recovery()")
                        .equals(Optional.of("t")));
        System.out.printf(
                "bad input: an empty leader key left the cluster without a writable primary for %d ms%n",
                writable.longestWithoutPrimaryMillis());
    }

    private static String key(String name) {
        return "/service/" + SCOPE + "/" + name;
    }
}
