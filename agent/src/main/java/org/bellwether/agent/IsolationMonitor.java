package org.bellwether.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bellwether.core.status.NodeStatus;
import org.bellwether.dcs.DcsProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices within about a second that the primary is cut off from the DCS <em>and</em> from every replica, and then
 * stops PostgreSQL at once through the write fence.
 *
 * <p>Why: in asynchronous mode every write a primary acknowledges after losing its replicas exists only on that
 * primary. If it has lost the DCS too, its lock will expire and a replica may be promoted, and then all of those writes
 * are lost. Patroni keeps acknowledging them for its whole retry_timeout. Losing only the DCS, or only the replicas,
 * is no reason to stop: the replicas still receive the writes, or the lock is still renewed.
 *
 * <p>It runs beside the loop (a DCS call in the loop may take retry_timeout), only while this node leads a cluster
 * that has other members, and asks cheap questions: one quorum read, one look at pg_stat_replication.
 */
public final class IsolationMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IsolationMonitor.class);
    static final Duration PERIOD = Duration.ofMillis(200);
    static final Duration DCS_TIMEOUT = Duration.ofMillis(250);
    /** Replicas reply at least every second (wal_receiver_status_interval); a little more covers jitter. */
    static final Duration REPLICA_WINDOW = Duration.ofMillis(1300);
    /** Isolation seen on two checks this far apart before acting, so one slow answer is not enough. */
    static final Duration CONFIRM = Duration.ofMillis(300);

    private final DcsProbe dcs;
    private final Function<Duration, OptionalInt> replicasHeard;
    private final Supplier<NodeStatus> status;
    private final WriteFence fence;
    private final Supplier<Duration> clock;
    private final Runnable onFenced;
    private volatile Optional<PeriodicCheck> running = Optional.empty();
    private Optional<Duration> isolatedSince = Optional.empty();

    public IsolationMonitor(
            DcsProbe dcs,
            Function<Duration, OptionalInt> replicasHeard,
            Supplier<NodeStatus> status,
            WriteFence fence,
            Supplier<Duration> clock,
            Runnable onFenced) {
        this.dcs = dcs;
        this.replicasHeard = replicasHeard;
        this.status = status;
        this.fence = fence;
        this.clock = clock;
        this.onFenced = onFenced;
    }

    public void start() {
        running = Optional.of(PeriodicCheck.start("isolation-monitor", PERIOD, this::check));
    }

    /** One check; package-private for tests. */
    void check() {
        NodeStatus s = status.get();
        Duration now = clock.get();
        if (s == null || !isLeadingOthers(s, now)) {
            isolatedSince = Optional.empty();
            return;
        }
        OptionalInt heard = replicasHeard.apply(REPLICA_WINDOW);
        // When PostgreSQL cannot be asked, nothing is known: do not act on it.
        boolean replicasLost = heard.isPresent() && heard.getAsInt() == 0;
        if (!replicasLost || dcs.answers(DCS_TIMEOUT)) {
            if (isolatedSince.isPresent()) {
                LOG.info("{}: in touch again (DCS or a replica answers)", s.name());
            }
            isolatedSince = Optional.empty();
            return;
        }
        if (isolatedSince.isEmpty()) {
            isolatedSince = Optional.of(now);
            LOG.warn("{}: the DCS and every replica are unreachable", s.name());
            return;
        }
        if (now.minus(isolatedSince.get()).compareTo(CONFIRM) >= 0) {
            LOG.error(
                    "{}: cut off from the DCS and from every replica: stopping PostgreSQL so that no write is "
                            + "acknowledged that a new primary would not have",
                    s.name());
            fence.holdUntil(now);
            onFenced.run();
            isolatedSince = Optional.empty();
        }
    }

    private static boolean isLeadingOthers(NodeStatus s, Duration now) {
        boolean othersKnown = s.cluster()
                .map(c -> c.members().stream().anyMatch(m -> !m.name().equals(s.name())))
                .orElse(false);
        return s.holdsLockAt(now) && s.local().isPrimary() && othersKnown && !s.isPaused();
    }

    @Override
    public void close() {
        running.ifPresent(PeriodicCheck::close);
    }
}
