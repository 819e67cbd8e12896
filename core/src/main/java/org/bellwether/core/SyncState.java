package org.bellwether.core;

import java.util.List;
import java.util.Optional;

/** The {@code sync} key: who leads and which members are synchronous standbys (quorum mode adds {@code quorum}). */
public record SyncState(Optional<String> leader, List<String> syncStandbys, int quorum, long version) {
    public SyncState {
        syncStandbys = List.copyOf(syncStandbys);
    }
}
