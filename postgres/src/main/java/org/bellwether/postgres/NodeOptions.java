package org.bellwether.postgres;

import java.time.Clock;
import java.time.Duration;

/**
 * Time limits of the long PostgreSQL operations, and the clock that names a data directory moved aside.
 *
 * @param startTimeout how long pg_ctl waits for the server to accept connections (a replica may replay WAL first)
 * @param basebackupTimeout generous: copying a large cluster takes hours
 */
public record NodeOptions(
        Duration startTimeout,
        Duration stopTimeout,
        Duration promoteTimeout,
        Duration initdbTimeout,
        Duration basebackupTimeout,
        Duration postBootstrapTimeout,
        Clock clock) {

    public static NodeOptions defaults() {
        return new NodeOptions(
                Duration.ofSeconds(300),
                Duration.ofSeconds(120),
                Duration.ofSeconds(60),
                Duration.ofMinutes(10),
                Duration.ofHours(24),
                Duration.ofMinutes(30),
                Clock.systemDefaultZone());
    }

    public NodeOptions withStartTimeout(Duration timeout) {
        return new NodeOptions(
                timeout, stopTimeout, promoteTimeout, initdbTimeout, basebackupTimeout, postBootstrapTimeout, clock);
    }
}
