package org.bellwether.dcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.KeyProblem;
import org.bellwether.core.Member;
import org.bellwether.core.PatroniTime;
import org.bellwether.core.SyncState;
import org.bellwether.dcs.ClusterAssembler.StoredKey;
import org.junit.jupiter.api.Test;

/**
 * No stored value can fail a read or leave an unusable value behind: thousands of arbitrary values ({@link
 * ArbitraryJson}, seeded) in every key, and valid values with one field replaced at a time. Each read must give a
 * valid value for the key or a {@link KeyProblem} naming it, never an exception. A failure prints the key and the
 * value as a Java literal; {@code -Darbitrary.seed=...} replays another seed.
 */
class ArbitraryValuesTest {
    private static final String PREFIX = "/service/arbitrary/";
    private static final long SEED = Long.getLong("arbitrary.seed", 20260501L);
    private static final int CASES = 3000;
    private static final List<String> KEYS = List.of(
            "initialize",
            "leader",
            "config",
            "failover",
            "sync",
            "history",
            "status",
            "optime/leader",
            "failsafe",
            "members/n1");

    /** A valid value of each JSON key, field by field, for the mutations (sorted: the cases depend on the order). */
    private static final Map<String, Map<String, String>> VALID = new java.util.TreeMap<>(Map.of(
            "members/n1",
            fields(
                    "conn_url", "\"postgres://10.0.0.1:5432/postgres\"",
                    "api_url", "\"http://10.0.0.1:8008/patroni\"",
                    "state", "\"running\"",
                    "role", "\"replica\"",
                    "version", "\"4.0.4\"",
                    "xlog_location", "67108960",
                    "receive_lsn", "67108960",
                    "replay_lsn", "67108000",
                    "replication_state", "\"streaming\"",
                    "timeline", "2",
                    "tags", "{\"nofailover\":false,\"failover_priority\":1,\"replicatefrom\":\"n2\"}",
                    "pending_restart", "true",
                    "pause", "false",
                    "checkpoint_after_promote", "false",
                    "conn_kwargs", "{\"host\":\"h\",\"port\":5432}",
                    "scheduled_restart", "{\"schedule\":\"2030-01-01T00:00:00+00:00\"}"),
            "status",
            fields("optime", "67108960", "slots", "{\"n2\":67108800}", "retain_slots", "[\"n2\"]"),
            "failover",
            fields("leader", "\"n1\"", "member", "\"n2\"", "scheduled_at", "\"2030-05-01T10:00:00+00:00\""),
            "sync",
            fields("leader", "\"n1\"", "sync_standby", "\"n2,n3\"", "quorum", "1"),
            "failsafe",
            fields("n1", "\"http://h1:8008/patroni\"", "n2", "\"http://h2:8008/patroni\""),
            "config",
            fields("ttl", "30", "loop_wait", "10", "postgresql", "{\"use_pg_rewind\":true,\"parameters\":{}}"),
            "history",
            fields(
                    "0",
                    "1",
                    "1",
                    "50331808",
                    "2",
                    "\"no recovery target specified\"",
                    "3",
                    "\"2024-05-01T10:00:00+00:00\"",
                    "4",
                    "\"n2\"")));

    private final ArbitraryJson arbitrary = new ArbitraryJson(new Random(SEED));

    @Test
    void anyValueInAnyKey_readsAsAValidValueOrANamedProblem() {
        for (int i = 0; i < CASES; i++) {
            for (String key : KEYS) {
                check(i, List.of(new StoredKey(key, arbitrary.anyValue(), 7)));
            }
        }
    }

    @Test
    void validValuesWithOneFieldChanged_readAsValidValuesOrNamedProblems() {
        for (int i = 0; i < CASES; i++) {
            for (Map.Entry<String, Map<String, String>> key : VALID.entrySet()) {
                String value = arbitrary.mutated(key.getValue());
                if (key.getKey().equals("history")) {
                    value = "[[1,50331808,\"x\"]," + asLine(value) + "]";
                }
                check(i, List.of(new StoredKey(key.getKey(), value, 7)));
            }
        }
    }

    @Test
    void aWholeClusterOfArbitraryValues_isStillRead() {
        for (int i = 0; i < CASES / 3; i++) {
            List<StoredKey> keys = new ArrayList<>();
            for (String key : KEYS) {
                keys.add(new StoredKey(key, arbitrary.anyValue(), 7 + keys.size()));
            }
            keys.add(new StoredKey("members/n2", arbitrary.mutated(VALID.get("members/n1")), 99));
            check(i, keys);
        }
    }

    /** The history line template is an object by field index; as a line it is the array of its values. */
    private static String asLine(String object) {
        return "[" + object.substring(1, object.length() - 1).replaceAll("\"[0-9]\":", "") + "]";
    }

