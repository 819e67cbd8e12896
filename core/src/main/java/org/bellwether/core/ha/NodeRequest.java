package org.bellwether.core.ha;

/**
 * Something an operator asked of this node through its REST API, queued for the loop: the loop observes it, the
 * decision answers it. {@code id} ties the answer to the request.
 */
public record NodeRequest(long id, Body body) {
    /** The requests a node takes. */
    public sealed interface Body {}

    /** Restart PostgreSQL now, if the conditions hold ({@code POST /restart} without a schedule). */
    public record Restart(RestartConditions conditions) implements Body {}

    /** Restart PostgreSQL at a time ({@code POST /restart} with {@code schedule}). */
    public record ScheduleRestart(java.time.Instant at, RestartConditions conditions) implements Body {}

    /** Forget the scheduled restart ({@code DELETE /restart}). */
    public record CancelScheduledRestart() implements Body {}

    /** Re-read the local configuration and reload PostgreSQL's ({@code POST /reload}). */
    public record Reload() implements Body {}

    /**
     * Wipe the data directory and clone it again ({@code POST /reinitialize}), from the leader or from the member a
     * new replica would clone from. {@code force} is accepted for compatibility: there is no running task to cancel
     * here, a request during a running operation is refused.
     */
    public record Reinitialize(boolean force, boolean fromLeader) implements Body {}
}
