package org.bellwether.core.slots;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.Lsn;
import org.junit.jupiter.api.Test;

class SlotReconcileTest {
    private static final SlotReconcile.Node PRIMARY = new SlotReconcile.Node(true, Optional.empty(), false, true);
    private static final SlotReconcile.Node REPLICA =
            new SlotReconcile.Node(false, Optional.of(new Lsn(500)), false, true);
    private static final PermanentSlot CDC = PermanentSlot.logical("cdc", "app", "pgoutput");

    @Test
    void aSlotNobodyConfigured_isNeverDropped_butReported() {
        ExistingSlot barman = ExistingSlot.physical("barman", false, Optional.of(new Lsn(10)));

        SlotChanges c = SlotReconcile.plan(wanted(), List.of(barman), Set.of(), SlotSettings.NONE, PRIMARY);

        assertThat(c.changes()).isEmpty();
        assertThat(c.unowned()).containsExactly(barman);
        assertThat(c.owned()).isEmpty();
    }

    @Test
    void anIgnoredSlot_isNeitherChangedNorReported() {
        ExistingSlot mine = ExistingSlot.physical("n2", false, Optional.of(new Lsn(10)));
        SlotSettings ignoring = new SlotSettings(new TreeMap<>(), List.of(IgnoreRule.named("n2")), Duration.ZERO);

        SlotChanges c = SlotReconcile.plan(
                wanted(WantedSlot.forMember("n2", Optional.of(new Lsn(99)), false)),
                List.of(mine),
                Set.of("n2"),
                ignoring,
                REPLICA);

        assertThat(c.changes()).isEmpty();
        assertThat(c.unowned()).isEmpty();
    }

    @Test
    void aSlotThisAgentOwned_isDroppedOnceUnwanted_unlessActive() {
        ExistingSlot idle = ExistingSlot.physical("gone", false, Optional.of(new Lsn(10)));
        ExistingSlot busy = ExistingSlot.physical("busy", true, Optional.of(new Lsn(10)));

        SlotChanges c =
                SlotReconcile.plan(wanted(), List.of(idle, busy), Set.of("gone", "busy"), SlotSettings.NONE, PRIMARY);

        assertThat(c.changes()).containsExactly(new SlotChange.Drop("gone", "no longer wanted"));
        assertThat(c.owned()).containsExactly("busy", "gone");
    }

    @Test
    void nothingIsDroppedWhilePaused() {
        ExistingSlot idle = ExistingSlot.physical("gone", false, Optional.of(new Lsn(10)));

        SlotChanges c = SlotReconcile.plan(
                wanted(),
                List.of(idle),
                Set.of("gone"),
                SlotSettings.NONE,
                new SlotReconcile.Node(true, Optional.empty(), true, true));

        assertThat(c.changes()).isEmpty();
    }

    @Test
    void missingSlots_areCreated_physicalAnywhere_logicalOnThePrimaryOnly() {
        WantedSlot member = WantedSlot.forMember("n2", Optional.empty(), true);
        WantedSlot logical = WantedSlot.of(CDC, Optional.of(new Lsn(300)), false);

        SlotChanges onPrimary =
                SlotReconcile.plan(wanted(member, logical), List.of(), Set.of(), SlotSettings.NONE, PRIMARY);
        SlotChanges onReplica =
                SlotReconcile.plan(wanted(member, logical), List.of(), Set.of(), SlotSettings.NONE, REPLICA);

        assertThat(onPrimary.changes())
                .containsExactly(
                        new SlotChange.Create("cdc", SlotType.LOGICAL, Optional.of("app"), Optional.of("pgoutput")),
                        new SlotChange.Create("n2", SlotType.PHYSICAL, Optional.empty(), Optional.empty()));
        assertThat(onReplica.changes())
                .containsExactly(new SlotChange.Create("n2", SlotType.PHYSICAL, Optional.empty(), Optional.empty()));
        assertThat(onReplica.copyFromPrimary()).containsExactly("cdc");
    }

    @Test
    void aReplicaCopiesOnlyLogicalSlotsThePrimaryPublished() {
        SlotChanges c = SlotReconcile.plan(
                wanted(WantedSlot.of(CDC, Optional.empty(), false)), List.of(), Set.of(), SlotSettings.NONE, REPLICA);

        assertThat(c.copyFromPrimary()).isEmpty();
    }

