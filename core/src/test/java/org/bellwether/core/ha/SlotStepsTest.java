package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Fixtures.member;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HostPort;
import org.bellwether.core.Lsn;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.slots.ExistingSlot;
import org.bellwether.core.slots.SlotChange;
import org.bellwether.core.slots.SlotHorizons;
import org.bellwether.core.slots.SlotType;
import org.junit.jupiter.api.Test;

class SlotStepsTest {
    private static final String SELF = Fixtures.SELF;
    private static final HostPort N2_PG = new HostPort("127.0.0.1", 542);

    private static SortedMap<String, Object> config(Object... pairs) {
        SortedMap<String, Object> raw = new TreeMap<>();
        raw.put("member_slots_ttl", 20);
        for (int i = 0; i < pairs.length; i += 2) {
            raw.put((String) pairs[i], pairs[i + 1]);
        }
        return raw;
    }

    @Test
    void theLeader_keepsTheSlotOfADepartedMember_forMemberSlotsTtl_thenDropsIt() {
        var withN3 = new Fixtures.Cluster()
                .leader(SELF)
                .config(config())
                .members(
                        member(SELF, MemberRole.PRIMARY, "running"),
                        member("n2", MemberRole.REPLICA, "running"),
                        member("n3", MemberRole.REPLICA, "running"))
                .build();
        var withoutN3 = new Fixtures.Cluster()
                .leader(SELF)
                .config(config())
                .members(member(SELF, MemberRole.PRIMARY, "running"), member("n2", MemberRole.REPLICA, "running"))
                .build();
        LocalPostgres primary = Fixtures.primary(1000, 1)
                .withSlots(List.of(
                        ExistingSlot.physical("n2", true, Optional.of(new Lsn(900))),
                        ExistingSlot.physical("n3", false, Optional.of(new Lsn(800)))));

        Decision first = HaDecider.decide(at(100, withN3, primary, Optional.empty()), HaMemory.INITIAL);
        Decision kept = HaDecider.decide(at(110, withoutN3, primary, Optional.empty()), first.next());
        Decision expired = HaDecider.decide(at(121, withoutN3, primary, Optional.empty()), kept.next());

        // As in Patroni, retain_slots lists every member slot, refreshed while its member is in the DCS.
        assertThat(statusSlots(kept).retain()).containsExactly("n1", "n2", "n3");
        assertThat(statusSlots(kept).positions())
                .containsEntry("n2", new Lsn(900))
                .containsEntry("n3", new Lsn(800))
                .containsEntry(SlotNames.forMember(SELF), new Lsn(1000));
        assertThat(kept.plan()).noneMatch(a -> a instanceof Action.SyncReplicationSlots);
        assertThat(statusSlots(expired).retain()).containsExactly("n1", "n2");
        assertThat(expired.plan())
                .contains(new Action.SyncReplicationSlots(List.of(new SlotChange.Drop("n3", "no longer wanted"))));
    }

    @Test
    void aNewLeader_keepsTheSlotsThePreviousLeaderRetained_xminAndAll() {
        var cluster = new Fixtures.Cluster()
                .leader(SELF)
                .config(config())
                .members(member(SELF, MemberRole.PRIMARY, "running"), member("n3", MemberRole.REPLICA, "running"))
                .build();
        ClusterView published = withStatus(cluster, Map.of(), List.of("n1", "n2", "n3"));
        ExistingSlot n2Away = new ExistingSlot(
                "n2",
                SlotType.PHYSICAL,
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.of(new Lsn(800)),
                Optional.empty(),
                Optional.of(2779L),
                Optional.empty(),
                Optional.of("reserved"));
        LocalPostgres primary = Fixtures.primary(1000, 1)
                .withSlots(List.of(n2Away, ExistingSlot.physical("n3", true, Optional.of(new Lsn(900)))));

        Decision d = HaDecider.decide(at(100, published, primary, Optional.empty()), HaMemory.INITIAL);

        assertThat(d.plan()).noneMatch(a -> a instanceof Action.SyncReplicationSlots);
        assertThat(statusSlots(d).retain()).containsExactly("n1", "n2", "n3");
    }

