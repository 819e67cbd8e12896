package org.bellwether.agent.sim;

import java.util.Locale;

/** Simulated time is a {@code long} of nanoseconds since the world began; these helpers read and print it. */
final class SimTime {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000 * MS;

    private SimTime() {}

    static long seconds(double s) {
        return Math.round(s * SECOND);
    }

    /** Parses {@code 250ms}, {@code 30s}, {@code 2m} or a bare number of seconds. */
    static long parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Math.round(Double.parseDouble(t.substring(0, t.length() - 2)) * MS);
        }
        if (t.endsWith("s")) {
            return seconds(Double.parseDouble(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return seconds(Double.parseDouble(t.substring(0, t.length() - 1)) * 60);
        }
        return seconds(Double.parseDouble(t));
    }

    static String format(long nanos) {
        return String.format(Locale.ROOT, "%.3fs", nanos / (double) SECOND);
    }

    /** A duration drawn uniformly from [min, max]. */
    static long between(java.util.SplittableRandom rng, long min, long max) {
        return max <= min ? min : min + rng.nextLong(max - min + 1);
    }
}
