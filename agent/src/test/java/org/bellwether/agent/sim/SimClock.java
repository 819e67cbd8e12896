package org.bellwether.agent.sim;

import java.util.SplittableRandom;

/**
 * A machine's monotonic clock (CLOCK_MONOTONIC): an arbitrary origin, and a rate that may be off true time by a few
 * parts per thousand, so that two machines measuring the same ttl disagree as real ones do. The lock deadline, the
 * fencing guard and failsafe's "acknowledged within ttl" are each measured on one machine's clock; the margins in
 * the agent are what must cover the difference.
 *
 * @param ppm how much faster (positive) or slower than true time this clock runs, in parts per million
 */
record SimClock(long origin, long ppm) {
    private static final long MILLION = 1_000_000L;

    /** A clock with a random origin and a rate off by at most {@code maxPpm} either way (no draw when 0). */
    static SimClock draw(SplittableRandom rng, int maxPpm) {
        long origin = SimTime.seconds(1 + rng.nextInt(1000));
        long ppm = maxPpm == 0 ? 0 : rng.nextLong(-maxPpm, maxPpm + 1L);
        return new SimClock(origin, ppm);
    }

    /** What the clock reads at world time {@code t}. */
    long read(long t) {
        return origin + t + t * ppm / MILLION;
    }

    /** The first world time at which the clock reads {@code reading} or more. */
    long worldTimeAt(long reading) {
        long t = (long) Math.ceil((reading - origin) / (1.0 + ppm / (double) MILLION));
        while (read(t) < reading) {
            t++;
        }
        return t;
    }
}
