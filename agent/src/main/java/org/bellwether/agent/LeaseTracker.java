package org.bellwether.agent;

import java.time.Duration;
import java.util.Optional;

/**
 * This node's belief about its own leader lock, on the local monotonic clock. The deadline is taken from the moment
 * the acquire or renew request was <em>sent</em>: the DCS cannot have started the lease's ttl earlier than that, so
 * no other node can hold the lock before {@code sentAt + ttl}. A safety margin covers clock-rate drift and the time
 * it takes to stop PostgreSQL.
 */
final class LeaseTracker {
    private Optional<Duration> deadline = Optional.empty();

    static Duration safetyMargin(Duration ttl) {
        Duration tenth = ttl.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(1)) > 0 ? tenth : Duration.ofSeconds(1);
    }

    synchronized void renewed(Duration sentAt, Duration ttl) {
        deadline = Optional.of(sentAt.plus(ttl).minus(safetyMargin(ttl)));
    }

    /**
     * Failsafe mode without the DCS: every member acknowledged a {@code POST /failsafe} sent at {@code sentAt}, and
     * none of them races for the lock within ttl of it. The deadline moves on as a renewal would move it.
     */
    synchronized void heldByFailsafe(Duration sentAt, Duration ttl) {
        Duration until = sentAt.plus(ttl).minus(safetyMargin(ttl));
        if (deadline.map(d -> until.compareTo(d) > 0).orElse(false)) {
            deadline = Optional.of(until);
        }
    }

    synchronized void lost() {
        deadline = Optional.empty();
    }

    synchronized Optional<Duration> deadline() {
        return deadline;
    }
}
