package org.bellwether.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bellwether.core.ClusterView;
import org.bellwether.core.KeyProblem;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.dcs.ClusterAssembler.StoredKey;
import org.junit.jupiter.api.Test;

class ClusterAssemblerTest {
    private static final String PREFIX = "/service/demo/";

    @Test
    void aPatroniCluster_becomesAView_withVersionsFromTheStore() {
        ClusterView view = ClusterAssembler.assemble(
                PREFIX,
                List.of(
                        new StoredKey("initialize", "7357872398432105723", 2),
                        new StoredKey("config", "{\"ttl\":30,\"loop_wait\":10}", 3),
                        new StoredKey("leader", "n1", 40),
                        new StoredKey("members/n2", "{\"role\":\"replica\",\"state\":\"streaming\"}", 41),
                        new StoredKey("members/n1", "{\"role\":\"primary\",\"state\":\"running\"}", 39),
                        new StoredKey("status", "{\"optime\":67108960,\"slots\":{\"n2\":67108800}}", 42),
                        new StoredKey("history", "[[1,50331808,\"no recovery target specified\"]]", 12),
                        new StoredKey("failover", "{\"member\":\"n2\"}", 43),
                        new StoredKey("sync", "{\"leader\":\"n1\",\"sync_standby\":\"n2\",\"quorum\":0}", 44),
                        new StoredKey("failsafe", "{\"n1\":\"http://h1:8008/patroni\"}", 45)));

        assertThat(view.initialize()).contains("7357872398432105723");
        assertThat(view.config().orElseThrow().version()).isEqualTo(3);
        assertThat(view.leader()).contains(new ClusterView.LeaderKey("n1", 40));
        assertThat(view.members()).extracting(Member::name).containsExactly("n1", "n2");
        assertThat(view.optime()).contains(new Lsn(67108960));
        assertThat(view.slots()).containsEntry("n2", new Lsn(67108800));
        assertThat(view.timelineFromHistory()).map(t -> t.value()).contains(2);
        assertThat(view.failover().orElseThrow().candidate()).contains("n2");
        assertThat(view.failover().orElseThrow().version()).isEqualTo(43);
        assertThat(view.sync().orElseThrow().syncStandbys()).containsExactly("n2");
        assertThat(view.failsafe().orElseThrow()).containsOnlyKeys("n1");
    }

    @Test
    void unreadableValues_areSkipped_andDoNotHideTheRest() {
        ClusterView view = ClusterAssembler.assemble(
                PREFIX,
                List.of(
                        new StoredKey("leader", "n1", 5),
                        new StoredKey("members/n1", "{\"role\":\"primary\"}", 4),
                        new StoredKey("members/broken", "{oops", 6),
                        new StoredKey("members/", "{}", 6),
                        new StoredKey("history", "not json", 7),
                        new StoredKey("failover", "{\"scheduled_at\":\"soon\"}", 8),
                        new StoredKey("config", "[1]", 9),
                        new StoredKey("0/leader", "citus", 10),
                        new StoredKey("something-new", "x", 11)));

        assertThat(view.leaderName()).contains("n1");
        assertThat(view.members()).extracting(Member::name).containsExactly("n1");
        assertThat(view.history()).isEmpty();
        // Present but empty: no request, and its version is kept for compare-and-set.
        assertThat(view.failover().orElseThrow().isEmpty()).isTrue();
        assertThat(view.failover().orElseThrow().version()).isEqualTo(8);
        // As Patroni: an unreadable config is an empty one that can still be replaced with compare-and-set.
        assertThat(view.config().orElseThrow().raw()).isEmpty();
        assertThat(view.config().orElseThrow().version()).isEqualTo(9);
        assertThat(view.problems())
                .extracting(KeyProblem::key)
                .containsExactly(
                        PREFIX + "members/broken",
                        PREFIX + "members/",
                        PREFIX + "history",
                        PREFIX + "failover",
                        PREFIX + "config");
    }

    @Test
    void withoutStatus_theLegacyOptimeKeyIsUsed() {
        ClusterView legacy = ClusterAssembler.assemble(PREFIX, List.of(new StoredKey("optime/leader", "1234", 1)));
        ClusterView both = ClusterAssembler.assemble(
                PREFIX, List.of(new StoredKey("optime/leader", "1234", 1), new StoredKey("status", "5678", 2)));

        assertThat(legacy.optime()).contains(new Lsn(1234));
        assertThat(both.optime()).contains(new Lsn(5678));
    }

    @Test
    void aLeaderValueNoNodeCanHave_isHeldByNobody_andNamed() {
        for (String value : List.of("", " ", "n1\n", " n1", "a/b", "\u0000")) {
            ClusterView view = ClusterAssembler.assemble(PREFIX, List.of(new StoredKey("leader", value, 3)));

            assertThat(view.leader()).as("'%s'", value).isEmpty();
            assertThat(view.invalidLeader()).contains(new ClusterView.LeaderKey(value, 3));
            assertThat(view.problems()).singleElement().satisfies(p -> {
                assertThat(p.key()).isEqualTo(PREFIX + "leader");
                assertThat(p.version()).isEqualTo(3);
                assertThat(p.problem()).contains("names no node").doesNotContain("\n");
            });
        }
    }

    @Test
    void anInitializeValueThatIsNoSystemIdentifier_isKept_andNamed() {
        ClusterView view = ClusterAssembler.assemble(PREFIX, List.of(new StoredKey("initialize", "garbage", 12)));

        assertThat(view.initialize()).contains("garbage");
        assertThat(view.initializeVersion()).isEqualTo(12);
        assertThat(view.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("'garbage'", "not a PostgreSQL system identifier"));
        assertThat(ClusterAssembler.assemble(PREFIX, List.of(new StoredKey("initialize", "", 2)))
                        .problems())
                .as("empty while a bootstrap runs")
                .isEmpty();
    }
}
