package org.bellwether.core;

import java.time.Instant;
import java.util.Optional;

/**
 * The {@code failover} key: an operator's request for a switchover (with {@code leader}) or failover. The candidate
 * is stored as {@code member}, not {@code candidate}. {@code version} is the DCS revision used for compare-and-set.
 */
public record FailoverIntent(
        Optional<String> leader, Optional<String> candidate, Optional<Instant> scheduledAt, long version) {

    public boolean isEmpty() {
        return leader.isEmpty() && candidate.isEmpty();
    }
}