    private static void check(int caseNumber, List<StoredKey> keys) {
        try {
            ClusterView view = ClusterAssembler.assemble(PREFIX, keys);
            assertUsable(view);
            for (StoredKey key : keys) {
                assertReadOrNamed(key, view);
            }
        } catch (Throwable t) {
            StringBuilder shown = new StringBuilder();
            keys.forEach(k -> shown.append("\n  ")
                    .append(k.relativeKey())
                    .append(" = ")
                    .append(ArbitraryJson.literal(k.value())));
            fail("seed " + SEED + ", case " + caseNumber + ":" + shown + "\n" + t, t);
        }
    }

    /** Every value in the view can be used as the agent uses it, and every problem fits one log line. */
    private static void assertUsable(ClusterView view) {
        for (Member m : view.members()) {
            assertThat(Member.isValidName(m.name())).isTrue();
            m.apiUrl()
                    .ifPresent(u -> assertThat(JsonValues.isHttpUrl(u))
                            .as("api_url %s", u)
                            .isTrue());
            m.connUrl()
                    .ifPresent(u -> assertThat(JsonValues.isPostgresUrl(u))
                            .as("conn_url")
                            .isTrue());
            m.timeline().ifPresent(t -> t.next());
            m.walPosition();
            m.postgresAddress();
            m.tags().canBecomeLeader();
            PatroniCodec.decodeMember(m.name(), PatroniCodec.encodeMember(m));
        }
        assertThat(view.leader().isPresent() && view.invalidLeader().isPresent())
                .isFalse();
        view.leader().ifPresent(l -> assertThat(Member.isValidName(l.name())).isTrue());
        view.invalidLeader()
                .ifPresent(l -> assertThat(Member.isValidName(l.name())).isFalse());
        view.history().forEach(h -> h.timeline().next());
        view.timelineFromHistory();
        PatroniCodec.decodeHistory(PatroniCodec.encodeHistory(view.history()));
        view.failover().ifPresent(ArbitraryValuesTest::assertRoundTrip);
        view.sync().ifPresent(ArbitraryValuesTest::assertUsable);
        view.failsafe().ifPresent(f -> PatroniCodec.decodeFailsafe(PatroniCodec.encodeFailsafe(f)));
        view.config().ifPresent(c -> PatroniCodec.decodeConfig(PatroniCodec.encodeConfig(c.raw()), 1));
        view.isPaused();
        for (KeyProblem p : view.problems()) {
            assertThat(p.key()).startsWith(PREFIX);
            assertThat(p.problem()).isNotBlank().doesNotContain("\n", "\r");
        }
    }

    private static void assertRoundTrip(FailoverIntent intent) {
        intent.scheduledAt()
                .ifPresent(at -> assertThat(PatroniTime.isReadable(at)).isTrue());
        FailoverIntent again = PatroniCodec.decodeFailover(PatroniCodec.encodeFailover(intent), intent.version());
        assertThat(again.scheduledAt()).isEqualTo(intent.scheduledAt());
    }

    private static void assertUsable(SyncState sync) {
        assertThat(sync.quorum()).isBetween(0, sync.syncStandbys().size());
        PatroniCodec.decodeSync(PatroniCodec.encodeSync(sync), sync.version());
    }

    /** The key's value is in the view, or a problem names the key. */
    private static void assertReadOrNamed(StoredKey key, ClusterView view) {
        String name = key.relativeKey();
        boolean named = view.problems().stream().anyMatch(p -> p.key().equals(PREFIX + name));
        boolean read = switch (name) {
            case "initialize" -> view.initialize().isPresent();
            case "leader" -> view.leader().isPresent() || view.invalidLeader().isPresent();
            case "config" -> view.config().isPresent();
            case "failover" -> view.failover().isPresent();
            case "sync" -> view.sync().isPresent();
            case "failsafe" -> view.failsafe().isPresent();
            case "history" -> !view.history().isEmpty() || isEmptyArray(key.value());
            case "status", "optime/leader" -> view.optime().isPresent() || !named && hasNoOptime(key.value());
            default -> view.member(name.substring("members/".length())).isPresent();
        };
        assertThat(read || named).as("%s is read or named as a problem", name).isTrue();
    }

    private static boolean isEmptyArray(String value) {
        return KeyDecoders.history(value).value().map(List::isEmpty).orElse(false);
    }

    /** A status object that simply has no optime (Patroni writes none before the first renewal). */
    private static boolean hasNoOptime(String value) {
        return JsonValues.parse(value)
                .value()
                .map(n -> n.isObject()
                        && (n.get("optime") == null || n.get("optime").isNull()))
                .orElse(false);
    }

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
