package org.bellwether.core.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.Reason;
import org.bellwether.core.slots.SlotReport;

/**
 * The immutable snapshot an agent publishes after every cycle. The REST API and metrics read only this, never the
 * live loop. Lock ownership is judged at request time against {@code lockDeadline} (monotonic), so a stuck loop's
 * health checks turn to 503 when its lock could have expired.
 *
 * @param postgresState Patroni's state string: running, starting, stopped, creating replica, ...
 * @param cluster the last successful DCS read
 * @param lastCycleAt monotonic time of the last completed cycle (for {@code /liveness})
 * @param watchdogFailed {@code watchdog.mode} is required and the watchdog cannot be used: this node may not lead
 * @param failsafeActive the DCS is unreachable and failsafe mode keeps the cluster going: a primary acknowledged by
 *     every member, or a replica that heard from such a primary within ttl
 * @param slots what the last decision found about replication slots: those left alone, and the readiness of logical
 *     slot copies; {@link SlotReport#NONE} before any decision
 */
public record NodeStatus(
        String scope,
        String name,
        String apiUrl,
        String connUrl,
        String postgresState,
        LocalPostgres local,
        Optional<ClusterView> cluster,
        Optional<Instant> dcsLastSeen,
        Optional<Duration> lockDeadline,
        Duration lastCycleAt,
        HaSettings settings,
        Tags tags,
        Optional<Reason> lastReason,
        String version,
        boolean watchdogFailed,
        boolean failsafeActive,
        SlotReport slots) {

    /** Whether this node held a valid leader lock at monotonic time {@code now}. */
    public boolean holdsLockAt(Duration now) {
        return lockDeadline.map(deadline -> now.compareTo(deadline) < 0).orElse(false);
    }

    public boolean isPaused() {
        return cluster.map(ClusterView::isPaused).orElse(false);
    }

    /** The same snapshot for a node that no longer relies on its lock (it was fenced outside the loop). */
    public NodeStatus withoutLock() {
        return new NodeStatus(
                scope,
                name,
                apiUrl,
                connUrl,
                postgresState,
                local,
                cluster,
                dcsLastSeen,
                Optional.empty(),
                lastCycleAt,
                settings,
                tags,
                lastReason,
                version,
                watchdogFailed,
                failsafeActive,
                slots);
    }
}
