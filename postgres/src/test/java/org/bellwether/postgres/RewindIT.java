package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.bellwether.postgres.ReplicationIT.execute;
import static org.bellwether.postgres.ReplicationIT.memberSlot;
import static org.bellwether.postgres.ReplicationIT.query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.HostPort;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.LeaderTimeline;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.Upstream;
import org.bellwether.postgres.TestMembers.Member;
import org.bellwether.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A forked history against real PostgreSQL: a replica is promoted while the old primary keeps writing; the new
 * primary reports its timeline history and checkpoints; the old primary crashes, is crash-recovered, rewound with
 * pg_rewind onto the new timeline and streams from the new primary; finally it is re-cloned. In order, on shared
 * members.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RewindIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestMembers members;
    private Member alpha;
    private Member beta;
    private List<HistoryEntry> betaHistory;

    @BeforeAll
    void createMembers() throws Exception {
        members = new TestMembers("bellwether-rewind-");
        alpha = members.create("alpha");
        beta = members.create("beta");
    }

    @AfterAll
    void stopEverything() {
        members.close();
    }

    @Test
    @Order(1)
    void primaryOnTimelineOne_reportsNoHistoryAndAnswersTimelineQuestions() throws Exception {
        alpha.node().bootstrap(new TreeMap<>());
        alpha.node().changeSlots(List.of(memberSlot(beta)));
        beta.node().cloneFrom(alpha.asUpstream());
        beta.node().start(true, Optional.of(alpha.asUpstream()), new TreeMap<>());
        execute(alpha, "CREATE TABLE t (v text); INSERT INTO t VALUES ('before the promotion')");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(query(beta, "SELECT v FROM t")).hasSize(1));

        LocalPostgres primary = alpha.node().observe();
        assertThat(primary.timelineHistory()).isEmpty();
        assertThat(primary.controlFile())
                .hasValueSatisfying(c -> assertThat(c.rewindable()).isTrue());
        assertThat(beta.node().leaderTimeline(alpha.asUpstream()))
                .isEqualTo(new LeaderTimeline.Known("alpha", Timeline.FIRST, List.of()));
        LeaderTimeline nobody =
                beta.node().leaderTimeline(new Upstream("nobody", new HostPort("127.0.0.1", FreePorts.next())));
        assertThat(nobody).isInstanceOf(LeaderTimeline.Unreachable.class);
        assertThat(((LeaderTimeline.Unreachable) nobody).error()).contains("nobody");
    }

    @Test
    @Order(2)
    void promotedReplica_reportsItsTimelineHistoryAndCheckpointsAfterThePromotion() throws Exception {
        beta.node().promote();

        LocalPostgres promoted = beta.node().observe();
        assertThat(promoted.timeline()).contains(new Timeline(2));
        betaHistory = promoted.timelineHistory();
        assertThat(betaHistory).hasSize(1);
        HistoryEntry line = betaHistory.get(0);
        assertThat(line.timeline()).isEqualTo(Timeline.FIRST);
        assertThat(line.timestamp()).hasValueSatisfying(t -> assertThat(t).matches("\\d{4}-.*\\+00:00"));

        beta.node().requestCheckpoint();
        await().atMost(WAIT).untilAsserted(() -> {
            LocalPostgres now = beta.node().observe();
            assertThat(now.awaitingCheckpointAfterPromote()).isFalse();
            assertThat(now.controlFile().orElseThrow().checkpointTimeline()).isEqualTo(new Timeline(2));
        });

        LeaderTimeline seen = alpha.node().leaderTimeline(beta.asUpstream());
        assertThat(seen).isInstanceOf(LeaderTimeline.Known.class);
        var known = (LeaderTimeline.Known) seen;
        assertThat(known.timeline()).isEqualTo(new Timeline(2));
        assertThat(known.history())
                .containsExactly(new HistoryEntry(
                        line.timeline(), line.switchLsn(), line.reason(), Optional.empty(), Optional.empty()));
    }

    @Test
    @Order(3)
    void formerPrimaryThatKeptWriting_isCrashRecoveredRewoundAndStreamsFromTheNewPrimary() throws Exception {
        execute(alpha, "INSERT INTO t VALUES ('only on the old primary')");
        execute(beta, "INSERT INTO t VALUES ('on the new primary')");
        Object directoryBefore = fileKey(alpha.dataDirectory().path());
        alpha.node().stop(StopMode.IMMEDIATE);
        assertThat(alpha.node().observe().controlState()).contains("in production");

        alpha.node().crashRecovery();
        LocalPostgres recovered = alpha.node().observe();
        assertThat(recovered.controlState()).contains("shut down");
        Lsn switchPoint = betaHistory.get(0).switchLsn();
        assertThat(recovered.controlFile().orElseThrow().latestCheckpoint().isAfter(switchPoint))
                .as("the old primary's last checkpoint is past the switch point: diverged")
                .isTrue();

        beta.node().changeSlots(List.of(memberSlot(alpha)));
        alpha.node().rewind(beta.asUpstream());
        LocalPostgres rewound = alpha.node().observe();
        assertThat(rewound.runState()).isEqualTo(LocalPostgres.RunState.STOPPED);
        assertThat(rewound.controlFile().orElseThrow().minRecoveryEndTimeline()).contains(new Timeline(2));
        assertThat(Files.readString(alpha.dataDirectory().resolve(ConfigFiles.POSTGRESQL_CONF)))
                .contains("port = '" + alpha.address().port() + "'")
                .contains("port=" + beta.address().port());
        assertThat(alpha.dataDirectory().resolve(ConfigFiles.STANDBY_SIGNAL)).exists();

        alpha.node().start(true, Optional.of(beta.asUpstream()), new TreeMap<>());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                query(beta, "SELECT application_name || ' ' || state" + " FROM pg_stat_replication"))
                        .containsExactly("alpha streaming"));
        assertThat(query(alpha, "SELECT v FROM t ORDER BY v"))
                .containsExactly("before the promotion", "on the new primary");
        assertThat(alpha.node().observe().timeline()).contains(new Timeline(2));
        // pg_rewind makes the directory's content the source's (a marker file would be removed too), but the
        // directory itself stays: a re-clone would have created a new one.
        assertThat(fileKey(alpha.dataDirectory().path()))
                .as("rewound, not cloned")
                .isEqualTo(directoryBefore);
    }

    @Test
    @Order(4)
    void replicaWithoutUpstream_reportsTheTimelineItReplaysNotItsLastRestartpoints() throws Exception {
        beta.node().stop(StopMode.FAST);
        await().atMost(WAIT).until(() -> !alpha.node().observe().streaming());

        LocalPostgres orphan = alpha.node().observe();
        assertThat(orphan.isReplica()).isTrue();
        assertThat(orphan.controlFile().orElseThrow().checkpointTimeline())
                .as("no restartpoint since the rewind")
                .isEqualTo(Timeline.FIRST);
        assertThat(orphan.timeline()).contains(new Timeline(2));

        beta.node().start(false, Optional.empty(), new TreeMap<>());
    }

    @Test
    @Order(5)
    void reinitialize_replacesTheDataDirectoryWithAFreshCloneOfTheSource() throws Exception {
        Path marker = alpha.dataDirectory().resolve("bellwether-it-marker");
        Files.writeString(marker, "removed with the data directory");

        alpha.node().reinitialize(beta.asUpstream());

        assertThat(marker).doesNotExist();
        assertThat(alpha.node().observe().runState()).isEqualTo(LocalPostgres.RunState.STOPPED);
        alpha.node().start(true, Optional.of(beta.asUpstream()), new TreeMap<>());
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(query(alpha, "SELECT count(*)::text FROM t")).containsExactly("2"));
    }

    @Test
    @Order(6)
    void boundedStartThatDoesNotFinish_leavesPostgresStopped() throws Exception {
        // The agent cannot log in once the superuser's password changed: the start never completes.
        execute(beta, "SET password_encryption = 'scram-sha-256'; ALTER ROLE bw_admin PASSWORD 'changed'");
        beta.node().stop(StopMode.FAST);

        assertThatThrownBy(() -> beta.node().start(false, Optional.empty(), new TreeMap<>(), Duration.ofSeconds(5)))
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("did not start within 5 s and was stopped");
        assertThat(beta.dataDirectory().livePostmaster()).isEmpty();
    }

    static Object fileKey(Path path) throws java.io.IOException {
        return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
    }
}
