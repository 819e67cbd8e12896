package org.bellwether.core.ha;

import java.util.List;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Timeline;

/**
 * What the leader's PostgreSQL said about its timeline when the agent asked ({@code IDENTIFY_SYSTEM} and
 * {@code TIMELINE_HISTORY} over a replication connection), because {@link RejoinProbe} wanted it for a divergence
 * check; or why it could not be asked.
 */
public sealed interface LeaderTimeline {
    /** The member that was asked. */
    String leader();

    /**
     * @param history the lines of the leader's timeline history file: one per timeline that ended before its current
     *     one (empty on timeline 1)
     */
    record Known(String leader, Timeline timeline, List<HistoryEntry> history) implements LeaderTimeline {
        public Known {
            history = List.copyOf(history);
        }
    }

    /** Connecting or asking failed: the check cannot be made this cycle. */
    record Unreachable(String leader, String error) implements LeaderTimeline {}
}
