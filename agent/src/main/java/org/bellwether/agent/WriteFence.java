package org.bellwether.agent;

import java.time.Duration;

/**
 * What keeps a primary from accepting writes after its lock may have expired, even if this agent is frozen or dead
 * by then. The loop feeds it after every cycle.
 */
public interface WriteFence extends AutoCloseable {
    /** PostgreSQL may accept writes until {@code deadline} (agent monotonic clock), unless fed a newer one. */
    void holdUntil(Duration deadline);

    /** PostgreSQL no longer runs as a primary under this node's lock: nothing to fence. */
    void release();

    /**
     * This fence is required and cannot do its job (a required watchdog that cannot be armed): the node must not
     * lead.
     */
    default boolean failed() {
        return false;
    }

    @Override
    void close();

    /** No fencing at all (tests of other parts). */
    WriteFence NONE = new WriteFence() {
        @Override
        public void holdUntil(Duration deadline) {}

        @Override
        public void release() {}

        @Override
        public void close() {}
    };
}
