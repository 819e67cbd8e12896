package org.bellwether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.bellwether.core.slots.SlotReport;
import org.bellwether.core.slots.SlotType;
import org.junit.jupiter.api.Test;

class SlotReportLogTest {
    private final List<String> lines = new ArrayList<>();
    private final SlotReportLog log = new SlotReportLog(lines::add);

    private static SlotReport unowned(SlotReport.UnownedSlot... slots) {
        return new SlotReport(List.of(slots), new TreeSet<>(), new TreeSet<>());
    }

    private static SlotReport.UnownedSlot physical(String name, long retained) {
        return new SlotReport.UnownedSlot(name, SlotType.PHYSICAL, false, retained);
    }

    @Test
    void anUnownedSlot_isWarnedAboutOnce_thoughTheWalItRetainsGrowsEveryCycle() {
        for (int cycle = 0; cycle < 5; cycle++) {
            log.report(unowned(physical("backup_tool", 16_777_216L + cycle * 8192L)));
        }

        assertThat(lines)
                .containsExactly("replication slot backup_tool (physical) is not managed by Bellwether and is left"
                        + " alone; it retains 16777216 bytes of WAL. Add it to slots to keep it on failover, or to"
                        + " ignore_slots to silence this.");
    }

    @Test
    void aNewSlot_isWarnedAbout_andOnlyIt() {
        log.report(unowned(physical("a", 1)));
        log.report(unowned(physical("a", 2), new SlotReport.UnownedSlot("cdc", SlotType.LOGICAL, true, 4096)));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1))
                .startsWith("replication slot cdc (logical) is not managed")
                .contains("4096 bytes");
    }

    @Test
    void aSlotThatComesBackAfterItWasGone_isWarnedAboutAgain() {
        log.report(unowned(physical("a", 1)));
        log.report(SlotReport.NONE);
        log.report(SlotReport.NONE);
        log.report(unowned(physical("a", 1)));

        assertThat(lines).hasSize(2);
    }

    @Test
    void noUnownedSlots_logNothing() {
        log.report(SlotReport.NONE);
        log.report(new SlotReport(List.of(), new TreeSet<>(List.of("cdc")), new TreeSet<>()));

        assertThat(lines).isEmpty();
    }
}
