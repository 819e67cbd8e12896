package org.bellwether.core.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * What operating the node carries between cycles: a switchover this leader is handing over (PostgreSQL stopped or
 * stopping, the lock still held), and a restart scheduled for later.
 */
public record OpsMemory(Optional<Handover> handover, Optional<ScheduledRestart> scheduledRestart) {
    public static final OpsMemory NONE = new OpsMemory(Optional.empty(), Optional.empty());

    /**
     * A graceful switchover under way on the leader.
     *
     * @param candidate the member named in the request; empty when any eligible member may take over
     * @param since when the stop was planned (observation clock), to give up on a candidate that never catches up
     */
    public record Handover(Optional<String> candidate, Duration since) {}

    public OpsMemory withHandover(Optional<Handover> next) {
        return new OpsMemory(next, scheduledRestart);
    }

    public OpsMemory withScheduledRestart(Optional<ScheduledRestart> next) {
        return new OpsMemory(handover, next);
    }
}
