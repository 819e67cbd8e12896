package org.bellwether.agent;

import java.time.Duration;
import java.util.function.Supplier;
import org.bellwether.core.HaSettings;
import org.bellwether.core.ha.DcsView;
import org.bellwether.core.ha.SyncStandbyRelease;
import org.bellwether.core.ha.SyncStandbyRelease.Progress;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waiting part of {@link SyncStandbyRelease}, on the thread about to stop PostgreSQL: publish {@code nosync}, then
 * read the DCS every quarter second until the leader's {@code sync} key no longer lists this node, for at most 2 ×
 * loop_wait, and once released keep PostgreSQL running a moment longer while the leader changes it too. The leader
 * sees the tag on its next cycle, so the wait is about one loop_wait; PostgreSQL keeps serving as a standby
 * meanwhile, so commits go on.
 */
final class SyncReleaseWait {
    private static final Logger LOG = LoggerFactory.getLogger(SyncReleaseWait.class);
    /** How often the DCS is read while waiting: the stop follows the release closely, the reads stay cheap. */
    static final Duration POLL = Duration.ofMillis(250);

    private final String me;
    private final Dcs dcs;
    private final MemberPublisher publisher;
    private final Supplier<Duration> clock;
    private final Duration poll;
    private final Duration settle;

    /**
     * @param poll how often the DCS is read while waiting
     * @param settle how long PostgreSQL keeps running once released ({@link SyncStandbyRelease#SETTLE_AFTER_RELEASE})
     */
    SyncReleaseWait(
            String me, Dcs dcs, MemberPublisher publisher, Supplier<Duration> clock, Duration poll, Duration settle) {
        this.me = me;
        this.dcs = dcs;
        this.publisher = publisher;
        this.clock = clock;
        this.poll = poll;
        this.settle = settle;
    }

    /**
     * Advertises {@code nosync} and returns once PostgreSQL may stop. The tag stays until {@link #end()}: a restart
     * drops it once PostgreSQL is back; a shutdown leaves it on a member key about to expire.
     */
    void await(HaSettings settings) throws InterruptedException {
        Duration began = clock.get();
        try {
            publisher.beginRelease();
        } catch (DcsException e) {
            LOG.warn("{}: could not advertise nosync, stopping PostgreSQL without waiting: {}", me, e.getMessage());
            return;
        }
        LOG.info(
                "{}: listed as a synchronous standby; advertising nosync and waiting up to {} s for the leader to"
                        + " release it",
                me,
                SyncStandbyRelease.longestWait(settings).toSeconds());
        while (true) {
            Duration waited = clock.get().minus(began);
            Progress progress = SyncStandbyRelease.progress(read(), me, waited, settings);
            if (progress.stopNow()) {
                Duration keepRunning = progress == Progress.RELEASED ? settle : Duration.ZERO;
                LOG.info(
                        "{}: {} after {} ms; stopping PostgreSQL in {} ms",
                        me,
                        describe(progress),
                        waited.toMillis(),
                        keepRunning.toMillis());
                Thread.sleep(keepRunning.toMillis());
                return;
            }
            Thread.sleep(poll.toMillis());
        }
    }

    void end() {
        publisher.endRelease();
    }

    private DcsView read() {
        try {
            return new DcsView.Available(dcs.read());
        } catch (DcsException e) {
            return new DcsView.Unavailable(e.getMessage());
        }
    }

    private static String describe(Progress progress) {
        return switch (progress) {
            case RELEASED -> "released by the leader";
            case TIMED_OUT -> "not released in time";
            case DCS_UNAVAILABLE -> "the DCS cannot be read";
            case WAITING -> "still listed";
        };
    }
}
