package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.Lsn;
import org.bellwether.core.PendingRestart;

/**
 * The part of an observation that operating the node needs: the operator's oldest unanswered request, the parameters
 * waiting for a restart, and, while PostgreSQL is stopped for a switchover, the location of its shutdown checkpoint
 * ({@code Latest checkpoint location} from pg_controldata), which the candidate must have received before the lock
 * is handed over.
 */
public record Ops(Optional<NodeRequest> request, PendingRestart pendingRestart, Optional<Lsn> shutdownCheckpoint) {
    public static final Ops NONE = new Ops(Optional.empty(), PendingRestart.NONE, Optional.empty());

    public Ops withoutRequest() {
        return new Ops(Optional.empty(), pendingRestart, shutdownCheckpoint);
    }
}
