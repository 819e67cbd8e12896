package org.bellwether.agent.sim;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Real time for the simulated DCS server, so that {@code DcsContract}'s clauses, which sleep and measure with real
 * clocks, can run against it: {@link #now} reads {@link System#nanoTime}, and scheduled work (lease expiry, watch
 * deliveries) runs on one daemon thread at its real instant.
 */
final class RealTimeDcsTimeline implements DcsTimeline, AutoCloseable {
    private final long origin = System.nanoTime();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sim-dcs-real-time");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public long now() {
        return System.nanoTime() - origin;
    }

    @Override
    public void schedule(long at, Runnable action) {
        scheduler.schedule(action, Math.max(0, at - now()), TimeUnit.NANOSECONDS);
    }

    /** Nobody reads a trace here; the contract's assertions say what went wrong. */
    @Override
    public void note(long at, String event) {}

    /** Sleeps until {@code at} on this timeline. */
    void sleepUntil(long at) {
        long left = at - now();
        if (left > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