    @Test
    void aReplicasCopy_isAdvancedToThePrimarysPosition_butNotPastItsReplay() {
        ExistingSlot copy = ExistingSlot.logical("cdc", "app", "pgoutput", false, new Lsn(100));

        SlotChanges behind = SlotReconcile.plan(
                wanted(WantedSlot.of(CDC, Optional.of(new Lsn(300)), false)),
                List.of(copy),
                Set.of(),
                SlotSettings.NONE,
                REPLICA);
        SlotChanges ahead = SlotReconcile.plan(
                wanted(WantedSlot.of(CDC, Optional.of(new Lsn(900)), false)),
                List.of(copy),
                Set.of(),
                SlotSettings.NONE,
                REPLICA);

        assertThat(behind.changes())
                .containsExactly(new SlotChange.Advance("cdc", SlotType.LOGICAL, Optional.of("app"), new Lsn(300)));
        assertThat(ahead.changes())
                .containsExactly(new SlotChange.Advance("cdc", SlotType.LOGICAL, Optional.of("app"), new Lsn(500)));
    }

    @Test
    void thePrimarysOwnLogicalSlot_isNeverAdvancedByHand() {
        ExistingSlot slot = ExistingSlot.logical("cdc", "app", "pgoutput", false, new Lsn(100));

        SlotChanges c = SlotReconcile.plan(
                wanted(WantedSlot.of(CDC, Optional.of(new Lsn(300)), false)),
                List.of(slot),
                Set.of(),
                SlotSettings.NONE,
                PRIMARY);

        assertThat(c.changes()).isEmpty();
    }

    @Test
    void anInactivePhysicalSlot_isAdvanced_anExpectedActiveOneIsNot() {
        ExistingSlot slot = ExistingSlot.physical("n2", false, Optional.of(new Lsn(100)));

        SlotChanges idle = SlotReconcile.plan(
                wanted(WantedSlot.forMember("n2", Optional.of(new Lsn(200)), false)),
                List.of(slot),
                Set.of(),
                SlotSettings.NONE,
                REPLICA);
        SlotChanges expected = SlotReconcile.plan(
                wanted(WantedSlot.forMember("n2", Optional.of(new Lsn(200)), true)),
                List.of(slot),
                Set.of(),
                SlotSettings.NONE,
                PRIMARY);

        assertThat(idle.changes())
                .containsExactly(new SlotChange.Advance("n2", SlotType.PHYSICAL, Optional.empty(), new Lsn(200)));
        assertThat(expected.changes()).isEmpty();
    }

    @Test
    void aWantedSlotWithLostWalOrOtherAttributes_isDroppedToBeMadeAgain() {
        ExistingSlot lost = new ExistingSlot(
                "n2",
                SlotType.PHYSICAL,
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.of(new Lsn(1)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of("lost"));
        ExistingSlot otherPlugin = ExistingSlot.logical("cdc", "app", "test_decoding", false, new Lsn(1));

        SlotChanges c = SlotReconcile.plan(
                wanted(WantedSlot.forMember("n2", Optional.empty(), true), WantedSlot.of(CDC, Optional.empty(), false)),
                List.of(lost, otherPlugin),
                Set.of(),
                SlotSettings.NONE,
                PRIMARY);

        assertThat(c.changes()).extracting(SlotChange::name).containsExactly("n2", "cdc");
        assertThat(c.changes()).allMatch(ch -> ch instanceof SlotChange.Drop);
    }

    @Test
    void anInactivePhysicalSlotHoldingXmin_isDropped_soVacuumIsNotHeldBack() {
        ExistingSlot slot = new ExistingSlot(
                "n2",
                SlotType.PHYSICAL,
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.of(new Lsn(1)),
                Optional.empty(),
                Optional.of(742L),
                Optional.empty(),
                Optional.of("reserved"));

        SlotChanges c = SlotReconcile.plan(
                wanted(WantedSlot.forMember("n2", Optional.of(new Lsn(200)), false)),
                List.of(slot),
                Set.of(),
                SlotSettings.NONE,
                REPLICA);

        assertThat(c.changes()).singleElement().isInstanceOf(SlotChange.Drop.class);
    }

    @Test
    void theRetainedSlotOfAMemberAway_keepsItsXmin() {
        ExistingSlot slot = new ExistingSlot(
                "n3",
                SlotType.PHYSICAL,
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.of(new Lsn(1)),
                Optional.empty(),
                Optional.of(742L),
                Optional.empty(),
                Optional.of("reserved"));

        SlotChanges c = SlotReconcile.plan(
                wanted(WantedSlot.retained("n3", Optional.of(new Lsn(1)))),
                List.of(slot),
                Set.of("n3"),
                SlotSettings.NONE,
                PRIMARY);

        assertThat(c.changes()).isEmpty();
    }

    private static SortedMap<String, WantedSlot> wanted(WantedSlot... slots) {
        SortedMap<String, WantedSlot> out = new TreeMap<>();
        for (WantedSlot s : slots) {
            out.put(s.name(), s);
        }
        return out;
    }
}
