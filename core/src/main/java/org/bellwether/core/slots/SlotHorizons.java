package org.bellwether.core.slots;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the primary holds back for a replica's copies of its logical slots: {@code catalog_xmin} of the replica's
 * physical slot (set by the replica's hot standby feedback) and of each logical slot on the primary.
 */
public record SlotHorizons(Optional<Long> physicalCatalogXmin, SortedMap<String, Long> logicalCatalogXmin) {
    public SlotHorizons {
        logicalCatalogXmin = Collections.unmodifiableSortedMap(new TreeMap<>(logicalCatalogXmin));
    }
}
