package org.bellwether.core.slots;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlotSettingsReaderTest {
    private final List<String> errors = new ArrayList<>();

    @Test
    void readsPhysicalAndLogicalSlots_asPatroniWritesThem() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("archive", null);
        raw.put("wal_keeper", Map.of("type", "physical"));
        raw.put("cdc", Map.of("database", "app", "plugin", "pgoutput"));

        var slots = SlotSettingsReader.permanent(raw, (p, m) -> errors.add(p + ": " + m));

        assertThat(errors).isEmpty();
        assertThat(slots.values())
                .containsExactly(
                        PermanentSlot.physical("archive"),
                        PermanentSlot.logical("cdc", "app", "pgoutput"),
                        PermanentSlot.physical("wal_keeper"));
    }

    @Test
    void eachBadEntry_isNamedByItsPath_andLeftOut() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("Bad-Name", null);
        raw.put("half", Map.of("type", "logical", "database", "app"));
        raw.put("odd", Map.of("type", "virtual"));
        raw.put("good", null);

        var slots = SlotSettingsReader.permanent(raw, (p, m) -> errors.add(p));

        assertThat(slots).containsOnlyKeys("good");
        assertThat(errors).containsExactlyInAnyOrder("slots.Bad-Name", "slots.half", "slots.odd.type");
    }

    @Test
    void ignoreRules_matchOnEveryAttributeGiven() {
        var rules = SlotSettingsReader.ignore(
                List.of(Map.of("name", "x"), Map.of("type", "logical", "plugin", "wal2json")), (p, m) -> errors.add(p));

        assertThat(errors).isEmpty();
        assertThat(rules).hasSize(2);
        ExistingSlot wal2json = ExistingSlot.logical("debezium", "app", "wal2json", true, org.bellwether.core.Lsn.ZERO);
        ExistingSlot pgoutput = ExistingSlot.logical("sub", "app", "pgoutput", true, org.bellwether.core.Lsn.ZERO);
        assertThat(rules.get(1).matches(wal2json)).isTrue();
        assertThat(rules.get(1).matches(pgoutput)).isFalse();
        assertThat(rules.get(0).matches(ExistingSlot.physical("x", false, Optional.empty())))
                .isTrue();
    }

    @Test
    void ignoreSlots_thatIsNotAList_isRefused() {
        SlotSettingsReader.ignore(Map.of("name", "x"), (p, m) -> errors.add(p));
        SlotSettingsReader.ignore(List.of("x"), (p, m) -> errors.add(p));

        assertThat(errors).containsExactly("ignore_slots", "ignore_slots[0]");
    }
}
