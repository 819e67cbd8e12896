package org.bellwether.core.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * What operating the node carries between cycles: a switchover waiting for a candidate to stream from this leader,
 * a switchover this leader is handing over (PostgreSQL stopped or stopping, the lock still held), and a restart
 * scheduled for later.
 */
public record OpsMemory(
        Optional<CandidateWait> candidateWait,
        Optional<Handover> handover,
        Optional<ScheduledRestart> scheduledRestart) {
    public static final OpsMemory NONE = new OpsMemory(Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * The leader has a switchover to do but no candidate streams from it yet, so PostgreSQL is not stopped yet.
     *
     * @param requestVersion the version of the {@code failover} key waited on; a new request waits afresh
     * @param since when the wait began (observation clock)
     */
    public record CandidateWait(long requestVersion, Duration since) {}

    /**
     * A graceful switchover under way on the leader.
     *
     * @param candidate the member named in the request; empty when any eligible member may take over
     * @param since when the stop was planned (observation clock), to give up on a candidate that never catches up
     */
    public record Handover(Optional<String> candidate, Duration since) {}

    public OpsMemory withCandidateWait(Optional<CandidateWait> next) {
        return new OpsMemory(next, handover, scheduledRestart);
    }

    public OpsMemory withHandover(Optional<Handover> next) {
        return new OpsMemory(candidateWait, next, scheduledRestart);
    }

    public OpsMemory withScheduledRestart(Optional<ScheduledRestart> next) {
        return new OpsMemory(candidateWait, handover, next);
    }
}
