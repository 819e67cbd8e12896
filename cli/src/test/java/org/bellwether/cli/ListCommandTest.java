package org.bellwether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected tables are patronictl's {@code print_output} of the same rows (prettytable 3, PyYAML 6). */
class ListCommandTest {
    @TempDir
    Path dir;

    private Ctl ctl;

    @BeforeEach
    void cluster() throws Exception {
        ctl = new Ctl(dir).threeMembers("http://127.0.0.1:8008/patroni");
    }

    @Test
    void pretty_patronictl41Layout_receiveAndReplayLsnsAndLags() {
        Ctl.Result r = ctl.run("list");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(TABLE);
    }

    @Test
    void lagInMb_patronictl3Layout_oneLagColumn() {
        Ctl.Result r = ctl.run("list", "--lag-in-mb");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                        + Cluster: demo (7301234567890123456) ----------+----+-----------+------------------+
                        | Member | Host           | Role    | State     | TL | Lag in MB | Tags             |
                        +--------+----------------+---------+-----------+----+-----------+------------------+
                        | n1     | 127.0.0.1:5432 | Leader  | running   |  2 |           |                  |
                        | n2     | 127.0.0.1:5433 | Replica | streaming |  2 |         0 |                  |
                        | n3     | 127.0.0.1:5434 | Replica | streaming |  2 |        32 | nofailover: true |
                        +--------+----------------+---------+-----------+----+-----------+------------------+
                        """);
    }

    @Test
    void tsv_hasTheClusterColumn_fullLagNames_andFlowTags() {
        Ctl.Result r = ctl.run("list", "-f", "tsv");

        assertThat(r.out())
                .isEqualTo("Cluster\tMember\tHost\tRole\tState\tTL\tReceive LSN\tReceive Lag\tReplay LSN\tReplay Lag"
                        + "\tTags\n"
                        + "demo\tn1\t127.0.0.1:5432\tLeader\trunning\t2\t\t\t\t\t\n"
                        + "demo\tn2\t127.0.0.1:5433\tReplica\tstreaming\t2\t0/4000000\t0\t0/4000000\t0\t\n"
                        + "demo\tn3\t127.0.0.1:5434\tReplica\tstreaming\t2\t0/2000000\t32\tunknown\t\t{nofailover:"
                        + " true}\n");
    }

    @Test
    void tsv_lagInMb_patronictl3Columns() {
        Ctl.Result r = ctl.run("list", "-f", "tsv", "--lag-in-mb");

        assertThat(r.out())
                .isEqualTo("Cluster\tMember\tHost\tRole\tState\tTL\tLag in MB\tTags\n"
                        + "demo\tn1\t127.0.0.1:5432\tLeader\trunning\t2\t\t\n"
                        + "demo\tn2\t127.0.0.1:5433\tReplica\tstreaming\t2\t0\t\n"
                        + "demo\tn3\t127.0.0.1:5434\tReplica\tstreaming\t2\t32\t{nofailover: true}\n");
    }

    @Test
    void json_patronictl41FieldNames_withoutEmptyValues() {
        Ctl.Result r = ctl.run("list", "--format", "json");

        assertThat(r.out())
                .isEqualTo("[{\"Cluster\": \"demo\", \"Member\": \"n1\", \"Host\": \"127.0.0.1:5432\", \"Role\":"
                        + " \"Leader\", \"State\": \"running\", \"TL\": 2}, {\"Cluster\": \"demo\", \"Member\": \"n2\","
                        + " \"Host\": \"127.0.0.1:5433\", \"Role\": \"Replica\", \"State\": \"streaming\", \"TL\": 2,"
                        + " \"Receive LSN\": \"0/4000000\", \"Receive Lag\": 0, \"Replay LSN\": \"0/4000000\","
                        + " \"Replay Lag\": 0}, {\"Cluster\": \"demo\", \"Member\": \"n3\", \"Host\": \"127.0.0.1:5434\","
                        + " \"Role\": \"Replica\", \"State\": \"streaming\", \"TL\": 2, \"Receive LSN\": \"0/2000000\","
                        + " \"Receive Lag\": 32, \"Replay LSN\": \"unknown\", \"Tags\": {\"nofailover\": true}}]\n");
    }

    @Test
    void json_lagInMb_patronictl3FieldNames() {
        Ctl.Result r = ctl.run("list", "--format", "json", "--lag-in-mb");

        assertThat(r.out())
                .contains("\"TL\": 2, \"Lag in MB\": 0}")
                .contains("\"TL\": 2, \"Lag in MB\": 32, \"Tags\"")
                .doesNotContain("Receive")
                .doesNotContain("Replay");
    }

    @Test
    void aMemberPublishingOnlyItsPosition_showsItAsReplayed_whenNotStreaming() {
        ctl.store.put(
                "members/n3",
                "{\"conn_url\":\"postgres://127.0.0.1:5434/postgres\",\"api_url\":\"http://x/patroni\",\"state\":"
                        + "\"running\",\"role\":\"replica\",\"timeline\":2,\"xlog_location\":33554432}");

        assertThat(ctl.run("list").out())
                .contains(
                        "| n3     | 127.0.0.1:5434 | Replica | running   |  2 |     unknown |     |  0/2000000 |  32 |");
    }

    @Test
    void yaml_sortedKeys() {
        Ctl.Result r = ctl.run("list", "-f", "yaml");

        assertThat(r.out())
                .startsWith("""
                        - Cluster: demo
                          Host: 127.0.0.1:5432
                          Member: n1
                          Role: Leader
                          State: running
                          TL: 2
                        - Cluster: demo
                        """)
                .contains("  Tags:\n    nofailover: true\n")
                .endsWith("\n\n");
    }

    @Test
    void extended_showsTheOptionalColumns_andTimestampLine() {
        Ctl.Result r = ctl.run("list", "-e", "-t");

        assertThat(r.out().lines().findFirst().orElseThrow()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(r.out())
                .contains(
                        "| Member | Host           | Role    | State     | TL | Receive LSN | Lag | Replay LSN | Lag |"
                                + " Pending restart | Pending restart reason | Scheduled restart | Tags             |");
    }

    @Test
    void pausedAndScheduledSwitchover_footerLines() {
        ctl.store.put("config", "{\"ttl\":30,\"pause\":true}");
        ctl.store.put(
                "failover", "{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"2030-01-02T03:04:05+00:00\"}");

        Ctl.Result r = ctl.run("list");

        assertThat(r.out()).endsWith("""
                        +--------+----------------+---------+-----------+----+-------------+-----+------------+-----+------------------+
                         Maintenance mode: on
                         Switchover scheduled at: 2030-01-02T03:04:05+00:00
                                            from: n1
                                              to: n2
                        """);
    }

    @Test
    void topology_treeByReplicatefrom() {
        ctl.store.put(
                "members/n3",
                "{\"conn_url\":\"postgres://127.0.0.1:5434/postgres\",\"api_url\":\"http://x/patroni\",\"state\":"
                        + "\"running\",\"role\":\"replica\",\"replication_state\":\"streaming\",\"timeline\":2,"
                        + "\"xlog_location\":67108864,\"tags\":{\"replicatefrom\":\"n2\"}}");

        Ctl.Result r = ctl.run("topology");

        assertThat(r.out()).isEqualTo("""
                        + Cluster: demo (7301234567890123456) ----------+----+-------------+-----+------------+-----+---------------------+
                        | Member | Host           | Role    | State     | TL | Receive LSN | Lag | Replay LSN | Lag | Tags                |
                        +--------+----------------+---------+-----------+----+-------------+-----+------------+-----+---------------------+
                        | n1     | 127.0.0.1:5432 | Leader  | running   |  2 |             |     |            |     |                     |
                        | + n2   | 127.0.0.1:5433 | Replica | streaming |  2 |   0/4000000 |   0 |  0/4000000 |   0 |                     |
                        |   + n3 | 127.0.0.1:5434 | Replica | streaming |  2 |   0/4000000 |   0 |    unknown |     | {replicatefrom: n2} |
                        +--------+----------------+---------+-----------+----+-------------+-----+------------+-----+---------------------+
                        """);
        assertThat(ctl.run("topology", "--lag-in-mb").out())
                .contains("| Member | Host           | Role    | State     | TL | Lag in MB | Tags                |")
                .contains("|   + n3 | 127.0.0.1:5434 | Replica | streaming |  2 |         0 | {replicatefrom: n2} |");
    }

    @Test
    void syncStandby_andStandbyLeader_roles() {
        ctl.store.put("config", "{\"synchronous_mode\":true}");
        ctl.store.put("sync", "{\"leader\":\"n1\",\"sync_standby\":\"n2\"}");

        assertThat(ctl.run("list").out()).contains("| Sync Standby |");

        ctl.store.put("config", "{\"standby_cluster\":{\"host\":\"10.0.0.1\",\"port\":5432}}");
        assertThat(ctl.run("list").out()).contains("| Standby Leader |");
    }

    @Test
    void unknownCluster_isAnErrorSentence() {
        Ctl.Result r = ctl.run("list", "nosuch");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .isEqualTo(
                        "Error: cluster 'nosuch' not found in etcd3 at http://127.0.0.1:2379 under /service/nosuch/\n");
    }

    @Test
    void unreachableDcs_isAnErrorSentence_withoutTrace() {
        ctl.store.unreachable = true;

        Ctl.Result r = ctl.run("list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .startsWith("Error: cannot read cluster 'demo' from etcd3")
                .doesNotContain("\tat ");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(ctl.store.closed).isTrue();
    }

    @Test
    void badFormat_isAUsageError() {
        Ctl.Result r = ctl.run("list", "-f", "xml");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'xml' is not one of 'pretty', 'tsv', 'json', 'yaml', 'yml'");
    }

    @Test
    void history_table_andJson() {
        assertThat(ctl.run("history").out()).isEqualTo("""
                        +----+----------+------------------------------+---------------------------+------------+
                        | TL |      LSN | Reason                       | Timestamp                 | New Leader |
                        +----+----------+------------------------------+---------------------------+------------+
                        |  1 | 50331808 | no recovery target specified | 2024-05-01T10:00:00+00:00 | n1         |
                        +----+----------+------------------------------+---------------------------+------------+
                        """);
        assertThat(ctl.run("history", "-f", "json").out())
                .isEqualTo("[{\"TL\": 1, \"LSN\": 50331808, \"Reason\": \"no recovery target specified\","
                        + " \"Timestamp\": \"2024-05-01T10:00:00+00:00\", \"New Leader\": \"n1\"}]\n");
    }

    @Test
    void showConfig_pyYamlDocument() {
        assertThat(ctl.run("show-config").out()).isEqualTo("""
                        loop_wait: 10
                        postgresql:
                          parameters:
                            max_connections: 100
                          use_pg_rewind: true
                        retry_timeout: 10
                        ttl: 30

                        """);
    }

    @Test
    void dsn_leaderByDefault_roleOrMember() {
        assertThat(ctl.run("dsn").out()).isEqualTo("host=127.0.0.1 port=5432\n");
        assertThat(ctl.run("dsn", "-r", "replica").out()).isEqualTo("host=127.0.0.1 port=5433\n");
        assertThat(ctl.run("dsn", "-m", "n3").out()).isEqualTo("host=127.0.0.1 port=5434\n");
        Ctl.Result both = ctl.run("dsn", "-m", "n3", "-r", "replica");
        assertThat(both.exit()).isEqualTo(1);
        assertThat(both.err()).isEqualTo("Error: --role and --member are mutually exclusive options\n");
        assertThat(ctl.run("dsn", "-m", "n9").err()).isEqualTo("Error: Can not find a suitable member\n");
    }

    // --- slot warnings from each member's /patroni ---

    /** patronictl 4.1's table of the three members (prettytable 3.6). */
    private static final String TABLE = """
            + Cluster: demo (7301234567890123456) ----------+----+-------------+-----+------------+-----+------------------+
            | Member | Host           | Role    | State     | TL | Receive LSN | Lag | Replay LSN | Lag | Tags             |
            +--------+----------------+---------+-----------+----+-------------+-----+------------+-----+------------------+
            | n1     | 127.0.0.1:5432 | Leader  | running   |  2 |             |     |            |     |                  |
            | n2     | 127.0.0.1:5433 | Replica | streaming |  2 |   0/4000000 |   0 |  0/4000000 |   0 |                  |
            | n3     | 127.0.0.1:5434 | Replica | streaming |  2 |   0/2000000 |  32 |    unknown |     | nofailover: true |
            +--------+----------------+---------+-----------+----+-------------+-----+------------+-----+------------------+
            """;

    /** Points member {@code name} of the three-member cluster at {@code api}, keeping the rest of its key. */
    private void apiOf(String name, String api) {
        String key = ctl.store.keys.get("members/" + name).text();
        ctl.store.put("members/" + name, key.replaceFirst("\"api_url\":\"[^\"]*\"", "\"api_url\":\"" + api + "\""));
    }

    @Test
    void membersReportingSlots_getWarningsOnStandardError_theTableStaysAsItWas() throws Exception {
        try (FakePatroni leader = new FakePatroni();
                FakePatroni replica = new FakePatroni()) {
            leader.answer(
                    "GET /patroni",
                    200,
                    "{\"state\":\"running\",\"role\":\"primary\",\"unmanaged_slots\":[{\"name\":\"backup_tool\","
                            + "\"type\":\"physical\",\"active\":false,\"retained_wal_bytes\":67108864}]}");
            replica.answer(
                    "GET /patroni",
                    200,
                    "{\"state\":\"running\",\"role\":\"replica\",\"logical_slots\":{\"ready\":[\"cdc\"],"
                            + "\"not_ready\":[\"audit\",\"search\"]},\"logical_failover_safe\":false}");
            apiOf("n1", leader.apiUrl());
            apiOf("n2", replica.apiUrl());
            apiOf("n3", "http://127.0.0.1:" + FakePatroni.closedPort() + "/patroni");

            Ctl.Result r = ctl.run("list");

            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(TABLE);
            assertThat(r.err())
                    .isEqualTo("Warning: member n1: replication slot backup_tool (physical) is not managed by"
                            + " Bellwether and is left alone; it retains 67108864 bytes of WAL\n"
                            + "Warning: member n2: logical slots audit, search not yet safe to use after a failover"
                            + " to this member\n");
            assertThat(ctl.run("list", "-f", "json").err()).isEqualTo(r.err());
        }
    }

    @Test
    void membersWithNothingToReport_orNotAnswering_leaveTheOutputAsItWas() throws Exception {
        try (FakePatroni patroni = new FakePatroni();
                FakePatroni notFound = new FakePatroni()) {
            patroni.answer("GET /patroni", 200, "{\"state\":\"running\",\"role\":\"primary\",\"xlog\":{}}");
            apiOf("n1", patroni.apiUrl());
            apiOf("n2", notFound.apiUrl()); // answers 404 with a sentence, not JSON
            apiOf("n3", "http://127.0.0.1:" + FakePatroni.closedPort() + "/patroni");

            Ctl.Result r = ctl.run("list");

            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(TABLE);
            assertThat(r.err()).isEmpty();
            assertThat(patroni.calls).extracting(FakePatroni.Call::path).containsExactly("/patroni");
            assertThat(notFound.calls).hasSize(1);
        }
    }

    @Test
    void aMemberThatDoesNotAnswer_holdsListUpNoLongerThanTheWait() throws Exception {
        try (java.net.ServerSocket silent =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // Accepts connections (the backlog does) and never answers.
            apiOf("n1", "http://127.0.0.1:" + silent.getLocalPort() + "/patroni");
            long start = System.nanoTime();

            Ctl.Result r = ctl.run("list");

            java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(TABLE);
            assertThat(r.err()).isEmpty();
            assertThat(took).isLessThan(ListCommand.SLOT_REPORT_WAIT.plusSeconds(2));
        }
    }
}
