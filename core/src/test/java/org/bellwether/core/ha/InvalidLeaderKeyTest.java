package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.ACQUIRE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.DELETE_INVALID_LEADER_KEY;
import static org.bellwether.core.ha.Action.Kind.DEMOTE;
import static org.bellwether.core.ha.Action.Kind.PROMOTE;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.Fixtures.member;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ClusterView.LeaderKey;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.Reason.Code;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A leader key whose value names no possible node ({@link InvalidLeaderKey}): nobody races and a primary demotes while
 * it stands; it counts as expired once seen unchanged for ttl, and is then deleted at the version seen.
 */
class InvalidLeaderKeyTest {
    private static final Member N2 = member("n2", MemberRole.REPLICA, "running");

    /** The cluster with a leader key holding {@code value} at {@code version}; ttl as configured (default 30 s). */
    private static ClusterView heldByNobody(String value, long version, Map<String, Object> config) {
        return new Fixtures.Cluster()
                .config(new TreeMap<>(config))
                .members(member(Fixtures.SELF, MemberRole.REPLICA, "running"), N2)
                .build()
                .withLeader(Optional.empty(), Optional.of(new LeaderKey(value, version)));
    }

    private static ClusterView heldByNobody(long version) {
        return heldByNobody("", version, Map.of());
    }

