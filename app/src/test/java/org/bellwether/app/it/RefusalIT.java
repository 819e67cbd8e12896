package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.FreePorts;
import org.bellwether.testkit.ManagedProcess;
import org.bellwether.testkit.PostgresBinaries;
import org.bellwether.testkit.SystemUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the agent refuses, and how bad input is answered: clearly, without touching data, never a stack trace. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalIT {
    private EtcdCluster etcd;
    private TestCluster cluster;

    @BeforeAll
    void start() {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-refusal", etcd.hostPorts(), 1, TestCluster.Timing.FAST);
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(90));
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
    void dataDirectoryOfAnotherCluster_isRefusedAndLeftUntouched() throws Exception {
        TestNode stranger = new TestNode("n9", cluster.dir);
        try (stranger) {
            stranger.writeConfig(cluster.configFor(stranger));
            run(List.of(PostgresBinaries.binDir().resolve("initdb").toString(), "-D", stranger.dataDir.toString()));
            Map<String, Long> before = snapshot(stranger.dataDir);

            stranger.startAgent();
            assertThat(stranger.agent().waitFor(Duration.ofSeconds(60)))
                    .as("agent exits")
                    .isTrue();
            assertThat(stranger.agent().exitValue()).isEqualTo(1);
            assertThat(stranger.agentLog()).contains("system identifier").doesNotContain("\tat ");
            assertThat(stranger.postmasterPid()).isEmpty();
            assertThat(snapshot(stranger.dataDir)).isEqualTo(before);
        }
    }

    @Test
    void secondAgentUnderARunningNodesName_isRefusedAndTouchesNothing() throws Exception {
        TestNode running = cluster.nodes.get(0);
        Optional<Long> postmaster = running.postmasterPid();
        TestNode twin = new TestNode("twin", cluster.dir);
        try (twin) {
            // Another machine's file that names the node wrongly: its own ports and data directory, n1's name.
            twin.writeConfig(cluster.configFor(twin).replace("\nname: twin\n", "\nname: " + running.name + "\n"));
            twin.startAgent();
            assertThat(twin.agent().waitFor(Duration.ofSeconds(60)))
                    .as("agent exits")
                    .isTrue();
            assertThat(twin.agent().exitValue()).isEqualTo(1);
            assertThat(twin.agentLog())
                    .contains("there is already a node named '" + running.name + "' running")
                    .doesNotContain("\tat ");
            assertThat(Files.exists(twin.dataDir))
                    .as("twin's data directory created")
                    .isFalse();
            assertThat(running.agentAlive()).isTrue();
            assertThat(running.postmasterPid()).isEqualTo(postmaster);
            assertThat(running.status("GET", "/primary")).isEqualTo(200);
        }
    }

    @Test
    void unreachableEtcd_agentKeepsTryingWithAClearMessage() throws Exception {
        TestCluster orphan =
                new TestCluster("it-no-dcs", List.of("127.0.0.1:" + FreePorts.next()), 1, TestCluster.Timing.FAST);
        try (orphan) {
            TestNode node = orphan.nodes.get(0);
            node.startAgent();
            orphan.await(
                    Duration.ofSeconds(40),
                    "the agent to report the DCS unreachable",
                    () -> node.agentLog().contains("DCS is not reachable"));
            assertThat(node.agentAlive()).isTrue();
            assertThat(node.status("GET", "/health")).isEqualTo(503);
            assertThat(node.agentLog()).doesNotContain("\tat ");
            node.signalAgent("TERM");
            assertThat(node.agent().waitFor(Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void malformedRestRequests_get400WithoutAStackTrace() throws Exception {
        TestNode node = cluster.nodes.get(0);
        assertThat(node.status("GET", "/replica?lag=lots")).isEqualTo(400);
        assertThat(node.status("GET", "/read-only?replication_state=")).isIn(200, 400);
        String reply = Rest.raw(node.restPort, "GARBAGE\r\n\r\n");
        assertThat(reply).startsWith("HTTP/1.1 400").doesNotContain("Exception");
        assertThat(node.agentAlive()).isTrue();
        assertThat(node.agentLog()).doesNotContain("\tat ");
    }

    @Test
    void badConfigurationFiles_areExplainedByFileAndKey() throws Exception {
        Path dir = cluster.dir;
        Path broken = write(dir.resolve("broken.yml"), "scope: x\nname: [unclosed\n");
        Result yaml = bellwether("validate", broken.toString());
        assertThat(yaml.code()).isEqualTo(1);
        assertThat(yaml.output()).contains("broken.yml").contains("line").doesNotContain("\tat ");

        String good = Files.readString(cluster.nodes.get(0).configFile);
        Path unknown = write(dir.resolve("unknown.yml"), good + "surprise_key: 1\n");
        Result warning = bellwether("validate", unknown.toString());
        assertThat(warning.code()).isZero();
        assertThat(warning.output()).contains("surprise_key");

        Path wrongType = write(dir.resolve("type.yml"), good.replace("ttl: 10", "ttl: ten"));
        Result type = bellwether("validate", wrongType.toString());
        assertThat(type.code()).isEqualTo(1);
        assertThat(type.output()).contains("type.yml").contains("bootstrap.dcs.ttl");

        Path timing = write(dir.resolve("timing.yml"), good.replace("retry_timeout: 4", "retry_timeout: 9"));
        Result rule = bellwether("validate", timing.toString());
        // Patroni's timing rule adjusts rather than refuses: a warning names the values every node will use.
        assertThat(rule.code()).isZero();
        assertThat(rule.output())
                .contains("warning: ")
                .contains("bootstrap.dcs: loop_wait + 2*retry_timeout exceeds ttl")
                .contains("lowering loop_wait from 2 to 1 and retry_timeout from 9 to 4");

        Result agent = bellwether("agent", wrongType.toString());
        assertThat(agent.code()).isEqualTo(1);
        assertThat(agent.output()).contains("bootstrap.dcs.ttl").doesNotContain("\tat ");
    }

    @Test
    void agentStartedAsRoot_refusesWithAClearMessage() throws Exception {
        assumeTrue(SystemUser.isRoot(), "only meaningful where the tests run as root");
        Process p = new ProcessBuilder(
                        Distribution.launcher().toString(),
                        "agent",
                        cluster.nodes.get(0).configFile.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("refusing to run as root").doesNotContain("\tat ");
    }

    private record Result(int code, String output) {}

    private Result bellwether(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Distribution.launcher().toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(cluster.dir, "cli", ".log");
        Files.setPosixFilePermissions(log, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        ManagedProcess p = ManagedProcess.start("bellwether", SystemUser.asPostgres(command), log, Map.of());
        try (p) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).isTrue();
            return new Result(p.exitValue(), Files.readString(log));
        }
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(SystemUser.asPostgres(command))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    private static Map<String, Long> snapshot(Path dir) throws IOException {
        Map<String, Long> files = new java.util.TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(
                        dir.relativize(p).toString(),
                        Files.getLastModifiedTime(p).toMillis() ^ Files.size(p));
            }
        }
        return files;
    }
}
