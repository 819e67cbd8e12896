package org.bellwether.core.slots;

import java.util.Optional;

/**
 * When a replica's copy of a logical slot may be used after a failover (Patroni's rule): the primary must protect the
 * catalog rows the copy still needs. That holds once the replica's physical slot on the primary has a
 * {@code catalog_xmin} (its hot standby feedback arrived), that horizon is not newer than the copy's own, and it has
 * caught up with the horizon of the primary's slot. Before that, the primary may already have removed rows the copy
 * would need to decode, and a consumer resuming on a promoted replica could get wrong or missing changes.
 */
public final class LogicalFailoverReadiness {
    private LogicalFailoverReadiness() {}

    public static boolean safe(
            Optional<Long> primarySlotCatalogXmin, Optional<Long> physicalCatalogXmin, Optional<Long> copyCatalogXmin) {
        if (primarySlotCatalogXmin.isEmpty() || physicalCatalogXmin.isEmpty() || copyCatalogXmin.isEmpty()) {
            return false;
        }
        long physical = physicalCatalogXmin.get();
        return primarySlotCatalogXmin.get() <= physical && physical <= copyCatalogXmin.get();
    }
}
