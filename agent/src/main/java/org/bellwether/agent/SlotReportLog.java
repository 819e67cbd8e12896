package org.bellwether.agent;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.bellwether.core.slots.SlotReport;
import org.bellwether.core.slots.SlotType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns once about each replication slot Bellwether leaves alone, when it first appears in the report: Patroni would
 * drop such a slot, Bellwether keeps it, so the operator must hear that it holds WAL back. The report comes every
 * cycle and the retained bytes move with every write, so a slot is known by name and type only; one that goes away
 * is forgotten and warned about again if it comes back.
 */
final class SlotReportLog {
    private static final Logger LOG = LoggerFactory.getLogger(SlotReportLog.class);

    private record Key(String name, SlotType type) {}

    private final Set<Key> reported = new HashSet<>();
    private final Consumer<String> warn;

    SlotReportLog() {
        this(LOG::warn);
    }

    SlotReportLog(Consumer<String> warn) {
        this.warn = warn;
    }

    void report(SlotReport report) {
        List<SlotReport.UnownedSlot> unowned = report.unowned();
        Set<Key> now = new HashSet<>();
        unowned.forEach(slot -> now.add(new Key(slot.name(), slot.type())));
        reported.retainAll(now);
        for (SlotReport.UnownedSlot slot : unowned) {
            if (reported.add(new Key(slot.name(), slot.type()))) {
                warn.accept(
                        "replication slot " + slot.name() + " (" + slot.type().word()
                                + ") is not managed by Bellwether and is left alone; it retains " + slot.retainedBytes()
                                + " bytes of WAL. Add it to slots to keep it on failover, or to ignore_slots to silence"
                                + " this.");
            }
        }
    }
}
