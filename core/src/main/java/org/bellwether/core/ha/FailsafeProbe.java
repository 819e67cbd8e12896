package org.bellwether.core.ha;

import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;

/**
 * Whom a primary that cannot use the DCS asks to acknowledge it ({@code POST /failsafe}), as {@link PeerProbe} says
 * whom to ask before a race: the core decides, the agent sends.
 */
public final class FailsafeProbe {
    private FailsafeProbe() {}

    /**
     * The other members of the {@code failsafe} key ({@code name -> api_url}), possibly none (a cluster of one), when
     * failsafe mode is on, this node runs as primary and the key lists it; empty when no round applies.
     *
     * @param lastRead the cluster as last read, before the DCS stopped answering
     */
    public static Optional<SortedMap<String, String>> membersToAsk(
            Optional<ClusterView> lastRead, String self, HaSettings settings, LocalPostgres local) {
        if (!settings.failsafeMode() || !local.isPrimary()) {
            return Optional.empty();
        }
        return lastRead.flatMap(ClusterView::failsafe)
                .filter(members -> members.containsKey(self))
                .map(members -> {
                    SortedMap<String, String> others = new TreeMap<>(members);
                    others.remove(self);
                    return others;
                });
    }
}
