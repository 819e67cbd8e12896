package org.bellwether.agent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A check that runs beside the loop on its own daemon thread, every {@code period} after the previous one ended. A
 * check that throws is logged and runs again next time: a watcher that dies silently would be worse than none.
 */
final class PeriodicCheck implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicCheck.class);

    private final ScheduledExecutorService scheduler;

    private PeriodicCheck(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Starts running {@code check} at once, then every {@code period}, on a thread named {@code name}. */
    static PeriodicCheck start(String name, Duration period, Runnable check) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        check.run();
                    } catch (RuntimeException e) {
                        LOG.warn("{} failed: {}", name, e.toString());
                    }
                },
                0,
                period.toMillis(),
                TimeUnit.MILLISECONDS);
        return new PeriodicCheck(scheduler);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
