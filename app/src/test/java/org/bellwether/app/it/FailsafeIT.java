package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * {@code failsafe_mode: true} through a whole-etcd outage (every member frozen with SIGSTOP, as Patroni's acceptance
 * tests take the DCS down): the primary keeps acknowledging writes while every member answers its
 * {@code POST /failsafe}, and demotes as soon as one does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailsafeIT {
    private static final Duration OUTAGE = Duration.ofSeconds(40);
    private static final Duration WRITE_PAUSE = Duration.ofMillis(20);
    private static final TestCluster.Timing TIMING = TestCluster.Timing.FAST;

    private EtcdCluster etcd;
    private TestCluster cluster;
    private Haproxy haproxy;
    private TestNode leader;

    @BeforeAll
    void start() throws Exception {
        etcd = EtcdCluster.startCluster(3);
        cluster = new TestCluster("it-failsafe", etcd.hostPorts(), 3, TIMING);
        for (TestNode node : cluster.nodes) {
            node.writeConfig(cluster.configFor(node)
                    .replace(
                            "    maximum_lag_on_failover: 1048576\n",
                            "    maximum_lag_on_failover: 1048576\n" + "    failsafe_mode: true\n"));
        }
        cluster.startAll();
        leader = cluster.awaitLeader(Duration.ofSeconds(90));
        cluster.awaitStreaming(leader, 2, Duration.ofSeconds(90));
        haproxy = Haproxy.start(
                cluster.nodes.stream()
                        .map(n -> new Haproxy.Backend(n.name, n.pgPort, n.restPort))
                        .toList(),
                "/primary");
        WriteWorkload.createTable(leader);
        cluster.await(
                Duration.ofSeconds(30),
                "the failsafe key listing all three members",
                () -> leader.getJson("/failsafe").map(JsonNode::size).orElse(0) == 3);
    }

    @AfterAll
    void stop() {
        if (etcd != null) {
            thawEtcd();
        }
        Resources.closeAll(haproxy, cluster, etcd);
    }

    @Test
    @Order(1)
    void wholeEtcdDown_everyMemberAcknowledges_thePrimaryKeepsAcceptingWrites() throws Exception {
        try (WriteWorkload writes = WriteWorkload.start("haproxy-1", haproxy.port(), 1_000_000L, WRITE_PAUSE)) {
            cluster.await(
                    Duration.ofSeconds(30),
                    "writes acknowledged",
                    () -> writes.acks().size() >= 20);
            Instant down = Instant.now();
            // Both replicas streaming when the DCS goes: a primary that hears from no replica and no DCS fences itself
            // at once (IsolationMonitor), failsafe or not.
            cluster.awaitStreaming(leader, 2, Duration.ofSeconds(30));
            freezeEtcd();
            List<String> leadersSeen = new ArrayList<>();
            boolean activeSeen = false;
            long until = System.nanoTime() + OUTAGE.toNanos();
            while (System.nanoTime() < until) {
                cluster.leaders().forEach(n -> {
                    if (!leadersSeen.contains(n.name)) {
                        leadersSeen.add(n.name);
                    }
                });
                activeSeen |= leader.getJson("/patroni")
                        .map(j -> j.path("failsafe_mode_is_active").asBoolean())
                        .orElse(false);
                Thread.sleep(500);
            }
            Instant up = Instant.now();
            thawEtcd();
            etcd.awaitHealthy(Duration.ofSeconds(30));
            cluster.await(
                    Duration.ofSeconds(30),
                    "writes after etcd came back",
                    () -> writes.firstAckAfter(up).isPresent());
            writes.close();

            Duration gap = writes.unavailability(down).orElseThrow();
            System.out.printf(
                    "[failsafe] whole etcd down %d s: longest write gap %d ms, %d writes acknowledged during the"
                            + " outage%n",
                    OUTAGE.toSeconds(),
                    gap.toMillis(),
                    writes.acks().stream()
                            .filter(a -> a.at().isAfter(down) && a.at().isBefore(up))
                            .count());
            assertThat(leadersSeen)
                    .as("nodes answering /primary during the outage")
                    .containsExactly(leader.name);
            String log = leader.agentLog();
            String tail = log.substring(Math.max(0, log.length() - 6000));
            assertThat(activeSeen)
                    .as("failsafe_mode_is_active in the leader's /patroni; its log ends:\n%s", tail)
                    .isTrue();
            assertThat(gap).as("longest write gap while etcd was down").isLessThan(Duration.ofSeconds(2));
            assertThat(writes.missingOn(leader))
                    .as("acknowledged writes missing on the primary")
                    .isEmpty();
            assertThat(cluster.awaitLeader(Duration.ofSeconds(30))).isSameAs(leader);
        }
    }

    @Test
    @Order(2)
    void wholeEtcdDown_aListedMemberStopsAnswering_thePrimaryStopsAcceptingWrites() throws Exception {
        cluster.await(
                Duration.ofSeconds(30),
                "every member back in the failsafe key",
                () -> leader.getJson("/failsafe").map(JsonNode::size).orElse(0) == 3);
        cluster.awaitStreaming(leader, 2, Duration.ofSeconds(30));
        try (WriteWorkload writes = WriteWorkload.start("haproxy-2", haproxy.port(), 2_000_000L, WRITE_PAUSE)) {
            cluster.await(
                    Duration.ofSeconds(30),
                    "writes acknowledged",
                    () -> writes.acks().size() >= 20);
            freezeEtcd();
            TestNode silent = null;
            try {
                cluster.await(
                        Duration.ofSeconds(30),
                        "failsafe mode active on " + leader.name,
                        () -> leader.getJson("/patroni")
                                .map(j -> j.path("failsafe_mode_is_active").asBoolean())
                                .orElse(false));
                // The member that goes silent is one the leader lists now that the key can no longer change (the
                // leader's last read of it is what its rounds use): it could race for the lock as soon as it sees
                // the DCS again, so the primary must stop.
                JsonNode listed = leader.getJson("/failsafe").orElseThrow();
                TestNode chosen = cluster.nodes.stream()
                        .filter(n -> n != leader && listed.has(n.name))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no other member in the failsafe key: " + listed));
                Instant silenced = Instant.now();
                chosen.crash();
                // Restarted below only once crashed: a second agent beside a running one would outlive the test.
                silent = chosen;
                // The lock could expire elsewhere a ttl after the last acknowledged round: writes must stop by then.
                Thread.sleep(Duration.ofSeconds(TIMING.ttl() + 5L).toMillis());
                Optional<WriteWorkload.Ack> last = writes.lastAck();
                assertThat(last).isPresent();
                assertThat(Duration.between(silenced, last.get().at()))
                        .as(
                                "writes acknowledged after %s, listed in the failsafe key, stopped answering at %s;"
                                        + " %s's log ends:%n%s",
                                silent.name, silenced, leader.name, tail(leader.agentLog()))
                        .isLessThan(Duration.ofSeconds(TIMING.ttl()));
                assertThat(cluster.leaders()).as("nodes answering /primary").isEmpty();
            } finally {
                thawEtcd();
                if (silent != null) {
                    silent.startAgent();
                }
            }
            etcd.awaitHealthy(Duration.ofSeconds(30));
            TestNode after = cluster.awaitLeader(Duration.ofSeconds(90));
            cluster.awaitStreaming(after, 2, Duration.ofSeconds(120));
        }
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 8000));
    }

    private void freezeEtcd() {
        for (int i = 0; i < etcd.size(); i++) {
            etcd.freeze(i);
        }
    }

    private void thawEtcd() {
        for (int i = 0; i < etcd.size(); i++) {
            etcd.thaw(i);
        }
    }
}
