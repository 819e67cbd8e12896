package org.bellwether.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the loop as soon as the postmaster exits instead of at its next cycle: a crashed primary is restarted (or
 * failed over) up to loop_wait sooner. It only wakes; what to do is the loop's decision, as for any other wake-up.
 */
public final class PostmasterWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostmasterWatch.class);
    static final Duration PERIOD = Duration.ofMillis(100);

    private final Supplier<Optional<ProcessHandle>> postmaster;
    private final Runnable wake;
    private volatile Optional<PeriodicCheck> running = Optional.empty();
    private Optional<ProcessHandle> watched = Optional.empty();

    /**
     * @param postmaster the running postmaster, if any (read from {@code postmaster.pid})
     * @param wake what shortens the loop's sleep
     */
    public PostmasterWatch(Supplier<Optional<ProcessHandle>> postmaster, Runnable wake) {
        this.postmaster = postmaster;
        this.wake = wake;
    }

    public void start() {
        running = Optional.of(PeriodicCheck.start("postmaster-watch", PERIOD, this::check));
    }

    /** One look; package-private for tests. */
    void check() {
        if (watched.isPresent() && !watched.get().isAlive()) {
            LOG.info(
                    "postmaster (pid {}) exited; waking the loop", watched.get().pid());
            watched = Optional.empty();
            wake.run();
        }
        if (watched.isEmpty()) {
            watched = postmaster.get();
        }
    }

    @Override
    public void close() {
        running.ifPresent(PeriodicCheck::close);
    }
}
