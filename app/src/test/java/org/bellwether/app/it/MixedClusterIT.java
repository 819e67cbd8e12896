package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.bellwether.testkit.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A cluster migrating node by node: Debian's Patroni (n1) and Bellwether (n2) under one scope on real etcd. Each
 * hands the primary to the other by switchover, and a Patroni node takes over from a Bellwether leader that crashed;
 * after each step one node leads, the other streams from it, and a row written on the leader reaches the replica.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MixedClusterIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private EtcdCluster etcd;
    private TestCluster cluster;
    private TestNode patroni;
    private TestNode bellwether;
    private int step;

    @BeforeAll
    void start() {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-mixed", etcd.hostPorts(), 2, TestCluster.Timing.FAST);
        patroni = new TestNode("n1", cluster.dir, TestNode.Implementation.PATRONI, Optional.empty());
        patroni.writeConfig(cluster.configFor(patroni));
        cluster.nodes.set(0, patroni);
        bellwether = cluster.node("n2");
        patroni.startAgent();
        cluster.await(SETTLE, "Patroni's n1 bootstrapping the cluster", () -> patroni.status("GET", "/primary") == 200);
        bellwether.startAgent();
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
    void aBellwetherNode_clonesFromAPatroniLeaderAndStreams() throws Exception {
        healthy(patroni, bellwether);
    }

    @Test
    @Order(2)
    void switchover_fromPatroniToBellwether() throws Exception {
        switchover(patroni, bellwether);
        healthy(bellwether, patroni);
    }

    @Test
    @Order(3)
    void switchover_fromBellwetherBackToPatroni() throws Exception {
        switchover(bellwether, patroni);
        healthy(patroni, bellwether);
    }

    @Test
    @Order(4)
    void aCrashedBellwetherLeader_isReplacedByThePatroniNode() throws Exception {
        switchover(patroni, bellwether);
        healthy(bellwether, patroni);

        bellwether.crash();
        cluster.await(SETTLE, "Patroni's n1 taking over", () -> patroni.status("GET", "/primary") == 200);
        bellwether.startAgent();
        healthy(patroni, bellwether);
    }

    private void switchover(TestNode from, TestNode to) {
        Rest.Reply reply = Rest.call(
                from, "POST", "/switchover", "{\"leader\": \"" + from.name + "\", \"candidate\": \"" + to.name + "\"}");
        assertThat(reply.status())
                .as("switchover %s -> %s: %s", from.name, to.name, reply.body())
                .isEqualTo(200);
    }

    /** One leader, the other streaming from it on its timeline, and a row written now read on the replica. */
    private void healthy(TestNode leader, TestNode replica) throws SQLException {
        String what = "step " + (++step) + ": ";
        cluster.await(SETTLE, what + leader.name + " leading", () -> leader.status("GET", "/primary") == 200);
        cluster.await(
                SETTLE,
                what + replica.name + " streaming from " + leader.name,
                () -> Replication.streamsFrom(replica, leader) && replica.status("GET", "/replica") == 200);
        assertThat(replica.status("GET", "/primary"))
                .as(what + "the replica on /primary")
                .isEqualTo(503);
        try (Connection c = leader.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS migration_steps (step int)");
            s.execute("INSERT INTO migration_steps VALUES (" + step + ")");
        }
        cluster.await(
                SETTLE,
                what + "the row on " + replica.name,
                () -> TestCluster.tryQueryOne(replica, "SELECT count(*) FROM migration_steps WHERE step = " + step)
                        .filter("1"::equals)
                        .isPresent());
    }
}
