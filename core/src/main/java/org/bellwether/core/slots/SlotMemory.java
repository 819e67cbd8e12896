package org.bellwether.core.slots;

import java.time.Duration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a node remembers about slots from one cycle to the next.
 *
 * @param owned slots this agent manages: wanted now or earlier in its life, so it may drop them once unwanted
 * @param memberSlotsSeen on the leader: when the slot of each member was last seen belonging to a member in the DCS,
 *     on the observation clock (the source of {@code retain_slots})
 * @param logicalFloor on a replica: for each copy of a logical slot not yet safe, the primary slot's
 *     {@code catalog_xmin} remembered when this replica's feedback first reached the primary
 * @param logicalReady on a replica: copies found safe to use after a failover
 * @param report the last report, for the REST API and metrics
 * @param copyTriedAt on a replica: when it last tried to copy logical slots from the primary (observation clock); a
 *     copy the primary cannot give yet is not asked for again before ttl has passed
 */
public record SlotMemory(
        SortedSet<String> owned,
        SortedMap<String, Duration> memberSlotsSeen,
        SortedMap<String, Long> logicalFloor,
        SortedSet<String> logicalReady,
        SlotReport report,
        java.util.Optional<Duration> copyTriedAt) {
    public static final SlotMemory NONE = new SlotMemory(
            new TreeSet<>(),
            new TreeMap<>(),
            new TreeMap<>(),
            new TreeSet<>(),
            SlotReport.NONE,
            java.util.Optional.empty());

    public SlotMemory {
        owned = Collections.unmodifiableSortedSet(new TreeSet<>(owned));
        memberSlotsSeen = Collections.unmodifiableSortedMap(new TreeMap<>(memberSlotsSeen));
        logicalFloor = Collections.unmodifiableSortedMap(new TreeMap<>(logicalFloor));
        logicalReady = Collections.unmodifiableSortedSet(new TreeSet<>(logicalReady));
    }
}
