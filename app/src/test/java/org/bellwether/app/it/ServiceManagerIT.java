package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.ManagedProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent under a service manager, as systemd runs it from the shipped unit ({@code Type=notify},
 * {@code ExecReload} sending SIGHUP): the notifications arrive on a socket this test owns, in systemd's protocol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceManagerIT {
    /** systemd's side of the protocol: one datagram per notification, printed as one line. */
    private static final String LISTENER = String.join(
            "\n",
            "import os, socket, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "s.bind(sys.argv[1])",
            "os.chmod(sys.argv[1], 0o666)",
            "while True:",
            "    print(s.recv(4096).decode().replace('\\n', ' '), flush=True)");

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private EtcdCluster etcd;
    private TestCluster cluster;
    private ManagedProcess listener;
    private Path notifications;
    private TestNode node;

    @BeforeAll
    void start() throws IOException {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-service", etcd.hostPorts(), 1, TestCluster.Timing.FAST);
        Path socket = cluster.dir.resolve("notify.sock");
        notifications = cluster.dir.resolve("notifications.log");
        listener = ManagedProcess.start(
                "notify listener", List.of("python3", "-c", LISTENER, socket.toString()), notifications, Map.of());
        cluster.await(Duration.ofSeconds(10), "the notification socket", () -> Files.exists(socket));
        node = cluster.nodes.get(0);
        node.agentEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()));
        cluster.startAll();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    @Order(1)
    void ready_isSentOnceTheFirstCycleCompleted() {
        cluster.await(
                Duration.ofSeconds(90),
                "READY=1 from the agent",
                () -> !received().isEmpty());
        assertThat(node.status("GET", "/liveness")).isEqualTo(200);
        cluster.awaitLeader(Duration.ofSeconds(90));
        // PostgreSQL, built with systemd support, would announce its own start on the socket it inherited.
        assertThat(received()).containsExactly("READY=1 STATUS=running");
    }

    @Test
    @Order(2)
    void sighup_reloadsTheFileAndPostgres_withoutStoppingEither() throws Exception {
        Optional<Long> postmaster = node.postmasterPid();
        long agentPid = node.agent().pid();
        String config = cluster.configFor(node)
                .replace("    log_timezone: UTC\n", "    log_timezone: UTC\n    work_mem: 7MB\n")
                .replaceFirst("log:\n  format: .*\n", "log:\n  type: json\n");
        assertThat(config).contains("type: json");
        node.writeConfig(config);

        node.signalAgent("HUP");

        cluster.await(Duration.ofSeconds(30), "work_mem from the reloaded file", () -> "7MB".equals(show("work_mem")));
        cluster.await(
                Duration.ofSeconds(30),
                "READY=1 after the reload",
                () -> received().size() >= 3);
        List<String> lines = received();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).as("notifications %s", lines).startsWith("RELOADING=1 MONOTONIC_USEC=");
        assertThat(lines.get(2)).isEqualTo("READY=1 STATUS=reloaded");
        assertThat(node.agentAlive()).isTrue();
        assertThat(node.agent().pid()).isEqualTo(agentPid);
        assertThat(node.postmasterPid()).as("postmaster after the reload").isEqualTo(postmaster);
        assertThat(node.status("GET", "/primary")).isEqualTo(200);
        assertThat(node.agentLog()).contains("SIGHUP").doesNotContain("\tat ");
        // The log section is read again too: what the agent logs from then on is one JSON object a line.
        String reloaded = node.agentLog()
                .lines()
                .filter(l -> l.contains("SIGHUP: reloaded"))
                .findFirst()
                .orElseThrow();
        assertThat(JSON.readTree(reloaded).path("message").asText()).isEqualTo("SIGHUP: reloaded");
    }

    @Test
    @Order(3)
    void sigterm_saysStoppingAndStops() {
        node.signalAgent("TERM");
        assertThat(node.agent().waitFor(Duration.ofSeconds(60)))
                .as("agent exits")
                .isTrue();
        cluster.await(Duration.ofSeconds(5), "STOPPING=1", () -> received().size() >= 4);
        assertThat(received()).hasSize(4).last().isEqualTo("STOPPING=1");
        assertThat(node.postmasterPid()).as("PostgreSQL stopped with the agent").isEmpty();
    }

    @Test
    @Order(4)
    void withoutAFile_theAgentRunsFromPatroniConfiguration() throws Exception {
        node.agentEnvironment(Map.of());
        node.startAgentFromEnvironment();
        cluster.await(Duration.ofSeconds(60), "n1 leading again", () -> node.status("GET", "/primary") == 200);
        assertThat(show("work_mem"))
                .as("the local parameters of the configuration")
                .isEqualTo("7MB");
        assertThat(node.agentLog()).doesNotContain("\tat ");
    }

    private String show(String parameter) {
        try (Connection c = node.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW " + parameter)) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    private List<String> received() {
        try {
            return Files.readAllLines(notifications).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
