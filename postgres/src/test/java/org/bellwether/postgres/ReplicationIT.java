package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.LocalPostgres.RunState;
import org.bellwether.core.ha.SlotNames;
import org.bellwether.core.slots.SlotChange;
import org.bellwether.core.slots.SlotType;
import org.bellwether.postgres.TestMembers.Member;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One cluster's life against real PostgreSQL: bootstrap a primary, clone two replicas and stream, switch over to one
 * of them (stop the primary, promote, point the other replica at the new primary), and stop them. The steps build on
 * each other, so they run in order on shared members.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestMembers members;
    private Member alpha;
    private Member beta;
    private Member gamma;
    private String systemId;

    @BeforeAll
    void createMembers() throws Exception {
        members = new TestMembers("bellwether-replication-");
        alpha = members.create("alpha");
        beta = members.create("beta-1");
        gamma = members.create("gamma");
    }

    @AfterAll
    void stopEverything() {
        members.close();
    }

    @Test
    @Order(1)
    void bootstrap_createsARunningPrimaryInPatronisLayout() throws Exception {
        systemId = alpha.node().bootstrap(new TreeMap<>());

        assertThat(systemId).isEqualTo(alpha.node().controlData().orElseThrow().systemIdentifier());
        DataDirectory dir = alpha.dataDirectory();
        assertThat(dir.resolve(ConfigFiles.BASE_CONF)).exists();
        assertThat(Files.readString(dir.resolve(ConfigFiles.POSTGRESQL_CONF)))
                .contains("include 'postgresql.base.conf'")
                .contains("cluster_name = 'it-cluster'")
                .contains("port = '" + alpha.address().port() + "'")
                .doesNotContain("primary_conninfo");
        assertThat(dir.resolve(ConfigFiles.STANDBY_SIGNAL)).doesNotExist();
        assertThat(Files.readString(dir.resolve(ConfigFiles.HBA_CONF))).contains(TestMembers.HBA.get(1));
        assertThat(Files.getOwner(dir.resolve(ConfigFiles.POSTGRESQL_CONF))).isEqualTo(Files.getOwner(dir.path()));

        assertThat(query(alpha, "SELECT rolreplication::text FROM pg_roles WHERE rolname = 'replicator'"))
                .containsExactly("true");
        assertThat(query(
                        alpha,
                        "SELECT has_function_privilege('rewinder',"
                                + " 'pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)', 'EXECUTE')::text"))
                .containsExactly("true");
        assertThat(query(alpha, "SHOW wal_log_hints")).containsExactly("on");
    }

    @Test
    @Order(2)
    void primary_isObservedAsRunningPrimaryOnTimelineOne() {
        LocalPostgres local = alpha.node().observe();

        assertThat(local.isPrimary()).isTrue();
        assertThat(local.dataDirectory()).isEqualTo(LocalPostgres.DataDirectory.INITIALIZED);
        assertThat(local.systemId()).contains(systemId);
        assertThat(local.timeline()).contains(Timeline.FIRST);
        assertThat(local.writeLsn()).isPresent();
        assertThat(local.receiveLsn()).isEmpty();
        assertThat(local.upstream()).isEmpty();
        assertThat(local.controlState()).contains("in production");
        assertThat(local.serverVersion()).hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(150000));
        assertThat(local.postmasterStartTime()).isPresent();
    }

    @Test
    @Order(3)
    void clonedReplicas_streamFromThePrimaryThroughTheirSlots() throws Exception {
        alpha.node().changeSlots(List.of(memberSlot(beta), memberSlot(gamma)));
        for (Member replica : List.of(beta, gamma)) {
            replica.node().cloneFrom(alpha.asUpstream());
            assertThat(replica.node().observe().dataDirectory()).isEqualTo(LocalPostgres.DataDirectory.INITIALIZED);
            replica.node().start(true, Optional.of(alpha.asUpstream()), new TreeMap<>());
        }

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(query(
                                alpha, "SELECT application_name || ' ' || state FROM pg_stat_replication ORDER BY 1"))
                        .containsExactly("beta-1 streaming", "gamma streaming"));
        assertThat(query(alpha, "SELECT slot_name || ' ' || active FROM pg_replication_slots ORDER BY 1"))
                .containsExactly("beta_1 true", "gamma true");
        assertThat(Files.readString(beta.dataDirectory().resolve(ConfigFiles.POSTGRESQL_CONF)))
                .contains("application_name=beta-1")
                .contains("primary_slot_name = 'beta_1'")
                .doesNotContain(TestMembers.REPLICATION.password().orElseThrow());
        assertThat(beta.dataDirectory().resolve(ConfigFiles.STANDBY_SIGNAL)).exists();
    }

    @Test
    @Order(4)
    void rowWrittenOnThePrimary_isReadOnTheReplicas() throws Exception {
        execute(alpha, "CREATE TABLE t (v text); INSERT INTO t VALUES ('from alpha')");

        for (Member replica : List.of(beta, gamma)) {
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> assertThat(query(replica, "SELECT v FROM t")).containsExactly("from alpha"));
        }
    }

    @Test
    @Order(5)
    void namingAStreamingStandby_releasesACommitThatWaitedForAnother() throws Exception {
        execute(alpha, "CREATE TABLE sync_wait (v text)");
        alpha.node().setSynchronousStandbyNames(Optional.of("absent"));
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                execute(alpha, "INSERT INTO sync_wait VALUES ('waited for a standby')");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                query(alpha, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'"))
                        .containsExactly("1"));

        alpha.node().setSynchronousStandbyNames(Optional.of("gamma"));

        // gamma has the row already, but says so only when WAL reaches it again: the change writes some, and returns
        // once no commit from before it waits. Left alone, gamma would answer about a second later.
        commit.get(300, TimeUnit.MILLISECONDS);
        alpha.node().setSynchronousStandbyNames(Optional.empty());
    }

    @Test
    @Order(6)
    void replica_isObservedStreamingFromItsUpstream() {
        await().atMost(WAIT).until(() -> beta.node().observe().streaming());
        LocalPostgres local = beta.node().observe();

        assertThat(local.isReplica()).isTrue();
        assertThat(local.systemId()).contains(systemId);
        assertThat(local.timeline()).contains(Timeline.FIRST);
        assertThat(local.upstream()).contains(alpha.address());
        assertThat(local.receiveLsn()).isPresent();
        assertThat(local.replayLsn()).isPresent();
        assertThat(local.writeLsn()).isEmpty();
        assertThat(local.controlState()).contains("in archive recovery");
        LocalPostgres primary = alpha.node().observe();
        assertThat(primary.replication())
                .extracting(LocalPostgres.ReplicationConnection::applicationName)
                .containsExactly("beta-1", "gamma");
        assertThat(primary.replication()).allSatisfy(r -> assertThat(r.state()).isEqualTo("streaming"));
    }

    @Test
    @Order(7)
    void switchover_promotesAReplicaOntoTimelineTwo_andTheOtherFollowsIt() throws Exception {
        alpha.node().stop(StopMode.FAST);
        assertThat(alpha.node().observe().runState()).isEqualTo(RunState.STOPPED);

        beta.node().promote();
        LocalPostgres promoted = beta.node().observe();
        assertThat(promoted.isPrimary()).isTrue();
        assertThat(promoted.timeline()).contains(new Timeline(2));

        beta.node().changeSlots(List.of(memberSlot(gamma)));
        gamma.node().follow(beta.asUpstream());
        execute(beta, "INSERT INTO t VALUES ('from beta')");

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(query(gamma, "SELECT v FROM t ORDER BY v"))
                        .containsExactly("from alpha", "from beta"));
        await().atMost(WAIT).untilAsserted(() -> {
            LocalPostgres follower = gamma.node().observe();
            assertThat(follower.streaming()).isTrue();
            assertThat(follower.upstream()).contains(beta.address());
            assertThat(follower.timeline()).contains(new Timeline(2));
        });
        assertThat(query(beta, "SELECT application_name || ' ' || state FROM pg_stat_replication"))
                .containsExactly("gamma streaming");
    }

    @Test
    @Order(8)
    void slotsNoLongerWanted_areDroppedUnlessActive() throws Exception {
        execute(beta, "SELECT pg_create_physical_replication_slot('stale')");

        beta.node()
                .changeSlots(List.of(
                        new SlotChange.Drop("stale", "no longer wanted"),
                        new SlotChange.Drop("gamma", "no longer wanted")));

        assertThat(query(beta, "SELECT slot_name FROM pg_replication_slots")).containsExactly("gamma");
    }

    @Test
    @Order(9)
    void stop_immediateAndFast_andAgainOnAStoppedServer() throws Exception {
        gamma.node().stop(StopMode.IMMEDIATE);
        beta.node().stop(StopMode.FAST);
        beta.node().stop(StopMode.FAST);

        LocalPostgres stoppedPrimary = beta.node().observe();
        assertThat(stoppedPrimary.runState()).isEqualTo(RunState.STOPPED);
        assertThat(stoppedPrimary.systemId()).contains(systemId);
        assertThat(stoppedPrimary.controlState()).contains("shut down");
        assertThat(stoppedPrimary.timeline()).contains(new Timeline(2));
        assertThat(beta.node().checkpointLsn()).isPresent();
        LocalPostgres crashedReplica = gamma.node().observe();
        assertThat(crashedReplica.runState()).isEqualTo(RunState.STOPPED);
        assertThat(crashedReplica.controlState()).contains("in archive recovery");
    }

    /** Creating the physical slot a member streams through, as the primary does for every member. */
    static SlotChange memberSlot(Member m) {
        return new SlotChange.Create(
                SlotNames.forMember(m.name()), SlotType.PHYSICAL, Optional.empty(), Optional.empty());
    }

    static List<String> query(Member m, String sql) throws SQLException {
        try (Connection c = connect(m);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    static void execute(Member m, String sql) throws SQLException {
        try (Connection c = connect(m);
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Connection connect(Member m) throws SQLException {
        return new Jdbc(m.address(), TestMembers.SUPERUSER).open();
    }
}
