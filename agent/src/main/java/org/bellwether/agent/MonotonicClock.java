package org.bellwether.agent;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Time since the agent started, from {@link System#nanoTime()}: never jumps with wall-clock changes, so lock
 * deadlines measured on it stay honest when NTP steps the clock.
 */
public final class MonotonicClock implements Supplier<Duration> {
    private final long origin = System.nanoTime();

    @Override
    public Duration get() {
        return Duration.ofNanos(System.nanoTime() - origin);
    }

    /** The {@link System#nanoTime()} value of a time on this clock, which other processes on the machine share. */
    public long toNanoTime(Duration time) {
        return origin + time.toNanos();
    }
}
