package org.bellwether.core.status;

import java.util.List;
import java.util.Optional;

/**
 * The health-check paths of Patroni's REST API, with their aliases. Load balancers and orchestrators depend on these
 * exact spellings (HAProxy's {@code option httpchk} sends {@code OPTIONS /}, which is the primary check).
 */
public enum HealthEndpoint {
    PRIMARY("/", "/primary", "/read-write", "/master"),
    STANDBY_LEADER("/standby-leader", "/standby_leader"),
    LEADER("/leader"),
    REPLICA("/replica"),
    READ_ONLY("/read-only"),
    SYNCHRONOUS("/synchronous", "/sync"),
    ASYNCHRONOUS("/asynchronous", "/async"),
    READ_ONLY_SYNC("/read-only-sync", "/read-only-synchronous"),
    QUORUM("/quorum"),
    READ_ONLY_QUORUM("/read-only-quorum"),
    HEALTH("/health"),
    LIVENESS("/liveness"),
    READINESS("/readiness");

    private final List<String> paths;

    HealthEndpoint(String... paths) {
        this.paths = List.of(paths);
    }

    public List<String> paths() {
        return paths;
    }

    /**
     * Patroni answers liveness and readiness with a status line only, even to GET: probes read nothing else, and
     * building the status body would cost a query on a node that may be struggling.
     */
    public boolean statusOnly() {
        return this == LIVENESS || this == READINESS;
    }

    /** Whether {@code ?tag_<k>=<v>} filters apply; Patroni ignores them on the leadership checks. */
    boolean honoursTagFilters() {
        return switch (this) {
            case PRIMARY, STANDBY_LEADER, LEADER, LIVENESS, READINESS -> false;
            default -> true;
        };
    }

    public static Optional<HealthEndpoint> fromPath(String path) {
        for (HealthEndpoint endpoint : values()) {
            if (endpoint.paths.contains(path)) {
                return Optional.of(endpoint);
            }
        }
        return Optional.empty();
    }
}
