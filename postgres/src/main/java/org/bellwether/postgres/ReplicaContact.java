package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalInt;
import org.bellwether.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many replicas a primary heard from lately: streaming walsenders whose standby replied within a window.
 * Replicas reply every {@code wal_receiver_status_interval} (Bellwether's default: one second) even when idle. It
 * keeps its own connection, so it can run on another thread than the loop's observation.
 */
public final class ReplicaContact implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaContact.class);
    private static final String QUERY = "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
            + " AND reply_time > clock_timestamp() - make_interval(secs => ?)";

    private final Jdbc jdbc;
    private Connection connection;

    public ReplicaContact(NodeConfig config) {
        this.jdbc =
                new Jdbc(config.postgresql().localAddress(), config.postgresql().superuser());
    }

    /** Replicas heard from within {@code window}; empty when PostgreSQL cannot be asked. */
    public synchronized OptionalInt recentlyHeard(Duration window) {
        try {
            if (connection == null || connection.isClosed()) {
                connection = jdbc.open(Duration.ofSeconds(1));
            }
            try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
                statement.setDouble(1, window.toMillis() / 1000.0);
                try (ResultSet r = statement.executeQuery()) {
                    r.next();
                    return OptionalInt.of(r.getInt(1));
                }
            }
        } catch (SQLException e) {
            LOG.debug("asking PostgreSQL about its replicas failed: {}", e.getMessage());
            close();
            return OptionalInt.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the replica-contact connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
