package org.bellwether.core.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * A long PostgreSQL operation (initdb, clone, start, stop, promote) that the agent runs off the loop thread so the loop
 * keeps renewing the lock meanwhile. The observation carries the current one while it runs, and a finished one once.
 */
public record Operation(Action.Kind kind, Phase phase, Duration startedAt, Optional<String> error) {
    public enum Phase {
        RUNNING,
        SUCCEEDED,
        FAILED
    }

    public boolean isRunning() {
        return phase == Phase.RUNNING;
    }
}
