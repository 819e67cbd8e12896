package org.bellwether.core.ha;

import java.time.Instant;
import java.util.Optional;

/**
 * A restart this node was asked to do later. {@code postmasterStartTime} is when the running server started at the
 * time of the request: if it started again since, the restart has happened another way and the schedule is dropped.
 */
public record ScheduledRestart(Instant at, RestartConditions conditions, Optional<Instant> postmasterStartTime) {}
