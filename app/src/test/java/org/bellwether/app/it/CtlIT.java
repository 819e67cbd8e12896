package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code bellwether ctl} against a real two-node cluster on a real etcd: what it reads, what it writes (the
 * {@code config} key with compare-and-set, the whole cluster on {@code remove}), its errors, its launcher, and
 * Debian's {@code patronictl} reading the same cluster. The tests run in order on one cluster; the last stops it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CtlIT {
    private static final Duration BOOTSTRAP = Duration.ofSeconds(90);
    private static final String SCOPE = "it-ctl";
    private static final String PREFIX = "/service/" + SCOPE + "/";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Room for loop_wait=3 under the timing rule (3 + 2*4 <= 12). */
    private static final TestCluster.Timing TIMING = new TestCluster.Timing(12, 2, 4);

    private EtcdCluster etcd;
    private TestCluster cluster;
    private TestNode leader;
    private TestNode replica;
    private CtlRunner ctl;
    private Path ctlConfig;

    @BeforeAll
    void start() throws Exception {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster(SCOPE, etcd.hostPorts(), 2, TIMING);
        cluster.startAll();
        leader = cluster.awaitLeader(BOOTSTRAP);
        replica = cluster.nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
        cluster.awaitStreaming(leader, 1, BOOTSTRAP);
        ctl = new CtlRunner(cluster.dir);
        // A minimal ctl configuration: the DCS and the default cluster, nothing else.
        ctlConfig = Files.writeString(
                cluster.dir.resolve("patronictl.yaml"),
                "scope: " + SCOPE + "\netcd3:\n  hosts: " + String.join(",", etcd.hostPorts()) + "\n");
        cluster.await(
                Duration.ofSeconds(30),
                "the replica's key to say streaming",
                () -> ctl.run("-c", ctlConfig.toString(), "list", "-f", "json")
                        .out()
                        .contains("\"State\": \"streaming\""));
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

    private CtlRunner.Result ctl(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = ctlConfig.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return ctl.run(all);
    }

    @Test
    @Order(1)
    void list_pretty_showsLeaderAndStreamingReplica_underTheSystemIdentifier() {
        String systemId = TestCluster.queryOne(leader, "SELECT system_identifier FROM pg_control_system()")
                .orElseThrow();

        CtlRunner.Result r = ctl("list");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("+ Cluster: " + SCOPE + " (" + systemId + ") ");
        // The nodes publish tags (nofailover: false), so patronictl's Tags column is there too.
        assertThat(lines.get(1))
                .matches("\\| Member \\| Host +\\| Role +\\| State +\\| TL \\| Receive LSN \\| +Lag \\| Replay LSN"
                        + " \\| +Lag \\| Tags +\\|");
        String lsn = "[0-9A-F]+/[0-9A-F]+";
        assertThat(r.out())
                .containsPattern("\\| " + leader.name + " +\\| 127\\.0\\.0\\.1:" + leader.pgPort
                        + " +\\| Leader +\\| running +\\|  1 \\| +\\|")
                .containsPattern("\\| " + replica.name + " +\\| 127\\.0\\.0\\.1:" + replica.pgPort
                        + " +\\| Replica +\\| streaming +\\|  1 \\| +" + lsn + " \\| +0 \\| +" + lsn + " \\| +0 \\|");
        assertThat(lines).hasSize(6);
        assertThat(ctl("list", "--lag-in-mb").out().lines().skip(1).findFirst().orElseThrow())
                .matches("\\| Member \\| Host +\\| Role +\\| State +\\| TL \\| Lag in MB \\| Tags +\\|");
    }

    @Test
    @Order(2)
    void list_machineFormats_carryPatronictlFieldNames() throws Exception {
        JsonNode json = JSON.readTree(ctl("list", "-f", "json").out());
        assertThat(json).hasSize(2);
        JsonNode first = json.get(0).get("Member").asText().equals(leader.name) ? json.get(0) : json.get(1);
        JsonNode second = first == json.get(0) ? json.get(1) : json.get(0);
        assertThat(first.get("Cluster").asText()).isEqualTo(SCOPE);
        assertThat(first.get("Role").asText()).isEqualTo("Leader");
        assertThat(first.get("State").asText()).isEqualTo("running");
        assertThat(first.get("TL").asInt()).isEqualTo(1);
        assertThat(first.has("Lag in MB")).isFalse();
        assertThat(second.get("Role").asText()).isEqualTo("Replica");
        assertThat(second.get("State").asText()).isEqualTo("streaming");
        assertThat(second.has("Lag in MB")).isFalse();
        assertThat(second.get("Receive LSN").asText()).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(second.get("Receive Lag").asLong()).isZero();
        assertThat(second.get("Replay LSN").asText()).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(second.get("Replay Lag").asLong()).isZero();

        String yaml = ctl("list", "-f", "yaml").out();
        assertThat(yaml)
                .contains("- Cluster: " + SCOPE + "\n")
                .contains("  Role: Leader\n")
                .contains("  State: streaming\n");

        List<String> tsv = ctl("list", "-f", "tsv").out().lines().toList();
        assertThat(tsv.get(0))
                .isEqualTo(
                        "Cluster\tMember\tHost\tRole\tState\tTL\tReceive LSN\tReceive Lag\tReplay LSN\tReplay Lag\tTags");
        assertThat(tsv).hasSize(3);
    }

    @Test
    @Order(3)
    void topology_putsTheReplicaUnderTheLeader() {
        CtlRunner.Result r = ctl("topology");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("| " + leader.name + " ").contains("| + " + replica.name + " ");
    }

    @Test
    @Order(4)
    void showConfig_isTheDynamicConfigurationAsYaml() {
        CtlRunner.Result r = ctl("show-config");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("loop_wait: 2\n")
                .contains("ttl: 12\n")
                .contains("retry_timeout: 4\n")
                .contains("postgresql:\n")
                .contains("  use_pg_rewind: true\n");
    }

    @Test
    @Order(5)
    void editConfig_forced_writesTheConfigKeyWithCompareAndSet() throws Exception {
        KeyValue before = rawKeys().get("config");

        CtlRunner.Result r = ctl("edit-config", "--force", "-s", "loop_wait=3");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("-loop_wait: 2\n+loop_wait: 3\n").endsWith("Configuration changed\n");
        KeyValue after = rawKeys().get("config");
        assertThat(after.getModRevision()).isGreaterThan(before.getModRevision());
        JsonNode config = JSON.readTree(after.getValue().toString(StandardCharsets.UTF_8));
        assertThat(config.get("loop_wait").asInt()).isEqualTo(3);
        assertThat(config.get("ttl").asInt()).isEqualTo(12);
        assertThat(ctl("show-config").out()).contains("loop_wait: 3\n");
    }

    @Test
    @Order(6)
    void editConfig_badValue_isRefusedNamingTheKey_andTheKeyIsUntouched() throws Exception {
        KeyValue before = rawKeys().get("config");

        CtlRunner.Result bad = ctl("edit-config", "--force", "-s", "ttl=soon");

        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err())
                .isEqualTo("Error: the new configuration is refused, nothing was written: ttl: expected an integer"
                        + " between 5 and 86400, got 'soon'\n");
        assertThat(rawKeys().get("config").getModRevision()).isEqualTo(before.getModRevision());

        // A timing that breaks loop_wait + 2*retry_timeout <= ttl is written, as Patroni writes it, with a warning
        // saying what every node runs with instead.
        CtlRunner.Result timing = ctl("edit-config", "--force", "-s", "loop_wait=5");
        assertThat(timing.exit()).as(timing.toString()).isZero();
        assertThat(timing.err()).contains("Warning: ").contains("lowering loop_wait from 5");
        assertThat(ctl("edit-config", "--force", "-s", "loop_wait=3").exit()).isZero();
    }

    @Test
    @Order(7)
    void dsn_andQuery_reachTheLeader() {
        assertThat(ctl("dsn").out()).isEqualTo("host=127.0.0.1 port=" + leader.pgPort + "\n");
        assertThat(ctl("dsn", "-r", "replica").out()).isEqualTo("host=127.0.0.1 port=" + replica.pgPort + "\n");

        ctl.environment.put("PGPASSWORD", TestNode.SUPERUSER_PASSWORD);
        CtlRunner.Result r = ctl("query", "-U", "postgres", "-c", "select 1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("?column?\n1\n");

        CtlRunner.Result recovery = ctl(
                "query",
                "-U",
                "postgres",
                "-r",
                "replica",
                "--format",
                "json",
                "-c",
                "select pg_is_in_recovery() as in_recovery, inet_server_port() as port");
        assertThat(recovery.out()).isEqualTo("[{\"in_recovery\": true, \"port\": " + replica.pgPort + "}]\n");

        CtlRunner.Result failed = ctl("query", "-U", "postgres", "-c", "select * from no_such_table");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).endsWith("ERROR, SQLSTATE: 42P01\n");
    }

    @Test
    @Order(8)
    void version_andList_throughTheLauncher_withANodesOwnConfiguration() throws Exception {
        Path launcher = Path.of(System.getProperty("bellwether.home", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("bin/bellwetherctl");

        CtlRunner.Result version = ctl.exec(
                Duration.ofSeconds(60), List.of(launcher.toString(), "-c", ctlConfig.toString(), "version", SCOPE));
        assertThat(version.exit()).as(version.toString()).isZero();
        assertThat(version.out())
                .startsWith("bellwether ctl version ")
                .containsPattern(leader.name + ": Patroni \\d+\\.\\d+\\.\\d+ PostgreSQL \\d+\\.\\d+")
                .containsPattern(replica.name + ": Patroni \\d+\\.\\d+\\.\\d+ PostgreSQL \\d+\\.\\d+");

        // A node's full configuration works as the tool's configuration too.
        CtlRunner.Result list = ctl.exec(
                Duration.ofSeconds(60),
                List.of(launcher.toString(), "-c", leader.configFile.toString(), "list", "-f", "json"));
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(JSON.readTree(list.out())).hasSize(2);
    }

    @Test
    @Order(9)
    void errors_areOneSentenceWithExitCodeOne() {
        CtlRunner.Result unknown = ctl("list", "no-such-cluster");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err())
                .startsWith("Error: cluster 'no-such-cluster' not found in etcd3 at ")
                .endsWith(" under /service/no-such-cluster/\n");
        assertThat(unknown.out()).isEmpty();

        long start = System.nanoTime();
        CtlRunner.Result unreachable = ctl.run("-d", "etcd3://127.0.0.1:" + FreePorts.next(), "list", SCOPE);
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("Error: cannot read cluster '" + SCOPE + "' from etcd3 at ");
        assertThat(unreachable.err().lines()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));

        CtlRunner.Result missingFile = ctl.run("-c", "/nonexistent/ctl.yml", "list");
        assertThat(missingFile.err())
                .isEqualTo("Error: Provided config file /nonexistent/ctl.yml not existing or no read rights. Check the"
                        + " -c/--config-file parameter\n");

        CtlRunner.Result usage = ctl("list", "--no-such-option");
        assertThat(usage.exit()).isEqualTo(2);
    }

    @Test
    @Order(10)
    void writeCommands_eitherWork_orSayTheEndpointIsMissing() {
        CtlRunner.Result pause = ctl("pause");

        if (pause.exit() == 0) {
            assertThat(pause.out()).isEqualTo("Success: cluster management is paused\n");
            assertThat(ctl("resume", "--wait").exit()).isZero();
        } else {
            assertThat(pause.exit()).isEqualTo(1);
            assertThat(pause.out()).contains("its REST API does not offer this request (HTTP 40");
        }
        assertThat(pause.err()).doesNotContain("\tat ");
    }

    @Test
    @Order(11)
    void patronictl_listsAndShowsTheConfiguration_ofTheBellwetherCluster() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/patronictl")), "Debian's patronictl is not installed");

        CtlRunner.Result list =
                ctl.exec(Duration.ofSeconds(60), List.of("/usr/bin/patronictl", "-c", ctlConfig.toString(), "list"));
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out())
                .contains("Cluster: " + SCOPE)
                .containsPattern("\\| " + leader.name + " +\\| 127\\.0\\.0\\.1:" + leader.pgPort + " +\\| Leader ")
                .containsPattern("\\| " + replica.name + " +\\| 127\\.0\\.0\\.1:" + replica.pgPort + " +\\| Replica ");

        CtlRunner.Result config = ctl.exec(
                Duration.ofSeconds(60),
                List.of("/usr/bin/patronictl", "-c", leader.configFile.toString(), "show-config"));
        assertThat(config.exit()).as(config.toString()).isZero();
        assertThat(config.out()).contains("loop_wait: 3").contains("ttl: 12");
        // Both tools print the dynamic configuration the same way.
        assertThat(config.out()).isEqualTo(ctl("show-config").out());
    }

    @Test
    @Order(12)
    void history_rendersTheHistoryKey_asPatroniWritesIt() throws Exception {
        putRaw(
                "history",
                "[[1,50331808,\"no recovery target specified\",\"2026-01-02T03:04:05+00:00\",\"" + leader.name
                        + "\"]]");

        CtlRunner.Result r = ctl("history");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                        +----+----------+------------------------------+---------------------------+------------+
                        | TL |      LSN | Reason                       | Timestamp                 | New Leader |
                        +----+----------+------------------------------+---------------------------+------------+
                        |  1 | 50331808 | no recovery target specified | 2026-01-02T03:04:05+00:00 | %s         |
                        +----+----------+------------------------------+---------------------------+------------+
                        """.formatted(leader.name));
        assertThat(ctl("history", "-f", "json").out())
                .isEqualTo("[{\"TL\": 1, \"LSN\": 50331808, \"Reason\": \"no recovery target specified\","
                        + " \"Timestamp\": \"2026-01-02T03:04:05+00:00\", \"New Leader\": \"" + leader.name + "\"}]\n");
    }

    @Test
    @Order(13)
    void list_afterAHandOver_showsTheNewLeaderOnTheNextTimeline() {
        TestNode old = leader;
        old.signalAgent("TERM");
        assertThat(old.agent().waitFor(Duration.ofSeconds(60))).isTrue();
        leader = cluster.awaitLeader(Duration.ofSeconds(60));
        cluster.await(
                Duration.ofSeconds(30),
                "the new leader on timeline 2",
                () -> ctl("list")
                        .out()
                        .matches("(?s).*\\| " + leader.name + " +\\| [^|]+\\| Leader +\\| running +\\|  2 \\|.*"));
    }

    @Test
    @Order(14)
    void remove_ofAStoppedCluster_deletesEveryKey_afterTypedConfirmations() throws Exception {
        assertThat(rawKeys().keySet()).noneMatch(k -> k.contains("bellwether-ctl"));
        cluster.nodes.forEach(TestNode::close);
        cluster.await(Duration.ofSeconds(30), "the leader key to go", () -> {
            try {
                return !rawKeys().containsKey("leader");
            } catch (Exception e) {
                return false;
            }
        });

        CtlRunner.Result wrong = ctl.runWithInput("nope\n", "-c", ctlConfig.toString(), "remove", SCOPE);
        assertThat(wrong.err()).isEqualTo("Error: Cluster names specified do not match\n");
        assertThat(rawKeys()).containsKey("config");

        CtlRunner.Result r =
                ctl.runWithInput(SCOPE + "\nYes I am aware\n", "-c", ctlConfig.toString(), "remove", SCOPE);

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("please type: \"Yes I am aware\": ");
        assertThat(rawKeys()).isEmpty();
        assertThat(ctl("list").err()).startsWith("Error: cluster '" + SCOPE + "' not found");
    }

    private void putRaw(String relative, String value) throws Exception {
        try (Client client = Client.builder()
                .endpoints(etcd.endpoints().toArray(String[]::new))
                .build()) {
            client.getKVClient()
                    .put(
                            ByteSequence.from(PREFIX + relative, StandardCharsets.UTF_8),
                            ByteSequence.from(value, StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private Map<String, KeyValue> rawKeys() throws Exception {
        try (Client client = Client.builder()
                .endpoints(etcd.endpoints().toArray(String[]::new))
                .build()) {
            ByteSequence key = ByteSequence.from(PREFIX, StandardCharsets.UTF_8);
            List<KeyValue> kvs = client.getKVClient()
                    .get(key, GetOption.builder().isPrefix(true).build())
                    .get(10, TimeUnit.SECONDS)
                    .getKvs();
            Map<String, KeyValue> byName = new TreeMap<>();
            for (KeyValue kv : kvs) {
                byName.put(kv.getKey().toString(StandardCharsets.UTF_8).substring(PREFIX.length()), kv);
            }
            return byName;
        }
    }
}
