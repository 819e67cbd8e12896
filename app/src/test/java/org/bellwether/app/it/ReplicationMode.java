package org.bellwether.app.it;

import java.util.Locale;

/**
 * How a benchmark cluster replicates, as Patroni's {@code bootstrap.dcs} sets it: {@code async} leaves the key out
 * (Patroni's default), {@code sync} is {@code synchronous_mode: on}, {@code quorum} is {@code synchronous_mode: quorum}.
 */
enum ReplicationMode {
    ASYNC(""),
    SYNC("on"),
    QUORUM("quorum");

    /** The value of {@code synchronous_mode}, empty when the key is left out. */
    final String synchronousMode;

    ReplicationMode(String synchronousMode) {
        this.synchronousMode = synchronousMode;
    }

    /** Whether an acknowledged commit must already be on a replica, so that no failover may lose it. */
    boolean promisesNoLoss() {
        return this != ASYNC;
    }

    /** A node configuration that TestCluster rendered, with this mode's key in {@code bootstrap.dcs}. */
    String configure(String yaml) {
        if (this == ASYNC) {
            return yaml;
        }
        // The same anchor SyncModeIT uses: the line every TestCluster configuration has in bootstrap.dcs.
        String anchor = "    maximum_lag_on_failover: 1048576\n";
        if (!yaml.contains(anchor)) {
            throw new IllegalStateException("no bootstrap.dcs maximum_lag_on_failover line to add synchronous_mode to");
        }
        return yaml.replace(anchor, anchor + "    synchronous_mode: " + synchronousMode + "\n");
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
