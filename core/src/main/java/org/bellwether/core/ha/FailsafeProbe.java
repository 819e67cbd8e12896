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
     * <p>The key as last read may be older than the key in the DCS: this leader may have written it after that read
     * (a member that just joined), and the DCS stopped answering before it could read it back. Every member the DCS
     * may list must be asked, since a listed member that was not asked may race for the lock once it reads the DCS
     * again; so the members of that write are asked as well. Asking one more member than needed only makes the
     * primary demote when that one does not answer (simulator scenario failsafe-key-rewritten-before-outage).
     *
     * @param lastRead the cluster as last read, before the DCS stopped answering
     * @param writtenSince the members of a {@code failsafe} write this node attempted after that read, if any
     */
    public static Optional<SortedMap<String, String>> membersToAsk(
            Optional<ClusterView> lastRead,
            Optional<SortedMap<String, String>> writtenSince,
            String self,
            HaSettings settings,
            LocalPostgres local) {
        if (!settings.failsafeMode() || !local.isPrimary()) {
            return Optional.empty();
        }
        Optional<SortedMap<String, String>> read = lastRead.flatMap(ClusterView::failsafe);
        if (read.isEmpty() && writtenSince.isEmpty()) {
            return Optional.empty();
        }
        SortedMap<String, String> members = new TreeMap<>();
        writtenSince.ifPresent(members::putAll);
        // Where both name a member, the address as last read is what that member published.
        read.ifPresent(members::putAll);
        if (!members.containsKey(self)) {
            return Optional.empty();
        }
        members.remove(self);
        return Optional.of(members);
    }
}
