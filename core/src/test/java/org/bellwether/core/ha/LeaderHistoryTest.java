package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Fixtures.SELF;
import static org.bellwether.core.ha.RejoinFixtures.line;

import java.util.List;
import java.util.Optional;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.junit.jupiter.api.Test;

/** The leader publishes its promotions in the history key and checkpoints after a promotion. */
class LeaderHistoryTest {
    private static final String FILE_TIME = "2026-01-01T00:00:00.000000+00:00";

    private static LocalPostgres promoted(int timeline, int checkpointTimeline, List<HistoryEntry> history) {
        return Fixtures.primary(9000, timeline)
                .withControlFile(Optional.of(RejoinFixtures.control(checkpointTimeline, 8000, true)))
                .withTimelineHistory(history);
    }

    private static Decision lead(List<HistoryEntry> published, LocalPostgres local) {
        var cluster = new Fixtures.Cluster().leader(SELF).build();
        cluster = new org.bellwether.core.ClusterView(
                cluster.initialize(),
                cluster.config(),
                cluster.leader(),
                cluster.members(),
                cluster.optime(),
                cluster.slots(),
                published,
                cluster.failover(),
                cluster.sync(),
                cluster.failsafe());
        return HaDecider.decide(Fixtures.observe(cluster, local), HaMemory.INITIAL);
    }

    private static List<HistoryEntry> appended(Decision d) {
        return d.plan().stream()
                .filter(a -> a instanceof Action.AppendHistory)
                .map(a -> ((Action.AppendHistory) a).entry())
                .toList();
    }

    @Test
    void promotedLeader_appendsItsPromotionWithTheFileTimeAndItsName() {
        Decision d = lead(List.of(), promoted(2, 2, List.of(line(1, 5000, FILE_TIME, "ignored"))));
        assertThat(appended(d)).containsExactly(line(1, 5000, FILE_TIME, SELF));
    }

    @Test
    void historyUpToDate_appendsNothing() {
        var published = List.of(line(1, 5000, FILE_TIME, "n2"));
        Decision d = lead(published, promoted(2, 2, List.of(line(1, 5000, FILE_TIME, "n2"))));
        assertThat(appended(d)).isEmpty();
    }

    @Test
    void timelineOne_appendsNothing() {
        assertThat(appended(lead(List.of(), promoted(1, 1, List.of())))).isEmpty();
    }

    @Test
    void lineWrittenWithoutTimeAndLeader_isCompleted() {
        Decision d = lead(List.of(line(1, 5000)), promoted(2, 2, List.of(line(1, 5000))));
        assertThat(appended(d)).containsExactly(line(1, 5000, "2026-01-01T00:00:00.000000+00:00", SELF));
    }

    @Test
    void secondPromotion_appendsOnlyTheNewLineAndKeepsTheEarlierOne() {
        var first = line(1, 5000, "2025-12-01T00:00:00.000000+00:00", "n2");
        Decision d = lead(List.of(first), promoted(3, 3, List.of(line(1, 5000), line(2, 7000, FILE_TIME, "x"))));
        assertThat(appended(d)).containsExactly(line(2, 7000, FILE_TIME, SELF));
        assertThat(TimelineHistory.appended(List.of(first), appended(d).get(0)))
                .containsExactly(first, line(2, 7000, FILE_TIME, SELF));
    }

    @Test
    void publishedHistoryFromAnotherBranch_isRewrittenFromTheFirstDifference() {
        var published = List.of(line(1, 4000, FILE_TIME, "n3"), line(2, 6000, FILE_TIME, "n3"));
        Decision d = lead(published, promoted(2, 2, List.of(line(1, 5000, FILE_TIME, "x"))));
        assertThat(appended(d)).containsExactly(line(1, 5000, FILE_TIME, SELF));
        assertThat(TimelineHistory.appended(published, appended(d).get(0)))
                .containsExactly(line(1, 5000, FILE_TIME, SELF));
    }

    @Test
    void checkpointAfterPromoteNotDone_isRequestedAndAnnounced() {
        LocalPostgres local = promoted(2, 1, List.of(line(1, 5000, FILE_TIME, "x")));
        assertThat(local.awaitingCheckpointAfterPromote()).isTrue();
        assertThat(Fixtures.kinds(lead(List.of(), local))).contains(Action.Kind.CHECKPOINT);
    }

    @Test
    void checkpointAfterPromoteDone_isNotRequestedAgain() {
        LocalPostgres local = promoted(2, 2, List.of(line(1, 5000, FILE_TIME, "x")));
        assertThat(local.awaitingCheckpointAfterPromote()).isFalse();
        assertThat(Fixtures.kinds(lead(List.of(line(1, 5000, FILE_TIME, SELF)), local)))
                .doesNotContain(Action.Kind.CHECKPOINT, Action.Kind.APPEND_HISTORY);
    }

    @Test
    void maxTimelinesHistory_keepsTheNewestLines_andZeroKeepsAll() {
        List<HistoryEntry> four = List.of(line(1, 10), line(2, 20), line(3, 30), line(4, 40));
        assertThat(TimelineHistory.capped(four, 2)).containsExactly(line(3, 30), line(4, 40));
        assertThat(TimelineHistory.capped(four, 0)).isEqualTo(four);
        assertThat(TimelineHistory.capped(four, 9)).isEqualTo(four);
    }

    @Test
    void timestamps_lookLikePatronis() {
        assertThat(TimelineHistory.timestamp(java.time.Instant.parse("2026-03-04T05:06:07.123456789Z")))
                .isEqualTo("2026-03-04T05:06:07.123456+00:00");
        assertThat(new Lsn(1)).isNotNull();
        assertThat(Timeline.FIRST.next()).isEqualTo(new Timeline(2));
    }
}
