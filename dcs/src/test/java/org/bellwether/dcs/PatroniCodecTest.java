package org.bellwether.dcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SyncState;
import org.bellwether.core.Timeline;
import org.junit.jupiter.api.Test;

class PatroniCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Patroni 4 writes for a running primary (etcd3, compact separators). */
    private static final String PRIMARY = "{\"conn_url\":\"postgres://10.0.0.1:5432/postgres\","
            + "\"api_url\":\"http://10.0.0.1:8008/patroni\",\"state\":\"running\",\"role\":\"primary\","
            + "\"version\":\"4.0.4\",\"xlog_location\":50331808,\"timeline\":1}";

    /** A streaming replica with tags, a pending restart and fields Bellwether does not interpret. */
    private static final String REPLICA = "{\"conn_url\":\"postgres://10.0.0.2:5432/postgres\","
            + "\"api_url\":\"http://10.0.0.2:8008/patroni\",\"state\":\"streaming\",\"role\":\"replica\","
            + "\"version\":\"4.0.4\",\"proxy_url\":\"postgres://10.0.0.9:6432/postgres\","
            + "\"xlog_location\":50331904,\"replication_state\":\"streaming\",\"timeline\":2,"
            + "\"receive_lsn\":50331904,\"replay_lsn\":50331800,\"tags\":{\"nofailover\":true,\"zone\":\"a\"},"
            + "\"pending_restart\":true,\"pending_restart_reason\":{\"max_connections\":"
            + "{\"old_value\":\"100\",\"new_value\":\"200\"}}}";

    @Test
    void primaryMember_decodesEveryField_andEncodesBackToTheSameJson() throws Exception {
        Member m = PatroniCodec.decodeMember("n1", PRIMARY);

        assertThat(m.name()).isEqualTo("n1");
        assertThat(m.connUrl()).contains("postgres://10.0.0.1:5432/postgres");
        assertThat(m.apiUrl()).contains("http://10.0.0.1:8008/patroni");
        assertThat(m.state()).isEqualTo("running");
        assertThat(m.role()).isEqualTo(MemberRole.PRIMARY);
        assertThat(m.version()).contains("4.0.4");
        assertThat(m.xlogLocation()).contains(new Lsn(50331808));
        assertThat(m.timeline()).contains(new Timeline(1));
        assertThat(m.pendingRestart()).isFalse();
        assertThat(m.checkpointAfterPromote()).isEmpty();
        assertThat(m.extra()).isEmpty();
        assertThat(PatroniCodec.encodeMember(m)).isEqualTo(PRIMARY);
    }

    @Test
    void replicaMember_keepsUnknownFieldsInExtra_andRoundTripsThem() throws Exception {
        Member m = PatroniCodec.decodeMember("n2", REPLICA);

        assertThat(m.receiveLsn()).contains(new Lsn(50331904));
        assertThat(m.replayLsn()).contains(new Lsn(50331800));
        assertThat(m.replicationState()).contains("streaming");
        assertThat(m.tags().noFailover()).isTrue();
        assertThat(m.tags().all()).containsEntry("zone", "a");
        assertThat(m.pendingRestart()).isTrue();
        assertThat(m.extra()).containsOnlyKeys("proxy_url", "pending_restart_reason");
        assertThat(JSON.readTree(PatroniCodec.encodeMember(m))).isEqualTo(JSON.readTree(REPLICA));
    }

    @Test
    void leaderAfterPromote_publishesCheckpointAfterPromoteFalse_andPause() {
        String json = "{\"conn_url\":\"postgres://h:5432/postgres\",\"api_url\":\"http://h:8008/patroni\","
                + "\"state\":\"running\",\"role\":\"primary\",\"version\":\"4.0.4\",\"xlog_location\":1,"
                + "\"timeline\":3,\"pause\":true,\"checkpoint_after_promote\":false}";

        Member m = PatroniCodec.decodeMember("n1", json);

        assertThat(m.paused()).isTrue();
        assertThat(m.checkpointAfterPromote()).contains(false);
        assertThat(PatroniCodec.encodeMember(m)).isEqualTo(json);
    }

    @Test
    void legacyRoleMaster_readsAsPrimary() {
        Member m = PatroniCodec.decodeMember("old", "{\"role\":\"master\",\"state\":\"running\"}");

        assertThat(m.role()).isEqualTo(MemberRole.PRIMARY);
    }

    @Test
    void legacyConnKwargs_giveAConnUrl() {
        Member m = PatroniCodec.decodeMember(
                "old", "{\"conn_kwargs\":{\"host\":\"10.0.0.3\",\"port\":5433,\"dbname\":\"postgres\"}}");

        assertThat(m.connUrl()).contains("postgresql://10.0.0.3:5433");
        assertThat(m.postgresAddress()).map(Object::toString).contains("10.0.0.3:5433");
        assertThat(m.state()).isEqualTo("unknown");
    }

    @Test
    void legacyGovernorString_givesConnAndApiUrl_withoutThePassword() {
        Member m = PatroniCodec.decodeMember(
                "gov",
                "postgres://replicator:s3cret@10.0.0.4:5432/postgres?application_name=http://10.0.0.4:8008/patroni");

        assertThat(m.connUrl()).contains("postgres://replicator@10.0.0.4:5432/postgres");
        assertThat(m.apiUrl()).contains("http://10.0.0.4:8008/patroni");
        assertThat(m.postgresAddress()).map(Object::toString).contains("10.0.0.4:5432");
        assertThat(m.toString()).doesNotContain("s3cret");
    }

    @Test
    void malformedMember_isRejected() {
        assertThatThrownBy(() -> PatroniCodec.decodeMember("x", "{not json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PatroniCodec.decodeMember("x", "[1,2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PatroniCodec.decodeMember("x", "{\"tags\":[1]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tags");
        assertThatThrownBy(() -> PatroniCodec.decodeMember("", "{}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memberWithAnUnusableField_isKeptWithoutIt_andTheFieldIsNamed() {
        Decoded<Member> read = PatroniCodec.readMember(
                "x",
                "{\"xlog_location\":\"0/3000060\",\"timeline\":0,\"api_url\":\"not a url\","
                        + "\"conn_url\":\"postgres://u:pw@h:5432/db\",\"role\":{\"a\":1}}");

        Member m = read.value().orElseThrow();
        assertThat(m.xlogLocation()).isEmpty();
        assertThat(m.timeline()).isEmpty();
        assertThat(m.apiUrl()).isEmpty();
        assertThat(m.connUrl()).contains("postgres://u:pw@h:5432/db");
        assertThat(m.role()).isEqualTo(MemberRole.UNINITIALIZED);
        assertThat(String.join("; ", read.problems()))
                .contains("xlog_location", "timeline", "api_url", "role")
                .doesNotContain("pw@");
    }

    @Test
    void config_isTheJsonObject_withItsVersion() throws Exception {
        String json = "{\"loop_wait\":10,\"maximum_lag_on_failover\":1048576,\"postgresql\":{\"parameters\":"
                + "{\"max_connections\":100,\"wal_level\":\"replica\"},\"use_pg_rewind\":true},\"retry_timeout\":10,"
                + "\"ttl\":30}";

        ClusterConfig config = PatroniCodec.decodeConfig(json, 42);

        assertThat(config.version()).isEqualTo(42);
        assertThat(config.raw()).containsEntry("ttl", 30).containsKey("postgresql");
        assertThat(config.settings().ttl()).hasSeconds(30);
        assertThat(JSON.readTree(PatroniCodec.encodeConfig(config.raw()))).isEqualTo(JSON.readTree(json));
        assertThatThrownBy(() -> PatroniCodec.decodeConfig("[]", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void status_omitsEmptySlotsAndRetainSlots() {
        var plain = new PatroniCodec.Status(Optional.of(new Lsn(67108960)), new TreeMap<>(), List.of());
        var full = new PatroniCodec.Status(
                Optional.of(new Lsn(67108960)), new TreeMap<>(Map.of("n2", new Lsn(67108800))), List.of("n2", "n3"));

        assertThat(PatroniCodec.encodeStatus(plain)).isEqualTo("{\"optime\":67108960}");
        assertThat(PatroniCodec.encodeStatus(full))
                .isEqualTo("{\"optime\":67108960,\"slots\":{\"n2\":67108800},\"retain_slots\":[\"n2\",\"n3\"]}");
        assertThat(PatroniCodec.decodeStatus(PatroniCodec.encodeStatus(full))).isEqualTo(full);
    }

    @Test
    void status_acceptsABareInteger_andIgnoresFieldsOfTheWrongType() {
        assertThat(PatroniCodec.decodeStatus("67108960").optime()).contains(new Lsn(67108960));

        var odd = PatroniCodec.decodeStatus("{\"optime\":\"x\",\"slots\":{\"a\":\"y\",\"b\":5},\"retain_slots\":7}");

        assertThat(odd.optime()).isEmpty();
        assertThat(odd.slots()).containsOnlyKeys("b");
        assertThat(odd.retainSlots()).isEmpty();
    }

    @Test
    void legacyOptimeKey_isADecimalString() {
        assertThat(PatroniCodec.decodeLegacyOptime("50331808")).isEqualTo(new Lsn(50331808));
        assertThat(PatroniCodec.encodeLegacyOptime(new Lsn(50331808))).isEqualTo("50331808");
        assertThatThrownBy(() -> PatroniCodec.decodeLegacyOptime("0/3000060"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void history_linesWithAndWithoutTimestampAndLeader_roundTripExactly() {
        String json = "[[1,50331808,\"no recovery target specified\"],"
                + "[2,83886240,\"no recovery target specified\",\"2024-05-01T10:00:00.123456+00:00\",\"n2\"]]";

        List<HistoryEntry> history = PatroniCodec.decodeHistory(json);

        assertThat(history).hasSize(2);
        assertThat(history.get(0).timeline()).isEqualTo(new Timeline(1));
        assertThat(history.get(0).switchLsn()).isEqualTo(new Lsn(50331808));
        assertThat(history.get(0).timestamp()).isEmpty();
        assertThat(history.get(1).timestamp()).contains("2024-05-01T10:00:00.123456+00:00");
        assertThat(history.get(1).newLeader()).contains("n2");
        assertThat(PatroniCodec.encodeHistory(history)).isEqualTo(json);
        assertThatThrownBy(() -> PatroniCodec.decodeHistory("{}")).isInstanceOf(IllegalArgumentException.class);
        Decoded<List<HistoryEntry>> broken = KeyDecoders.history("[[\"a\"],[0,5,\"x\"],[2,-1],[3,7,\"ok\"]]");
        assertThat(broken.value().orElseThrow())
                .extracting(HistoryEntry::timeline)
                .containsExactly(new Timeline(3));
        assertThat(broken.problems()).hasSize(3).allMatch(p -> p.startsWith("line "));
    }

    @Test
    void failover_usesMemberForTheCandidate_andOmitsWhatIsAbsent() {
        String json = "{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"2024-05-01T10:00:00+00:00\"}";

        FailoverIntent intent = PatroniCodec.decodeFailover(json, 7);

        assertThat(intent.leader()).contains("n1");
        assertThat(intent.candidate()).contains("n2");
        assertThat(intent.scheduledAt()).contains(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(intent.version()).isEqualTo(7);
        assertThat(PatroniCodec.encodeFailover(intent)).isEqualTo(json);
        assertThat(PatroniCodec.encodeFailover(
                        new FailoverIntent(Optional.empty(), Optional.of("n3"), Optional.empty(), 0)))
                .isEqualTo("{\"member\":\"n3\"}");
    }

    @Test
    void failover_readsOtherOffsetsAndTheLegacyLeaderColonCandidateString() {
        var shifted = PatroniCodec.decodeFailover("{\"scheduled_at\":\"2024-05-01T12:00:00.5+02:00\"}", 1);
        var legacy = PatroniCodec.decodeFailover("n1:n2", 3);
        var legacyFailover = PatroniCodec.decodeFailover(":n2", 3);

        assertThat(shifted.scheduledAt()).contains(Instant.parse("2024-05-01T10:00:00.500Z"));
        assertThat(legacy.leader()).contains("n1");
        assertThat(legacy.candidate()).contains("n2");
        assertThat(legacyFailover.leader()).isEmpty();
        assertThat(legacyFailover.candidate()).contains("n2");
        assertThat(PatroniCodec.decodeFailover("{}", 1).isEmpty()).isTrue();
        assertThat(PatroniCodec.decodeFailover("", 1).isEmpty()).isTrue();
        assertThat(PatroniCodec.decodeFailover("{\"leader\":\"\",\"member\":\"\"}", 1)
                        .isEmpty())
                .isTrue();
        // A time that cannot be read makes no request at all: its names without its time would run it at once.
        for (String when : List.of("tomorrow", "+999999999-12-31T23:59:59+00:00", "9999-12-31T23:59:59-01:00")) {
            Decoded<FailoverIntent> read =
                    KeyDecoders.failover("{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"" + when + "\"}", 4);
            assertThat(read.value().orElseThrow().isEmpty()).as(when).isTrue();
            assertThat(read.value().orElseThrow().version()).isEqualTo(4);
            assertThat(read.problems()).singleElement().asString().contains("scheduled_at");
        }
    }

    @Test
    void failover_neverWritesATimePatroniCannotRead() {
        for (String at : List.of("+10000-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "-2000-01-01T00:00:00Z")) {
            FailoverIntent intent =
                    new FailoverIntent(Optional.of("n1"), Optional.of("n2"), Optional.of(Instant.parse(at)), 0);
            assertThatThrownBy(() -> PatroniCodec.encodeFailover(intent))
                    .as(at)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("scheduled_at");
        }
        FailoverIntent last = new FailoverIntent(
                Optional.of("n1"), Optional.empty(), Optional.of(Instant.parse("9999-12-31T23:59:59.999999Z")), 0);
        assertThat(PatroniCodec.encodeFailover(last)).contains("\"scheduled_at\":\"9999-12-31T23:59:59.999999+00:00\"");
    }

    @Test
    void scheduledAt_isWrittenLikePythonIsoformat() {
        assertThat(PatroniCodec.isoFormat(Instant.parse("2024-05-01T10:00:00Z")))
                .isEqualTo("2024-05-01T10:00:00+00:00");
        assertThat(PatroniCodec.isoFormat(Instant.parse("2024-05-01T10:00:00.25Z")))
                .isEqualTo("2024-05-01T10:00:00.250000+00:00");
    }

    @Test
    void sync_withStandbysAndQuorum() {
        String json = "{\"leader\":\"n1\",\"sync_standby\":\"n2,n3\",\"quorum\":1}";

        SyncState sync = PatroniCodec.decodeSync(json, 9);

        assertThat(sync.leader()).contains("n1");
        assertThat(sync.syncStandbys()).containsExactly("n2", "n3");
        assertThat(sync.quorum()).isEqualTo(1);
        assertThat(sync.version()).isEqualTo(9);
        assertThat(PatroniCodec.encodeSync(new SyncState(Optional.of("n1"), List.of("n3", "n2"), 1, 0)))
                .isEqualTo(json);
    }

    @Test
    void sync_withoutStandbysWritesNull_andGarbageReadsAsEmptyKeepingTheVersion() {
        assertThat(PatroniCodec.encodeSync(new SyncState(Optional.of("n1"), List.of(), 0, 0)))
                .isEqualTo("{\"leader\":\"n1\",\"sync_standby\":null,\"quorum\":0}");
        assertThat(PatroniCodec.decodeSync("{\"leader\":\"n1\",\"sync_standby\":null,\"quorum\":0}", 1)
                        .syncStandbys())
                .isEmpty();

        SyncState garbage = PatroniCodec.decodeSync("not json", 5);
        SyncState noLeader = PatroniCodec.decodeSync("{\"sync_standby\":\"n2\",\"quorum\":2}", 6);

        assertThat(garbage.leader()).isEmpty();
        assertThat(garbage.version()).isEqualTo(5);
        assertThat(noLeader.syncStandbys()).isEmpty();
        assertThat(noLeader.quorum()).isZero();
    }

    @Test
    void failsafe_isAMapOfMemberToApiUrl() {
        String json = "{\"n1\":\"http://10.0.0.1:8008/patroni\",\"n2\":\"http://10.0.0.2:8008/patroni\"}";

        var failsafe = PatroniCodec.decodeFailsafe(json);

        assertThat(failsafe).containsEntry("n2", "http://10.0.0.2:8008/patroni").hasSize(2);
        assertThat(PatroniCodec.encodeFailsafe(failsafe)).isEqualTo(json);
    }
}
