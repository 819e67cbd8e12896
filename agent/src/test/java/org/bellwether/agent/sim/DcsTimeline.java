package org.bellwether.agent.sim;

/**
 * The clock the simulated DCS server runs on, and how it schedules its own work (lease expiry, the end of an
 * election, watch deliveries). The simulated world is one; the real-time clock of the DCS contract test is the other,
 * so that the same server code is what the contract checks.
 */
interface DcsTimeline {
    /** Nanoseconds on this timeline. */
    long now();

    /** Runs {@code action} at {@code at} on this timeline (at once if that is past). */
    void schedule(long at, Runnable action);

    /** Records what the DCS did at {@code at}, for the simulation's trace. */
    void note(long at, String event);
}
