package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.Haproxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Replication slots end to end, on three real nodes with {@code synchronous_mode: on} and Patroni's slot settings in
 * the dynamic configuration: a permanent logical slot {@code cdc}, a permanent physical slot {@code archive},
 * {@code ignore_slots} naming {@code ignored_by_name}, and {@code member_slots_ttl: 20}.
 *
 * <p>A change-data-capture client consumes {@code cdc} on whichever node is primary, confirming what it processed,
 * while a client writes numbered rows through HAProxy and {@code pg_receivewal} archives WAL through {@code archive}.
 * The primary crashes, a switchover follows, the new primary crashes: after each leader change the consumer goes on
 * on the new primary from no further than what it had processed, so every acknowledged row reaches it (repeats are
 * allowed, gaps are not), and the archive goes on from the new leader without a missing segment. Slots created by
 * hand, one nobody configured ({@code external_one}, on every node) and one {@code ignore_slots} names, survive all
 * of it and a restart of every agent; {@code /patroni} reports the first as unmanaged, the second not at all. A replica
 * stopped for less than {@code member_slots_ttl} comes back streaming from its slot without a new clone; stopped for
 * longer, it loses the slot on the leader, not before. The tests run in order on one cluster and print their figures
 * on lines starting with {@code SlotsIT figures:}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlotsIT {
    private static final String SCOPE = "it-slots";
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final int MEMBER_SLOTS_TTL = 20;
    private static final int LOOP_WAIT = TestCluster.Timing.FAST.loopWait();
    private static final int TTL = TestCluster.Timing.FAST.ttl();
    private static final String CDC = "cdc";
    private static final String ARCHIVE = "archive";
    private static final String EXTERNAL = "external_one";
    private static final String IGNORED = "ignored_by_name";
    private static final String MARKER = "bellwether-it-marker";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EtcdCluster etcd;
    private TestCluster cluster;
    private Haproxy haproxy;
    private EtcdKv kv;
    private AckedWriter writer;
    private LogicalConsumer consumer;
    private WalReceiver receiver;

    /** {@code restart_lsn} of {@link #EXTERNAL} on each node when it was made. */
    private final Map<String, Long> externalRestartLsn = new HashMap<>();

    /** Where {@link #IGNORED} was made (the first primary), and its {@code restart_lsn} then. */
    private TestNode ignoredOn;

    private long ignoredRestartLsn;
    /** Each node's agent log length when the slots were made by hand: what the agent did since comes after. */
    private final Map<String, Integer> logAtCreation = new HashMap<>();

    /** The slot settings this test is about, in the template's {@code bootstrap.dcs}, as an operator writes them. */
    private static String withSlotSettings(String yaml) {
        String lag = "    maximum_lag_on_failover: 1048576\n";
        String parameters = "        max_connections: 40\n";
        assertThat(yaml).contains(lag).contains(parameters);
        return yaml.replace(
                        lag,
                        lag
                                + "    synchronous_mode: on\n"
                                + "    member_slots_ttl: " + MEMBER_SLOTS_TTL + "\n"
                                + "    slots:\n"
                                + "      " + CDC + ":\n"
                                + "        type: logical\n"
                                + "        database: postgres\n"
                                + "        plugin: test_decoding\n"
                                + "      " + ARCHIVE + ":\n"
                                + "        type: physical\n"
                                + "    ignore_slots:\n"
                                + "    - name: " + IGNORED + "\n")
                .replace(
                        parameters,
                        parameters
                                + "        wal_level: logical\n"
                                + "        max_replication_slots: 10\n"
                                + "        max_wal_senders: 10\n");
    }

    @BeforeAll
    void start() {
        etcd = EtcdCluster.startCluster(1);
        kv = new EtcdKv(etcd.endpoints().get(0));
        cluster = OpsCluster.start(SCOPE, etcd.hostPorts(), 3, SlotsIT::withSlotSettings);
        haproxy = OpsCluster.haproxy(cluster);
    }

    @AfterAll
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
        if (writer != null) {
            writer.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    @Order(1)
    void permanentSlots_onThePrimary_copiesAndMemberSlotsOnReplicas_thenConsumerWriterAndArchiveStart()
            throws Exception {
        TestNode leader = leader();
        cluster.await(
                SETTLE,
                "permanent slots " + CDC + " (logical, test_decoding on postgres) and " + ARCHIVE + " (physical) on "
                        + leader.name,
                () -> trySlots(leader)
                        .map(s -> isCdc(s.get(CDC)) && isPhysical(s.get(ARCHIVE)))
                        .orElse(false));
        // A consumer that has caught up: a replica copies the slot only once it has the WAL the slot still needs,
        // and a fresh clone starts at its base backup, after the segment the new slot was made in.
        try (java.sql.Connection c = leader.connect();
                java.sql.Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
            st.execute("SELECT pg_catalog.pg_switch_wal()");
            st.execute("CHECKPOINT");
            st.execute("SELECT pg_catalog.pg_replication_slot_advance('" + CDC + "', pg_catalog.pg_current_wal_lsn())");
        }
        List<TestNode> replicas = replicasOf(leader);
        cluster.await(
                SETTLE,
                "the status key with the positions of " + CDC + " and " + ARCHIVE + " and retain_slots naming "
                        + names(replicas),
                () -> status().map(s -> s.path("slots").path(CDC).isIntegralNumber()
                                && s.path("slots").path(ARCHIVE).isIntegralNumber()
                                && textsOf(s.path("retain_slots")).containsAll(names(replicas)))
                        .orElse(false));
        for (TestNode replica : replicas) {
            List<String> others = cluster.nodes.stream()
                    .filter(n -> n != replica)
                    .map(n -> n.name)
                    .toList();
            cluster.await(
                    SETTLE,
                    replica.name + " keeping " + ARCHIVE + ", a copy of " + CDC + " and the slots of " + others,
                    () -> trySlots(replica)
                            .map(s -> isPhysical(s.get(ARCHIVE))
                                    && isCdc(s.get(CDC))
                                    && others.stream().allMatch(o -> isPhysical(s.get(o))))
                            .orElse(false));
        }
        awaitLogicalCopiesReady(leader);

        // Slots made by hand: one nobody configured, on every node, and one ignore_slots names, on the primary.
        for (TestNode node : cluster.nodes) {
            logAtCreation.put(node.name, node.agentLog().length());
            externalRestartLsn.put(node.name, createPhysicalSlot(node, EXTERNAL));
        }
        ignoredOn = leader;
        ignoredRestartLsn = createPhysicalSlot(leader, IGNORED);
        AckedWriter.createTable(leader);

        long segmentSize = Long.parseLong(
                TestCluster.queryOne(leader, "SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'")
                        .orElseThrow());
        receiver = new WalReceiver(cluster.dir.resolve("wal-archive"), ARCHIVE, segmentSize);
        receiver.streamFrom(leader);
        awaitArchiveStreamingFrom(leader);

        consumer = LogicalConsumer.start(cluster.nodes, CDC);
        writer = AckedWriter.start(haproxy.port(), 1);
        awaitOr(
                SETTLE,
                "the consumer receiving 100 rows on " + leader.name,
                () -> consumer.receivedFrom(leader.name, 0) >= 100,
                () -> "consumer: " + consumer.lastError());
        // The leader has written the status key since (every loop): slots made by hand are not published.
        JsonNode published = status().orElseThrow().path("slots");
        assertThat(published.has(EXTERNAL)).as("status slots: %s", published).isFalse();
        assertThat(published.has(IGNORED)).as("status slots: %s", published).isFalse();
    }

    @Test
    @Order(2)
    void primaryCrash_theConsumerGoesOnOnTheNewPrimary_andTheArchiveOnTheNewLeader() throws Exception {
        changeLeader("crash", true);
    }

    @Test
    @Order(3)
    void switchover_theConsumerGoesOnOnTheNewPrimary_andTheArchiveOnTheNewLeader() throws Exception {
        changeLeader("switchover", false);
    }

    @Test
    @Order(4)
    void secondCrash_theConsumerGoesOnOnTheNewPrimary_andTheArchiveOnTheNewLeader() throws Exception {
        changeLeader("crash", true);
    }

    @Test
    @Order(5)
    void everyAcknowledgedRow_reachedTheConsumer() throws Exception {
        assertThat(writer).as("the writer the first test starts").isNotNull();
        TestNode leader = leader();
        awaitLogicalCopiesReady(leader);
        String retained = retainedWal(leader);
        writer.close();
        List<AckedWriter.Ack> acks = writer.acks();
        assertThat(AckedWriter.missingOn(acks, leader))
                .as("acknowledged rows missing on the primary %s", leader.name)
                .isEmpty();
        Set<Long> acknowledged = acks.stream().map(AckedWriter.Ack::id).collect(Collectors.toCollection(TreeSet::new));
        within(Duration.ofSeconds(60), () -> consumer.seen().containsAll(acknowledged));
        consumer.close();
        Set<Long> gaps = new TreeSet<>(acknowledged);
        gaps.removeAll(consumer.seen());
        System.out.printf(
                "SlotsIT figures: %d acknowledged rows, %d received by the consumer, %d repeats in all, %d gaps;"
                        + " archive: %d WAL segments, %d missing%n",
                acknowledged.size(),
                consumer.seen().size(),
                consumer.repeatsSince(0),
                gaps.size(),
                receiver.segments().size(),
                receiver.holes().size());
        System.out.println("SlotsIT figures: " + retained);
        assertThat(gaps.size())
                .as(
                        "acknowledged rows the consumer never received, of %d (the first: %s); consumer: %s",
                        acknowledged.size(), gaps.stream().limit(20).toList(), consumer.lastError())
                .isZero();
        assertThat(receiver.holes()).as("segments missing in the archive").isEmpty();
    }

    @Test
    @Order(6)
    void slotsMadeByHand_surviveEverything_andOnlyTheUnconfiguredOneIsReported() throws Exception {
        assertThat(ignoredOn).as("the slots the first test makes by hand").isNotNull();
        if (receiver != null) {
            receiver.stop();
        }
        // Every agent stops (replicas first, so the leader keeps the lock it will take again) and starts again.
        TestNode leader = leader();
        List<TestNode> stopOrder = new ArrayList<>(replicasOf(leader));
        stopOrder.add(leader);
        for (TestNode node : stopOrder) {
            node.signalAgent("TERM");
            assertThat(node.agent().waitFor(Duration.ofSeconds(60)))
                    .as("agent of %s exited on SIGTERM", node.name)
                    .isTrue();
        }
        cluster.nodes.forEach(TestNode::startAgent);
        TestNode next = cluster.awaitLeader(OpsCluster.UP);
        cluster.awaitStreaming(next, 2, OpsCluster.UP);
        for (TestNode node : cluster.nodes) {
            cluster.await(
                    SETTLE,
                    node.name + " accepting connections",
                    () -> TestCluster.tryQueryOne(node, "SELECT 1").isPresent());
        }

        List<String> problems = new ArrayList<>();
        for (TestNode node : cluster.nodes) {
            checkMadeByHand(node, EXTERNAL, externalRestartLsn.get(node.name), problems);
        }
        checkMadeByHand(ignoredOn, IGNORED, ignoredRestartLsn, problems);
        assertThat(problems).as("slots made by hand, after everything").isEmpty();
        Map<String, Slot> onLeader = slots(next);
        assertThat(isCdc(onLeader.get(CDC)))
                .as("%s on %s: %s", CDC, next.name, onLeader)
                .isTrue();
        assertThat(isPhysical(onLeader.get(ARCHIVE)))
                .as("%s on %s: %s", ARCHIVE, next.name, onLeader)
                .isTrue();

        for (TestNode node : cluster.nodes) {
            cluster.await(
                    SETTLE,
                    node.name + "'s /patroni listing exactly [" + EXTERNAL + "] as unmanaged_slots",
                    () -> node.getJson("/patroni")
                            .map(p -> unmanagedNames(p).equals(List.of(EXTERNAL)))
                            .orElse(false));
            JsonNode entry = node.getJson("/patroni")
                    .orElseThrow()
                    .path("unmanaged_slots")
                    .get(0);
            assertThat(entry.path("type").asText()).as(entry.toString()).isEqualTo("physical");
            assertThat(entry.path("active").isBoolean()).as(entry.toString()).isTrue();
            assertThat(entry.path("active").asBoolean()).as(entry.toString()).isFalse();
            assertThat(entry.path("retained_wal_bytes").isIntegralNumber())
                    .as(entry.toString())
                    .isTrue();
            assertThat(entry.path("retained_wal_bytes").asLong())
                    .as(entry.toString())
                    .isNotNegative();
        }
    }

    @Test
    @Order(7)
    void replicaStoppedForLessThanMemberSlotsTtl_streamsAgainFromItsSlotWithoutANewClone() throws Exception {
        TestNode leader = leader();
        TestNode replica = asynchronousReplica(leader);
        cluster.await(
                SETTLE,
                replica.name + " streaming from " + leader.name,
                () -> Replication.streamsFrom(replica, leader));
        Path marker = replica.dataDir.resolve(MARKER);
        Files.writeString(marker, "kept unless the data directory is cloned or rewound");
        Object directory = fileKey(replica.dataDir);
        int logBefore = replica.agentLog().length();

        stopNode(replica);
        long stopped = System.nanoTime();
        long reachable;
        long gone;
        Duration away;
        try {
            cluster.await(
                    Duration.ofSeconds(30),
                    replica.name + "'s slot on " + leader.name + " no longer in use",
                    () -> trySlots(leader)
                            .map(s -> s.containsKey(replica.name)
                                    && !s.get(replica.name).active())
                            .orElse(false));
            // The replica has nothing beyond the primary's position now: its slot must not pass it while away.
            reachable = WriteWorkload.parseLsn(TestCluster.queryOne(leader, "SELECT pg_current_wal_lsn()::text")
                    .orElseThrow());
            // The member has left the cluster (its key deleted or expired); its slot stays for member_slots_ttl.
            cluster.await(
                    Duration.ofSeconds(TTL + 10L),
                    replica.name + "'s member key gone from the DCS",
                    () -> memberKeyGone(replica));
            gone = System.nanoTime();
            // WAL the replica has not received, in segments the primary would recycle at a checkpoint but for a slot.
            for (int i = 0; i < 2; i++) {
                execute(leader, "CREATE TABLE IF NOT EXISTS slot_filler (id int, pad text)");
                execute(leader, "INSERT INTO slot_filler SELECT g, repeat('x', 200) FROM generate_series(1, 10000) g");
                execute(leader, "SELECT pg_switch_wal()");
                execute(leader, "CHECKPOINT");
            }
            // A leader dropping the slot of a member it no longer sees would have done it by now.
            long lookedLongEnough = gone + Duration.ofSeconds(LOOP_WAIT + 1L).toNanos();
            Thread.sleep(Math.max(0, (lookedLongEnough - System.nanoTime()) / 1_000_000));
            Map<String, Slot> onLeader = slots(leader);
            assertThat(onLeader)
                    .as("slots on %s while %s is away", leader.name, replica.name)
                    .containsKey(replica.name);
            Optional<Long> held = onLeader.get(replica.name).restartLsn();
            assertThat(held)
                    .as("restart_lsn of %s's slot on %s while it is away", replica.name, leader.name)
                    .isPresent();
            assertThat(held.get())
                    .as(
                            "restart_lsn %s of %s's slot on %s while it is away, no further than the primary's"
                                    + " position when it went, %s",
                            WriteWorkload.formatLsn(held.get()),
                            replica.name,
                            leader.name,
                            WriteWorkload.formatLsn(reachable))
                    .isLessThanOrEqualTo(reachable);
            away = Duration.ofNanos(System.nanoTime() - stopped);
            assertThat(away).as("time away").isLessThan(Duration.ofSeconds(MEMBER_SLOTS_TTL));
        } finally {
            // The tests after this one need the replica back, whatever happened here.
            replica.startAgent();
        }
        cluster.await(
                SETTLE,
                replica.name + " streaming from " + leader.name + " through its slot again",
                () -> Replication.streamsFrom(replica, leader)
                        && trySlots(leader)
                                .map(s -> s.containsKey(replica.name)
                                        && s.get(replica.name).active())
                                .orElse(false));
        long rejoined = System.nanoTime();
        cluster.await(
                Duration.ofSeconds(30),
                "the rows written while " + replica.name + " was away, on " + replica.name,
                () -> TestCluster.tryQueryOne(replica, "SELECT count(*) FROM slot_filler")
                        .equals(Optional.of("20000")));
        assertThat(marker)
                .as("a file in %s's data directory, kept: no new clone", replica.name)
                .exists();
        assertThat(fileKey(replica.dataDir)).as("the same data directory").isEqualTo(directory);
        assertThat(replica.agentLog().substring(logBefore)).doesNotContain("cloning from");
        System.out.printf(
                "SlotsIT figures: %s stopped for %d ms (its member key gone after %d ms; member_slots_ttl %d s),"
                        + " streaming again from its slot %d ms after its agent started%n",
                replica.name,
                away.toMillis(),
                Duration.ofNanos(gone - stopped).toMillis(),
                MEMBER_SLOTS_TTL,
                Duration.ofNanos(rejoined - stopped).minus(away).toMillis());
    }

    @Test
    @Order(8)
    void replicaStoppedForLongerThanMemberSlotsTtl_losesItsSlotOnTheLeaderThenAndNotBefore() throws Exception {
        TestNode leader = leader();
        TestNode replica = asynchronousReplica(leader);
        cluster.await(
                SETTLE,
                replica.name + " streaming from " + leader.name,
                () -> Replication.streamsFrom(replica, leader));
        stopNode(replica);
        long stopped = System.nanoTime();
        // The leader may count from the member's last report, up to a loop before the stop: check until then.
        long stillKeptUntil =
                stopped + Duration.ofSeconds(MEMBER_SLOTS_TTL - LOOP_WAIT - 1).toNanos();
        while (System.nanoTime() < stillKeptUntil) {
            long at = System.nanoTime();
            Map<String, Slot> onLeader = slots(leader);
            assertThat(onLeader)
                    .as(
                            "%s's slot on %s %d ms after %s stopped (member_slots_ttl %d s)",
                            replica.name,
                            leader.name,
                            Duration.ofNanos(at - stopped).toMillis(),
                            replica.name,
                            MEMBER_SLOTS_TTL)
                    .containsKey(replica.name);
            Thread.sleep(500);
        }
        assertThat(status().map(s -> textsOf(s.path("retain_slots"))).orElse(List.of()))
                .as("retain_slots shortly before member_slots_ttl runs out")
                .contains(replica.name);

        // Gone once the ttl has run out: allow the member key's own ttl and a few loops for the leader to notice.
        Duration bound = Duration.ofSeconds(MEMBER_SLOTS_TTL + TTL + 3L * LOOP_WAIT + 10);
        cluster.await(
                bound.minus(Duration.ofNanos(System.nanoTime() - stopped)),
                replica.name + "'s slot dropped on " + leader.name + " within " + bound + " of its stop",
                () -> trySlots(leader).map(s -> !s.containsKey(replica.name)).orElse(false));
        Duration dropped = Duration.ofNanos(System.nanoTime() - stopped);
        System.out.printf(
                "SlotsIT figures: %s's slot dropped on %s %d ms after %s stopped (member_slots_ttl %d s)%n",
                replica.name, leader.name, dropped.toMillis(), replica.name, MEMBER_SLOTS_TTL);
        cluster.await(
                Duration.ofSeconds(4L * LOOP_WAIT + 5),
                "retain_slots without " + replica.name,
                () -> status().map(s -> !textsOf(s.path("retain_slots")).contains(replica.name))
                        .orElse(false));
        assertThat(slots(leader)).as("slots on %s", leader.name).containsKeys(CDC, ARCHIVE);
    }

    /**
     * One leader change while the consumer, the writer and the archive run: the current primary crashes (its agent
     * and PostgreSQL get SIGKILL, then it starts again) or switches over. Then the consumer must go on on the new
     * primary from no further than it had processed, and the archive from the new leader's {@code archive} slot.
     */
    private void changeLeader(String how, boolean crash) throws Exception {
        assertThat(consumer).as("the consumer the first test starts").isNotNull();
        TestNode old = leader();
        awaitReadyForLeaderChange(old);
        long before = System.nanoTime();
        awaitOr(
                SETTLE,
                "the consumer receiving rows on " + old.name,
                () -> consumer.receivedFrom(old.name, before) > 0,
                () -> "consumer: " + consumer.lastError());
        long repeatsBefore = consumer.repeatsSince(0);
        long fault = System.nanoTime();
        if (crash) {
            old.crash();
        } else {
            Rest.Reply reply = Rest.call(old, "POST", "/switchover", "{\"leader\": \"" + old.name + "\"}");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.body()).startsWith("Successfully switched over to ");
        }
        TestNode next = awaitNewLeader(old);
        long seen = System.nanoTime();
        if (crash) {
            old.startAgent();
        }
        awaitOr(
                SETTLE,
                "the consumer receiving rows on the new primary " + next.name,
                () -> consumer.firstBatchFrom(next.name, seen).isPresent(),
                () -> "consumer: " + consumer.lastError());
        long resumed = consumer.firstBatchFrom(next.name, seen).getAsLong();
        for (LogicalConsumer.Session session : consumer.sessions()) {
            if (session.startedNanos() > fault && session.processedBefore() >= 0) {
                assertThat(session.startLsn())
                        .as(
                                "%s on %s stands at %s, beyond the end of what the consumer had processed, %s",
                                CDC,
                                session.node(),
                                WriteWorkload.formatLsn(session.startLsn()),
                                WriteWorkload.formatLsn(session.processedBefore()))
                        .isLessThanOrEqualTo(session.processedBefore());
            }
        }

        // The archive: the new leader has the slot, no further than the archive has; the archive goes on from it.
        receiver.stop();
        long archived = receiver.completeUpTo()
                .orElseThrow(() -> new AssertionError("no complete segment archived\n" + receiver.logTail()));
        cluster.await(
                SETTLE,
                "permanent slot " + ARCHIVE + " with a restart_lsn on the new leader " + next.name,
                () -> trySlots(next)
                        .map(s -> isPhysical(s.get(ARCHIVE))
                                && s.get(ARCHIVE).restartLsn().isPresent())
                        .orElse(false));
        long archiveSlot = slots(next).get(ARCHIVE).restartLsn().orElseThrow();
        assertThat(archiveSlot)
                .as(
                        "restart_lsn %s of %s on %s, no further than the archive's complete segments (%s)",
                        WriteWorkload.formatLsn(archiveSlot), ARCHIVE, next.name, WriteWorkload.formatLsn(archived))
                .isLessThanOrEqualTo(archived);
        receiver.streamFrom(next);
        awaitArchiveStreamingFrom(next);

        cluster.awaitStreaming(next, 2, OpsCluster.UP);
        long repeats = consumer.repeatsSince(0) - repeatsBefore;
        String line = String.format(
                "%s %s -> %s: new leader seen %d ms after the %s, first change received %d ms after that, %d repeats",
                how,
                old.name,
                next.name,
                Duration.ofNanos(seen - fault).toMillis(),
                how,
                Duration.ofNanos(resumed - seen).toMillis(),
                repeats);
        System.out.println("SlotsIT figures: " + line);
    }

    /**
     * Before a leader change: both replicas stream, a synchronous standby is named (so one may take over without
     * losing a commit), and each replica's copy of {@code cdc} is ready, as a consumer on it after a failover needs.
     */
    private void awaitReadyForLeaderChange(TestNode leader) {
        cluster.awaitStreaming(leader, 2, OpsCluster.UP);
        cluster.await(
                SETTLE,
                "every node seeing a synchronous standby of " + leader.name,
                () -> cluster.nodes.stream()
                        .allMatch(n -> !FaultBed.synchronousStandbys(n).isEmpty()));
        awaitLogicalCopiesReady(leader);
    }

    /** Each replica's {@code /patroni} lists {@code cdc} as ready and says it is safe for a logical failover. */
    private void awaitLogicalCopiesReady(TestNode leader) {
        for (TestNode replica : replicasOf(leader)) {
            cluster.await(
                    SETTLE,
                    replica.name + "'s /patroni: " + CDC + " in logical_slots.ready, logical_failover_safe true",
                    () -> replica.getJson("/patroni")
                            .map(p -> textsOf(p.path("logical_slots").path("ready"))
                                            .contains(CDC)
                                    && !textsOf(p.path("logical_slots").path("not_ready"))
                                            .contains(CDC)
                                    && p.path("logical_failover_safe").asBoolean(false))
                            .orElse(false));
        }
    }

    /** pg_receivewal streams from {@code node} through its {@code archive} slot and completes a segment there. */
    private void awaitArchiveStreamingFrom(TestNode node) {
        awaitOr(
                SETTLE,
                "pg_receivewal using " + ARCHIVE + " on " + node.name,
                () -> trySlots(node)
                        .map(s -> s.containsKey(ARCHIVE) && s.get(ARCHIVE).active())
                        .orElse(false),
                receiver::logTail);
        long switched = WriteWorkload.parseLsn(
                TestCluster.queryOne(node, "SELECT pg_switch_wal()::text").orElseThrow());
        awaitOr(
                SETTLE,
                "pg_receivewal completing the segment of " + WriteWorkload.formatLsn(switched - 1) + " from "
                        + node.name,
                () -> receiver.hasComplete(switched - 1),
                receiver::logTail);
        assertThat(receiver.holes())
                .as("segments missing in the archive: %s", receiver.segments())
                .isEmpty();
    }

    /**
     * Adds to {@code problems} how the slot {@code name} made by hand on {@code node} with {@code restartLsn} is not
     * as it was made. A rewind is named: PostgreSQL's pg_rewind (14 and later) empties the target's pg_replslot, so
     * an agent that rewinds must put such slots back itself.
     */
    private void checkMadeByHand(TestNode node, String name, long restartLsn, List<String> problems) {
        Slot slot = slots(node).get(name);
        String since = node.agentLog().substring(logAtCreation.getOrDefault(node.name, 0));
        String why = (since.contains("rewinding from") ? " (the node was rewound since it was made)" : "")
                + (since.contains("dropping replication slot " + name) ? " (its agent logged dropping it)" : "");
        if (slot == null) {
            problems.add(name + " is gone from " + node.name + why);
        } else if (!slot.type().equals("physical") || !slot.restartLsn().equals(Optional.of(restartLsn))) {
            problems.add(name + " on " + node.name + " changed from a physical slot at "
                    + WriteWorkload.formatLsn(restartLsn) + " to " + slot + why);
        }
    }

    /**
     * WAL held back by {@code cdc} on the primary and by its copies on the replicas (their position minus the slot's
     * restart_lsn; a replica's extra beyond the primary's in brackets), and the size of every node's pg_wal.
     */
    private String retainedWal(TestNode leader) {
        Optional<Long> onPrimary = heldBack(leader, "pg_current_wal_lsn()");
        StringBuilder out = new StringBuilder("WAL held back by " + CDC + ": " + leader.name + " (primary) "
                + onPrimary.map(b -> b / 1024 + " kB").orElse("no slot"));
        for (TestNode replica : replicasOf(leader)) {
            Optional<Long> held = heldBack(replica, "pg_last_wal_replay_lsn()");
            out.append(", ")
                    .append(replica.name)
                    .append(' ')
                    .append(held.map(b -> String.format(
                                    "%d kB (%+d kB against the primary)", b / 1024, (b - onPrimary.orElse(0L)) / 1024))
                            .orElse("no copy"));
        }
        out.append("; pg_wal:");
        for (TestNode node : cluster.nodes) {
            out.append(' ')
                    .append(node.name)
                    .append(' ')
                    .append(TestCluster.tryQueryOne(node, "SELECT sum(size)::bigint FROM pg_ls_waldir()")
                            .map(b -> Long.parseLong(b) / (1024 * 1024) + " MB")
                            .orElse("?"));
        }
        return out.toString();
    }

    private static Optional<Long> heldBack(TestNode node, String position) {
        return TestCluster.tryQueryOne(
                        node,
                        "SELECT pg_wal_lsn_diff(" + position + ", restart_lsn)::bigint FROM pg_replication_slots"
                                + " WHERE slot_name = '" + CDC + "' AND restart_lsn IS NOT NULL")
                .map(Long::parseLong);
    }

    /** A slot as {@code pg_replication_slots} shows it. */
    private record Slot(String type, String plugin, String database, Optional<Long> restartLsn, boolean active) {}

    /** Every slot of {@code node}; fails the test when it does not answer. */
    private static Map<String, Slot> slots(TestNode node) {
        try (Connection c = node.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT slot_name, slot_type, coalesce(plugin, ''),"
                        + " coalesce(database, ''), restart_lsn::text, active FROM pg_replication_slots")) {
            Map<String, Slot> out = new HashMap<>();
            while (r.next()) {
                out.put(
                        r.getString(1),
                        new Slot(
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                Optional.ofNullable(r.getString(5)).map(WriteWorkload::parseLsn),
                                r.getBoolean(6)));
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError("slots of " + node.name + ": " + e.getMessage(), e);
        }
    }

    /** Like {@link #slots} for polling: a node that cannot answer yet reads as empty. */
    private static Optional<Map<String, Slot>> trySlots(TestNode node) {
        try {
            return Optional.of(slots(node));
        } catch (AssertionError e) {
            return Optional.empty();
        }
    }

    private static boolean isCdc(Slot slot) {
        return slot != null
                && slot.type().equals("logical")
                && slot.plugin().equals("test_decoding")
                && slot.database().equals("postgres");
    }

    private static boolean isPhysical(Slot slot) {
        return slot != null && slot.type().equals("physical");
    }

    /**
     * Creates a physical slot by hand, reserving WAL at once, and returns its restart_lsn. A replica may be restarting
     * (to load the logical slots it copied): then again.
     */
    private long createPhysicalSlot(TestNode node, String name) {
        long[] restartLsn = new long[1];
        cluster.await(SETTLE, "slot " + name + " made by hand on " + node.name, () -> {
            Optional<Map<String, Slot>> slots = trySlots(node);
            if (slots.isPresent() && slots.get().containsKey(name)) {
                restartLsn[0] = slots.get().get(name).restartLsn().orElseThrow();
                return true;
            }
            TestCluster.tryQueryOne(node, "SELECT pg_create_physical_replication_slot('" + name + "', true)::text");
            return false;
        });
        return restartLsn[0];
    }

    /** The names {@code /patroni} lists as {@code unmanaged_slots}, sorted. */
    private static List<String> unmanagedNames(JsonNode patroni) {
        List<String> names = new ArrayList<>();
        patroni.path("unmanaged_slots").forEach(s -> names.add(s.path("name").asText()));
        return names.stream().sorted().toList();
    }

    private static List<String> textsOf(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Whether {@code node}'s member key is gone from the DCS; an unanswered read is no proof. */
    private boolean memberKeyGone(TestNode node) {
        try {
            return kv.get("/service/" + SCOPE + "/members/" + node.name).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The DCS {@code status} key, as the leader last wrote it. */
    private Optional<JsonNode> status() {
        try {
            Optional<String> value = kv.get("/service/" + SCOPE + "/status");
            return value.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(value.get()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private TestNode leader() {
        return cluster.awaitLeader(SETTLE);
    }

    private List<TestNode> replicasOf(TestNode leader) {
        return cluster.nodes.stream().filter(n -> n != leader).toList();
    }

    private static List<String> names(List<TestNode> nodes) {
        return nodes.stream().map(n -> n.name).toList();
    }

    /** A replica the {@code sync} key does not name (its stop stalls no commit), else any replica. */
    private TestNode asynchronousReplica(TestNode leader) {
        List<String> synchronous = FaultBed.synchronousStandbys(leader);
        List<TestNode> replicas = replicasOf(leader);
        return replicas.stream()
                .filter(n -> !synchronous.contains(n.name))
                .findFirst()
                .orElse(replicas.get(0));
    }

    /** Waits until a node other than {@code old} is the only one answering {@code /primary} with 200. */
    private TestNode awaitNewLeader(TestNode old) {
        TestNode[] found = new TestNode[1];
        cluster.await(SETTLE, "a new leader other than " + old.name, () -> {
            List<TestNode> leaders = cluster.leaders();
            if (leaders.size() == 1 && leaders.get(0) != old) {
                found[0] = leaders.get(0);
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** Stops a replica's agent with SIGTERM, which stops its PostgreSQL; returns once both are gone. */
    private void stopNode(TestNode node) {
        node.signalAgent("TERM");
        assertThat(node.agent().waitFor(Duration.ofSeconds(60)))
                .as("agent of %s exited on SIGTERM", node.name)
                .isTrue();
        cluster.await(
                Duration.ofSeconds(30),
                node.name + "'s PostgreSQL stopped",
                () -> node.postmasterPid().isEmpty());
    }

    /** {@link TestCluster#await}, with {@code detail} (read when it times out) in the failure. */
    private void awaitOr(
            Duration timeout, String what, BooleanSupplier condition, java.util.function.Supplier<String> detail) {
        try {
            cluster.await(timeout, what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + detail.get(), e);
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; says which. */
    private static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    private static void execute(TestNode node, String sql) throws SQLException {
        try (Connection c = node.connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Object fileKey(Path path) throws java.io.IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }
}
