package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
 * PostgreSQL servers that accept TCP logins only over TLS with a client certificate ({@code hostssl ... cert}), and
 * agents whose roles carry libpq's options ({@code sslmode: verify-full}, {@code sslrootcert}, {@code sslcert},
 * {@code sslkey}): the replica clones and streams over TLS as the replicator, the agents observe over TLS as
 * postgres, a former primary that wrote alone is rewound with the rewinder's certificate, and a node whose replication
 * role trusts another authority says in its log which connection failed and why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresTlsIT {
    private static final Duration UP = Duration.ofSeconds(60);

    private EtcdCluster etcd;
    private TestCluster cluster;
    private PostgresTlsFiles tls;
    private TestNode primary;
    private TestNode replica;

    @BeforeAll
    void start() {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-pg-tls", etcd.hostPorts(), 3, TestCluster.Timing.FAST);
        tls = PostgresTlsFiles.make(cluster.dir.resolve("tls"));
        for (TestNode node : cluster.nodes) {
            // n3's replication role trusts an authority that signed no server certificate.
            Path replicationAuthority = node.name.equals("n3")
                    ? tls.otherAuthority().ca()
                    : tls.authority().ca();
            node.writeConfig(tls.configure(cluster.configFor(node), replicationAuthority));
        }
        cluster.node("n1").startAgent();
        primary = cluster.awaitLeader(UP);
        replica = cluster.node("n2");
        replica.startAgent();
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
    void replicaStreamsOverTls_asTheReplicatorsCertificate_andAgentsObserveOverTls() throws Exception {
        awaitStreamingOverTls(primary, replica);
        assertThat(one(replica, "SHOW primary_conninfo"))
                .contains("sslmode=verify-full")
                .contains("sslrootcert=" + tls.authority().ca())
                .contains("sslcert=" + tls.certificate("replicator"));
        // The agent opens its connections as it needs them: wait for one to be there, then look at how it came in.
        for (TestNode node : new TestNode[] {primary, replica}) {
            cluster.await(
                    UP,
                    "the agent's own connection on " + node.name + " over TLS with its certificate",
                    () -> tryOne(
                                    node,
                                    "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE"
                                            + " application_name = 'Bellwether' AND ssl AND client_dn = '/CN=postgres'")
                            .filter(count -> !count.equals("0"))
                            .isPresent());
        }
    }

    @Test
    @Order(2)
    void nodeTrustingAnotherAuthority_logsWhichConnectionFailedAndWhy() {
        TestNode stranger = cluster.node("n3");
        stranger.startAgent();
        cluster.await(
                UP,
                "n3 reporting the failed TLS handshake of its clone",
                () -> stranger.agentLog().contains("certificate verify failed"));
        stranger.close();

        String failure = stranger.agentLog()
                .lines()
                .filter(l -> l.contains("certificate verify failed"))
                .findFirst()
                .orElseThrow();
        assertThat(failure)
                .contains("pg_basebackup from " + primary.name + " at 127.0.0.1:" + primary.pgConnectPort())
                .contains("SSL error");
        assertThat(stranger.agentLog()).doesNotContain("\tat org.");
    }

    @Test
    @Order(3)
    void formerPrimaryThatWroteAlone_isRewoundWithTheRewindersCertificate_andStreamsAgain() throws Exception {
        replica.signalAgent("TERM");
        assertThat(replica.agent().waitFor(Duration.ofSeconds(60))).isTrue();
        execute(primary, "CREATE TABLE fork_check AS SELECT 'only on the old primary' AS note");
        Object directory = fileKey(primary.dataDir);
        primary.signalAgent("KILL");
        assertThat(primary.agent().waitFor(Duration.ofSeconds(20))).isTrue();
        primary.postmasterPid().ifPresent(pid -> Signals.send(pid, "QUIT"));
        cluster.await(
                Duration.ofSeconds(30),
                "n1's PostgreSQL gone",
                () -> primary.postmasterPid().isEmpty());

        replica.startAgent();
        cluster.await(
                UP,
                "n2 promoted",
                () -> replica.status("GET", "/primary") == 200
                        && tryOne(replica, "SELECT pg_is_in_recovery()").equals(Optional.of("f")));
        execute(replica, "CREATE TABLE after_failover AS SELECT 'written on timeline 2' AS note");

        int logBefore = primary.agentLog().length();
        primary.startAgent();
        awaitStreamingOverTls(replica, primary);
        cluster.await(
                Duration.ofSeconds(30),
                "n1 replaying n2's writes",
                () -> tryOne(primary, "SELECT count(*) FROM after_failover").equals(Optional.of("1")));
        assertThat(tryOne(primary, "SELECT to_regclass('fork_check') IS NULL"))
                .as("the forked table is gone")
                .contains("t");
        assertThat(fileKey(primary.dataDir)).as("rewound, not cloned again").isEqualTo(directory);
        assertThat(primary.agentLog().substring(logBefore))
                .contains("rewinding from " + replica.name)
                .doesNotContain("cloning from");
    }

    /** Waits until {@code upstream} shows {@code follower}'s WAL sender over TLS as the replicator. */
    private void awaitStreamingOverTls(TestNode upstream, TestNode follower) {
        String sql = "SELECT r.state || ' ' || s.ssl || ' ' || coalesce(s.client_dn, '')"
                + " FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid)"
                + " WHERE r.application_name = '" + follower.name + "'";
        cluster.await(
                UP,
                follower.name + " streaming from " + upstream.name + " over TLS",
                () -> tryOne(upstream, sql).equals(Optional.of("streaming true /CN=replicator")));
    }

    private String one(TestNode node, String sql) {
        try (Connection c = tls.connect(node);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : "";
        } catch (SQLException e) {
            throw new AssertionError("on " + node.name + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private Optional<String> tryOne(TestNode node, String sql) {
        try {
            return Optional.of(one(node, sql));
        } catch (AssertionError e) {
            return Optional.empty();
        }
    }

    private void execute(TestNode node, String sql) throws SQLException {
        try (Connection c = tls.connect(node);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Object fileKey(Path path) throws java.io.IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }
}