    @Test
    void aPausedLeader_makesMissingSlots_butDropsNone() {
        var cluster = new Fixtures.Cluster()
                .leader(SELF)
                .config(config("pause", true))
                .members(member(SELF, MemberRole.PRIMARY, "running"), member("n2", MemberRole.REPLICA, "running"))
                .build();
        LocalPostgres primary = Fixtures.primary(1000, 1)
                .withSlots(List.of(ExistingSlot.physical("gone", false, Optional.of(new Lsn(10)))));
        HaMemory owningGone = HaMemory.INITIAL.withSlots(new org.bellwether.core.slots.SlotMemory(
                new java.util.TreeSet<>(List.of("gone")),
                new TreeMap<>(),
                new TreeMap<>(),
                new java.util.TreeSet<>(),
                org.bellwether.core.slots.SlotReport.NONE,
                Optional.empty()));

        Decision d = HaDecider.decide(at(100, cluster, primary, Optional.empty()), owningGone);

        assertThat(d.plan())
                .contains(new Action.SyncReplicationSlots(
                        List.of(new SlotChange.Create("n2", SlotType.PHYSICAL, Optional.empty(), Optional.empty()))));
        assertThat(d.next().slots().owned()).contains("gone");
    }

    @Test
    void theLeader_createsPermanentSlots_andLeavesOthersAlone_reportingThem() {
        var cluster = new Fixtures.Cluster()
                .leader(SELF)
                .config(config("slots", Map.of("cdc", Map.of("database", "app", "plugin", "pgoutput"))))
                .members(member(SELF, MemberRole.PRIMARY, "running"))
                .build();
        LocalPostgres primary = Fixtures.primary(1000, 1)
                .withSlots(List.of(ExistingSlot.physical("barman", false, Optional.of(new Lsn(400)))));

        Decision d = HaDecider.decide(at(100, cluster, primary, Optional.empty()), HaMemory.INITIAL);

        assertThat(d.plan())
                .contains(new Action.SyncReplicationSlots(List.of(
                        new SlotChange.Create("cdc", SlotType.LOGICAL, Optional.of("app"), Optional.of("pgoutput")))));
        assertThat(d.next().slots().report().unowned())
                .containsExactly(
                        new org.bellwether.core.slots.SlotReport.UnownedSlot("barman", SlotType.PHYSICAL, false, 600));
    }

    @Test
    void aReplica_copiesTheLogicalSlotFromThePrimary_lastInItsPlan() {
        ClusterView cluster = withStatus(ledByN2(), Map.of("cdc", new Lsn(700), "n2", new Lsn(1000)));
        LocalPostgres replica = Fixtures.replica(900, Optional.of(N2_PG));

        Decision d = HaDecider.decide(at(100, cluster, replica, Optional.empty()), HaMemory.INITIAL);

        assertThat(d.plan().get(d.plan().size() - 1))
                .isEqualTo(new Action.CopyLogicalSlots(new Upstream("n2", N2_PG), List.of("cdc")));
        assertThat(d.next().slots().report().logicalNotReady()).containsExactly("cdc");
    }

    @Test
    void aCopyThePrimaryCannotGiveYet_isAskedForAgainOnlyAfterTtl() {
        ClusterView cluster = withStatus(ledByN2(), Map.of("cdc", new Lsn(700)));
        LocalPostgres replica = Fixtures.replica(900, Optional.of(N2_PG));

        Decision first = HaDecider.decide(at(100, cluster, replica, Optional.empty()), HaMemory.INITIAL);
        Decision soon = HaDecider.decide(at(102, cluster, replica, Optional.empty()), first.next());
        Decision later = HaDecider.decide(at(130, cluster, replica, Optional.empty()), soon.next());

        assertThat(first.plan()).anyMatch(a -> a instanceof Action.CopyLogicalSlots);
        assertThat(soon.plan()).noneMatch(a -> a instanceof Action.CopyLogicalSlots);
        assertThat(later.plan()).anyMatch(a -> a instanceof Action.CopyLogicalSlots);
    }

