package org.bellwether.agent.rest;

import java.time.Duration;

/**
 * What one client may hold of the REST API server, so that no client, slow or hostile, can keep the health checks
 * from being answered. Connections cost only a socket and a few buffers: the event loop reads them all, and a handler
 * thread is taken only once a whole request has arrived.
 *
 * @param requestTimeout from a request's first byte until its last (headers and body, and the TLS handshake before
 *     the first one), and again for the client to take the response: 5 s is far more than any real client needs on a
 *     LAN (HAProxy, patronictl and peers send a request in one packet), yet a connection that dribbles bytes is dropped
 *     long before it matters
 * @param idleTimeout how long a connection may wait for its next request: 60 s outlasts HAProxy's check intervals and
 *     patronictl's pooled connections, and still frees the slots of clients that went away without closing
 * @param maxConnections open connections beyond which new ones are closed at once, which keeps the agent's file
 *     descriptors (PostgreSQL connections, the DCS, log files) out of a flood's reach
 * @param readThreads handler threads for GET, HEAD and OPTIONS: these answer from the published snapshot in well
 *     under a millisecond, so two are plenty, and they are never taken by a slow write
 * @param readQueue read requests that may wait for a thread before new ones are answered 503
 * @param writeThreads handler threads for the unsafe methods, which wait on the DCS or on the loop (a restart answers
 *     once PostgreSQL is back, a switchover once the new leader shows)
 * @param writeQueue write requests that may wait for a thread before new ones are answered 503
 */
record ServerLimits(
        Duration requestTimeout,
        Duration idleTimeout,
        int maxConnections,
        int readThreads,
        int readQueue,
        int writeThreads,
        int writeQueue) {

    static final ServerLimits DEFAULTS =
            new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(60), 1000, 2, 256, 4, 16);

    /** Longest request line (method, target, version): Patroni's longest URLs are far below this. */
    static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;
    /** All request headers together. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** A request body of a write (the largest is a whole {@code PUT /config}). */
    static final int MAX_BODY_BYTES = 1 << 20;
    /**
     * A request body of any other method: GET, HEAD and OPTIONS take none, so this only tolerates clients that send a
     * little anyway, and keeps what a thousand unauthenticated connections can make the server buffer small.
     */
    static final int MAX_READ_BODY_BYTES = 8 * 1024;

    ServerLimits {
        if (requestTimeout.isNegative()
                || requestTimeout.isZero()
                || idleTimeout.isNegative()
                || idleTimeout.isZero()) {
            throw new IllegalArgumentException("REST API timeouts must be positive");
        }
        if (maxConnections < 1 || readThreads < 1 || readQueue < 1 || writeThreads < 1 || writeQueue < 1) {
            throw new IllegalArgumentException("REST API limits must be positive");
        }
    }

    /** The defaults with other timeouts, for tests that cannot wait seconds. */
    ServerLimits withTimeouts(Duration request, Duration idle) {
        return new ServerLimits(request, idle, maxConnections, readThreads, readQueue, writeThreads, writeQueue);
    }
}