    private static Observation at(long seconds, ClusterView cluster, LocalPostgres local) {
        return new Observation(
                Fixtures.self(Tags.NONE),
                Duration.ofSeconds(seconds),
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seconds),
                new DcsView.Available(cluster),
                local,
                Optional.empty(),
                new TreeMap<>(),
                Optional.empty(),
                cluster.config().map(c -> c.settings()).orElse(HaSettings.defaults()),
                false);
    }

    private static LocalPostgres replica() {
        return Fixtures.replica(100, Optional.empty());
    }

    /** Runs the cycles at the given seconds on one cluster view, carrying the memory; returns the last decision. */
    private static Decision cycles(ClusterView cluster, LocalPostgres local, long... seconds) {
        HaMemory memory = HaMemory.INITIAL;
        Decision d = null;
        for (long s : seconds) {
            d = HaDecider.decide(at(s, cluster, local), memory);
            memory = d.next();
        }
        return d;
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "\t", "n1\n", " n1", "n1 ", "a/b", "\u0000"})
    void noNodeCanBeCalledSo(String value) {
        assertThat(Member.isValidName(value)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"n1", "node 1", "db-01.example", "\u00e9t\u00e9"})
    void aNodeCanBeCalledSo(String value) {
        assertThat(Member.isValidName(value)).isTrue();
    }

    @ParameterizedTest(name = "first seen at 100 s, now {0} s: {1}")
    @CsvSource({
        "100, LEADER_KEY_NAMES_NOBODY",
        "110, LEADER_KEY_NAMES_NOBODY",
        "129, LEADER_KEY_NAMES_NOBODY",
        "130, DELETING_INVALID_LEADER_KEY",
        "400, DELETING_INVALID_LEADER_KEY"
    })
    void aReplica_waitsTtlFromFirstSight_thenDeletesTheKeyAtTheVersionSeen(long now, Code expected) {
        Decision d = cycles(heldByNobody(5), replica(), 100, now);

        assertThat(d.reason().code()).isEqualTo(expected);
        if (expected == Code.DELETING_INVALID_LEADER_KEY) {
            assertThat(d.plan()).containsExactly(new Action.DeleteInvalidLeaderKey(5));
        } else {
            assertThat(d.plan()).as("nobody races for a lock that exists").isEmpty();
        }
    }

    @Test
    void theWaitRestarts_whenTheKeyChanges() {
        HaMemory memory = HaDecider.decide(at(100, heldByNobody(5), replica()), HaMemory.INITIAL)
                .next();
        memory = HaDecider.decide(at(120, heldByNobody(6), replica()), memory).next();

        assertThat(HaDecider.decide(at(140, heldByNobody(6), replica()), memory)
                        .reason()
                        .code())
                .isEqualTo(Code.LEADER_KEY_NAMES_NOBODY);
        Decision later = HaDecider.decide(at(150, heldByNobody(6), replica()), memory);
        assertThat(later.plan()).containsExactly(new Action.DeleteInvalidLeaderKey(6));
    }

    @Test
    void aShorterTtlConfiguredMeanwhile_doesNotShortenTheWait() {
        HaMemory memory = HaDecider.decide(at(100, heldByNobody(5), replica()), HaMemory.INITIAL)
                .next();
        ClusterView shorter = heldByNobody("", 5, Map.of("ttl", 10, "loop_wait", 2, "retry_timeout", 2));

        assertThat(kinds(HaDecider.decide(at(115, shorter, replica()), memory))).isEmpty();
        assertThat(kinds(HaDecider.decide(at(130, shorter, replica()), memory)))
                .containsExactly(DELETE_INVALID_LEADER_KEY);
    }

    @Test
    void anAbsurdTtl_isReadAsPatronisDefault_soTheKeyStillExpiresWithoutOverflow() {
        ClusterView absurd = heldByNobody("", 5, Map.of("ttl", Long.MAX_VALUE));

        Decision d = cycles(absurd, replica(), 100, 1_000_000);

        assertThat(kinds(d)).containsExactly(DELETE_INVALID_LEADER_KEY);
    }

    @Test
    void thePrimary_demotesAtOnce_forItHoldsNoLock() {
        Decision d = cycles(heldByNobody(5), Fixtures.primary(100, 1), 100);

        assertThat(kinds(d)).containsExactly(DEMOTE);
        assertThat(((Action.Demote) d.plan().get(0)).mode()).isEqualTo(Action.StopMode.FAST);
        assertThat(d.reason().code()).isEqualTo(Code.LEADER_KEY_NAMES_NOBODY);
        assertThat(d.reason().detail()).contains("the leader key holds '' (version 5), which names no node");
    }

    @Test
    void whilePaused_thePrimaryKeepsRunning_andTheKeyStillExpires() {
        ClusterView paused = heldByNobody("", 5, Map.of("pause", true));

        assertThat(cycles(paused, Fixtures.primary(100, 1), 100).plan()).isEmpty();
        assertThat(kinds(cycles(paused, Fixtures.primary(100, 1), 100, 130)))
                .containsExactly(DELETE_INVALID_LEADER_KEY);
    }

    @Test
    void aValueWithControlCharacters_isShownEscaped() {
        Decision d = cycles(heldByNobody("n1\n", 5, Map.of()), replica(), 100);

        assertThat(d.reason().detail()).contains("'n1\\u000a'").doesNotContain("\n");
    }

    @Test
    void onceTheKeyIsGone_theMemoryForgetsIt_andTheRaceRunsAsUsual() {
        HaMemory memory = HaDecider.decide(at(100, heldByNobody(5), replica()), HaMemory.INITIAL)
                .next();
        assertThat(memory.invalidLeaderSeen()).isPresent();
        ClusterView free = heldByNobody(5).withLeader(Optional.empty(), Optional.empty());

        Decision d = HaDecider.decide(at(131, free, replica()), memory);

        assertThat(d.next().invalidLeaderSeen()).isEmpty();
        assertThat(kinds(d)).containsExactly(ACQUIRE_LEADER_LOCK, PROMOTE);
    }

    @Test
    void peersAreNotAskedForARaceThatCannotHappenYet() {
        assertThat(PeerProbe.wanted(heldByNobody(5), Fixtures.self(Tags.NONE), replica()))
                .isEmpty();
        assertThat(PeerProbe.wanted(
                        heldByNobody(5).withLeader(Optional.empty(), Optional.empty()),
                        Fixtures.self(Tags.NONE),
                        replica()))
                .extracting(Member::name)
                .containsExactly("n2");
    }
}
