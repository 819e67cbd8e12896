package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bellwether.postgres.ReplicationIT.execute;
import static org.bellwether.postgres.ReplicationIT.memberSlot;
import static org.bellwether.postgres.ReplicationIT.query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.HostPort;
import org.bellwether.core.Lsn;
import org.bellwether.core.ha.SlotNames;
import org.bellwether.core.ha.Upstream;
import org.bellwether.core.slots.ExistingSlot;
import org.bellwether.core.slots.SlotChange;
import org.bellwether.core.slots.SlotHorizons;
import org.bellwether.core.slots.SlotType;
import org.bellwether.postgres.TestMembers.Member;
import org.bellwether.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication slots against real PostgreSQL: a primary with a logical and a physical slot, and a streaming replica
 * that receives a copy of the logical slot, advances it as the primary's moves, and holds the primary's catalog
 * horizon back through its own physical slot. The steps build on each other, so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlotsIT {
    private static final Logger LOG = LoggerFactory.getLogger(SlotsIT.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LOGICAL = "cdc";
    private static final String PHYSICAL = "archiver";

    private TestMembers members;
    private Member alpha;
    private Member beta;
    private TreeMap<String, Object> parameters;

    @BeforeAll
    void createMembers() throws Exception {
        members = new TestMembers("bellwether-slots-");
        alpha = members.create("alpha");
        beta = members.create("beta");
        parameters = new TreeMap<>();
        parameters.put("wal_level", "logical");
        parameters.put("hot_standby_feedback", "on");
    }

    @AfterAll
    void stopEverything() {
        members.close();
    }

    @Test
    @Order(1)
    void slotsCreatedOnThePrimary_areObservedWithTheirTypeDatabaseAndPlugin() throws Exception {
        alpha.node().bootstrap(parameters);
        List<SlotChange> create = List.of(
                memberSlot(beta),
                new SlotChange.Create(LOGICAL, SlotType.LOGICAL, Optional.of("postgres"), Optional.of("test_decoding")),
                new SlotChange.Create(PHYSICAL, SlotType.PHYSICAL, Optional.empty(), Optional.empty()));

        alpha.node().changeSlots(create);
        alpha.node().changeSlots(create);

        List<ExistingSlot> slots = alpha.node().observe().slots();
        assertThat(slots).extracting(ExistingSlot::name).containsExactly(PHYSICAL, "beta", LOGICAL);
        ExistingSlot cdc = slot(slots, LOGICAL);
        assertThat(cdc.type()).isEqualTo(SlotType.LOGICAL);
        assertThat(cdc.database()).contains("postgres");
        assertThat(cdc.plugin()).contains("test_decoding");
        assertThat(cdc.confirmedFlushLsn()).isPresent();
        assertThat(cdc.catalogXmin()).isPresent();
        assertThat(cdc.walStatus()).contains("reserved");
        ExistingSlot archiver = slot(slots, PHYSICAL);
        assertThat(archiver.type()).isEqualTo(SlotType.PHYSICAL);
        assertThat(archiver.database()).isEmpty();
        assertThat(archiver.restartLsn()).as("reserved at creation").isPresent();
        assertThat(archiver.active()).isFalse();
    }

    @Test
    @Order(2)
    void replica_streamsThroughItsMemberSlot() throws Exception {
        beta.node().cloneFrom(alpha.asUpstream());
        beta.node().start(true, Optional.of(alpha.asUpstream()), parameters);

        await().atMost(WAIT)
                .until(() -> slot(alpha.node().observe().slots(), "beta").active());
        assertThat(beta.node().observe().slots()).isEmpty();
    }

    @Test
    @Order(3)
    void logicalSlotConsumedOnThePrimary_isCopiedToTheReplica() throws Exception {
        Lsn confirmed = writeAndConsume("before the copy");
        Instant startedBefore = beta.node().observe().postmasterStartTime().orElseThrow();

        beta.node().copyLogicalSlots(alpha.asUpstream(), List.of(LOGICAL, "not_on_the_primary"));

        assertThat(beta.node().observe().postmasterStartTime())
                .hasValueSatisfying(t -> assertThat(t).isAfter(startedBefore));
        ExistingSlot copy = slot(beta.node().observe().slots(), LOGICAL);
        assertThat(copy.database()).contains("postgres");
        assertThat(copy.plugin()).contains("test_decoding");
        assertThat(copy.confirmedFlushLsn()).contains(confirmed);
        Path slotDir = beta.dataDirectory().resolve("pg_replslot").resolve(LOGICAL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(slotDir)))
                .isEqualTo("rwx------");
        assertThat(Files.getOwner(slotDir.resolve("state")))
                .isEqualTo(Files.getOwner(beta.dataDirectory().path()));
        assertThat(slotDir.resolveSibling(LOGICAL + ".tmp")).doesNotExist();
        await().atMost(WAIT).until(() -> beta.node().observe().streaming());
    }

    @Test
    @Order(4)
    void copyOfSlotsThePrimaryDoesNotHave_leavesTheReplicaRunning() throws Exception {
        Instant started = beta.node().observe().postmasterStartTime().orElseThrow();

        beta.node().copyLogicalSlots(alpha.asUpstream(), List.of("not_on_the_primary", PHYSICAL));

        assertThat(beta.node().observe().postmasterStartTime()).contains(started);
    }

    @Test
    @Order(5)
    void advancingTheReplicasCopy_movesItsConfirmedFlushInTheBackground() throws Exception {
        Lsn target = writeAndConsume("after the copy");
        await().atMost(WAIT)
                .until(() -> beta.node()
                        .observe()
                        .replayLsn()
                        .filter(r -> !target.isAfter(r))
                        .isPresent());
        Lsn before =
                slot(beta.node().observe().slots(), LOGICAL).confirmedFlushLsn().orElseThrow();
        assertThat(target.isAfter(before)).isTrue();

        long start = System.nanoTime();
        beta.node()
                .changeSlots(
                        List.of(new SlotChange.Advance(LOGICAL, SlotType.LOGICAL, Optional.of("postgres"), target)));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                slot(beta.node().observe().slots(), LOGICAL).confirmedFlushLsn())
                        .contains(target));
        LOG.info(
                "the standby's copy of {} was advanced in {} ms",
                LOGICAL,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    @Test
    @Order(6)
    void leaderHorizons_showTheReplicasFeedbackThroughItsPhysicalSlot() {
        String own = SlotNames.forMember(beta.name());

        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(beta.node().leaderSlotHorizons(alpha.asUpstream(), own, List.of(LOGICAL)))
                                .hasValueSatisfying(
                                        h -> assertThat(h.physicalCatalogXmin()).isPresent()));
        SlotHorizons horizons = beta.node()
                .leaderSlotHorizons(alpha.asUpstream(), own, List.of(LOGICAL, "missing"))
                .orElseThrow();
        assertThat(horizons.logicalCatalogXmin()).containsOnlyKeys(LOGICAL);
        Upstream nobody = new Upstream("nobody", new HostPort("127.0.0.1", FreePorts.next()));
        assertThat(beta.node().leaderSlotHorizons(nobody, own, List.of(LOGICAL)))
                .isEmpty();
    }

    @Test
    @Order(7)
    void dropping_refusesAnActiveSlot_andDropsAnInactiveOne() throws Exception {
        alpha.node()
                .changeSlots(List.of(
                        new SlotChange.Drop("beta", "test: active"),
                        new SlotChange.Drop(PHYSICAL, "test: inactive"),
                        new SlotChange.Drop("never_existed", "test: gone already")));

        assertThat(query(alpha, "SELECT slot_name FROM pg_replication_slots ORDER BY 1"))
                .containsExactly("beta", LOGICAL);
    }

    /** Writes a row on the primary and consumes the logical slot up to it; returns its confirmed flush LSN. */
    private Lsn writeAndConsume(String value) throws Exception {
        execute(alpha, "CREATE TABLE IF NOT EXISTS t (v text); INSERT INTO t VALUES ('" + value + "')");
        assertThat(query(alpha, "SELECT count(*) FROM pg_logical_slot_get_changes('" + LOGICAL + "', NULL, NULL)"))
                .doesNotContain("0");
        return slot(alpha.node().observe().slots(), LOGICAL).confirmedFlushLsn().orElseThrow();
    }

    private static ExistingSlot slot(List<ExistingSlot> slots, String name) {
        return slots.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no slot " + name + " in " + slots));
    }
}
