package org.bellwether.agent;

import java.time.Duration;
import org.bellwether.postgres.fence.FenceGuardProcess;

/** The production fence: a guard process outside this JVM, fed deadlines on the machine's monotonic clock. */
public final class GuardProcessFence implements WriteFence {
    private final FenceGuardProcess guard;
    private final MonotonicClock clock;

    public GuardProcessFence(FenceGuardProcess guard, MonotonicClock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public void holdUntil(Duration deadline) {
        guard.arm(clock.toNanoTime(deadline));
    }

    @Override
    public void release() {
        guard.disarm();
    }

    @Override
    public void close() {
        guard.close();
    }
}
