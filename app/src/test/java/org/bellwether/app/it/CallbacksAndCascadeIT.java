package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.bellwether.testkit.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real nodes with {@code postgresql.callbacks} scripts that append their arguments to a file, n3 tagged
 * {@code replicatefrom: n2}. n1 starts first so that it leads: n3 then streams from the replica n2, not from the
 * leader. A switchover to n2 shows the role-change callbacks on both sides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallbacksAndCascadeIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private EtcdCluster etcd;
    private TestCluster cluster;
    private Path calls;

    @BeforeAll
    void start() throws IOException {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-callbacks", etcd.hostPorts(), 3, TestCluster.Timing.FAST);
        calls = cluster.dir.resolve("callbacks.log");
        Path script = cluster.dir.resolve("record-callback.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(calls, "");
        Files.setPosixFilePermissions(calls, PosixFilePermissions.fromString("rw-rw-rw-"));
        for (TestNode node : cluster.nodes) {
            String yaml = Rest.withAuthentication(cluster.configFor(node));
            StringBuilder callbacks = new StringBuilder("postgresql:\n  callbacks:\n");
            for (String event : List.of("on_start", "on_stop", "on_restart", "on_reload", "on_role_change")) {
                // The node's name first, so each line says who called; Patroni appends action, role and scope.
                callbacks
                        .append("    ")
                        .append(event)
                        .append(": ")
                        .append(script)
                        .append(' ')
                        .append(node.name);
                callbacks.append('\n');
            }
            yaml = yaml.replace("\npostgresql:\n", "\n" + callbacks);
            if (node.name.equals("n3")) {
                yaml = Rest.withTags(yaml, "  replicatefrom: n2\n");
            }
            node.writeConfig(yaml);
        }
        cluster.node("n1").startAgent();
        assertThat(cluster.awaitLeader(OpsCluster.UP).name).isEqualTo("n1");
        cluster.node("n2").startAgent();
        cluster.node("n3").startAgent();
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

    private List<String> calls() {
        try {
            return Files.readAllLines(calls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitCall(String line) {
        cluster.await(SETTLE, "callback '" + line + "' in " + calls(), () -> calls().contains(line));
    }

    private static List<String> rows(TestNode node, String sql) {
        return TestCluster.tryQueryOne(
                        node, "SELECT coalesce(string_agg(x, ',' ORDER BY x), '') FROM (" + sql + ") q(x)")
                .map(s -> s.isEmpty() ? List.<String>of() : List.of(s.split(",")))
                .orElse(List.of("?"));
    }

    @Test
    @Order(1)
    void replicaWithReplicatefrom_streamsFromTheNamedReplicaNotFromTheLeader() throws Exception {
        TestNode n1 = cluster.node("n1");
        TestNode n2 = cluster.node("n2");
        TestNode n3 = cluster.node("n3");
        String streaming = "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'";
        // n3 first clones from and streams from the leader, then moves; the leader's old sender ends shortly after.
        cluster.await(
                SETTLE,
                "n3 streaming from n2 and no longer from the leader",
                () -> rows(n2, streaming).equals(List.of("n3"))
                        && rows(n1, streaming).equals(List.of("n2")));
        assertThat(TestCluster.queryOne(n3, "SELECT sender_port::text FROM pg_stat_wal_receiver"))
                .contains(String.valueOf(n2.pgPort));
        // The slot n3 uses lives on n2, and the leader keeps none for it.
        assertThat(rows(n2, "SELECT slot_name::text FROM pg_replication_slots WHERE active"))
                .containsExactly("n3");
        // The leader keeps n3's slot too (member_slots_ttl, as Patroni 4), unused while n3 streams through n2: a
        // failover to n1's side still finds the WAL n3 needs.
        cluster.await(
                SETTLE,
                "the leader streaming to n2 only, keeping n3's slot idle",
                () -> rows(n1, "SELECT slot_name::text FROM pg_replication_slots WHERE active")
                                .equals(List.of("n2"))
                        && rows(n1, "SELECT slot_name::text FROM pg_replication_slots WHERE NOT active")
                                .equals(List.of("n3")));

        try (java.sql.Connection c = n1.connect();
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE cascade_probe AS SELECT 42 AS answer");
        }
        cluster.await(
                SETTLE,
                "the leader's write on n3",
                () -> TestCluster.tryQueryOne(n3, "SELECT answer::text FROM cascade_probe")
                        .filter("42"::equals)
                        .isPresent());
    }

    @Test
    @Order(2)
    void startingNodes_callOnStartWithTheirRole() {
        awaitCall("n1 on_start primary it-callbacks");
        awaitCall("n2 on_start replica it-callbacks");
        awaitCall("n3 on_start replica it-callbacks");
    }

    @Test
    @Order(3)
    void switchover_callsOnRoleChangeOnTheNewAndTheOldLeader() {
        TestNode n1 = cluster.node("n1");
        Rest.Reply reply = Rest.call(n1, "POST", "/switchover", "{\"leader\": \"n1\", \"candidate\": \"n2\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(cluster.awaitLeader(SETTLE).name).isEqualTo("n2");

        awaitCall("n2 on_role_change primary it-callbacks");
        awaitCall("n1 on_role_change replica it-callbacks");
        // A role change is reported as one, not as a stop and a start in the new role.
        assertThat(calls())
                .doesNotContain(
                        "n2 on_stop replica it-callbacks",
                        "n2 on_start primary it-callbacks",
                        "n1 on_start replica it-callbacks");
        // n3's intermediate is now the leader: it streams from it as from any leader.
        cluster.awaitStreaming(cluster.node("n2"), 2, SETTLE);
    }

    @Test
    @Order(4)
    void restartAndReload_callOnRestartAndOnReload() {
        TestNode n3 = cluster.node("n3");
        assertThat(Rest.call(n3, "POST", "/restart", "{}").status()).isEqualTo(200);
        awaitCall("n3 on_restart replica it-callbacks");
        assertThat(Rest.call(n3, "POST", "/reload", null).status()).isEqualTo(202);
        awaitCall("n3 on_reload replica it-callbacks");
        assertThat(calls()).doesNotContain("n3 on_stop replica it-callbacks");
    }
}