    @Test
    void aReplicasCopy_becomesSafe_onceThePrimaryHoldsItsHorizon_andStaysSo() {
        ClusterView cluster = withStatus(ledByN2(), Map.of("cdc", new Lsn(700)));
        ExistingSlot copy = new ExistingSlot(
                "cdc",
                SlotType.LOGICAL,
                Optional.of("app"),
                Optional.of("pgoutput"),
                false,
                Optional.of(new Lsn(650)),
                Optional.of(new Lsn(700)),
                Optional.empty(),
                Optional.of(510L),
                Optional.of("reserved"));
        LocalPostgres replica = Fixtures.replica(900, Optional.of(N2_PG)).withSlots(List.of(copy));
        SlotHorizons noFeedbackYet = new SlotHorizons(Optional.empty(), new TreeMap<>(Map.of("cdc", 505L)));
        SlotHorizons feedback = new SlotHorizons(Optional.of(508L), new TreeMap<>(Map.of("cdc", 509L)));

        Decision early = HaDecider.decide(at(100, cluster, replica, Optional.of(noFeedbackYet)), HaMemory.INITIAL);
        Decision later = HaDecider.decide(at(102, cluster, replica, Optional.of(feedback)), early.next());
        Decision after = HaDecider.decide(at(104, cluster, replica, Optional.empty()), later.next());

        assertThat(early.next().slots().report().logicalNotReady()).containsExactly("cdc");
        // The primary's horizon is taken from when feedback first showed (509), which is past 508: not yet safe.
        assertThat(later.next().slots().report().logicalNotReady()).containsExactly("cdc");
        SlotHorizons caughtUp = new SlotHorizons(Optional.of(510L), new TreeMap<>(Map.of("cdc", 530L)));
        Decision safe = HaDecider.decide(at(106, cluster, replica, Optional.of(caughtUp)), after.next());
        assertThat(safe.next().slots().report().logicalReady()).containsExactly("cdc");
        assertThat(safe.next().slots().report().logicalFailoverSafe()).isTrue();
        assertThat(SlotProbe.wanted(
                        cluster,
                        Fixtures.self(Tags.NONE),
                        replica,
                        settings(cluster),
                        safe.next().slots()))
                .isEmpty();
    }

    private static ClusterView ledByN2() {
        return new Fixtures.Cluster()
                .leader("n2")
                .config(config("slots", Map.of("cdc", Map.of("database", "app", "plugin", "pgoutput"))))
                .members(member(SELF, MemberRole.REPLICA, "running"), member("n2", MemberRole.PRIMARY, "running"))
                .build();
    }

    private static ClusterView withStatus(ClusterView c, Map<String, Lsn> slots) {
        return withStatus(c, slots, List.of());
    }

    private static ClusterView withStatus(ClusterView c, Map<String, Lsn> slots, List<String> retain) {
        return new ClusterView(
                c.initialize(),
                c.config(),
                c.leader(),
                c.members(),
                c.optime(),
                new TreeMap<>(slots),
                c.history(),
                c.failover(),
                c.sync(),
                c.failsafe(),
                c.initializeVersion(),
                c.invalidLeader(),
                c.problems(),
                retain);
    }

    private static org.bellwether.core.HaSettings settings(ClusterView cluster) {
        return cluster.config().orElseThrow().settings();
    }

    private static Observation at(long seconds, ClusterView cluster, LocalPostgres local, Optional<SlotHorizons> h) {
        return new Observation(
                        Fixtures.self(Tags.NONE),
                        Duration.ofSeconds(seconds),
                        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seconds),
                        new DcsView.Available(cluster),
                        local,
                        Optional.empty(),
                        new TreeMap<>(),
                        Optional.of(Duration.ofSeconds(seconds + 20)),
                        settings(cluster),
                        false)
                .withLeaderSlots(h);
    }

    private static Action.StatusSlots statusSlots(Decision d) {
        return d.plan().stream()
                .filter(a -> a instanceof Action.RenewLeaderLock)
                .map(a -> ((Action.RenewLeaderLock) a).slots().orElseThrow())
                .findFirst()
                .orElseThrow();
    }
}
