package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.PendingRestart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which parameters the running server has read from its files but applies only after a restart: {@code pg_settings}
 * rows with {@code pending_restart}, the running value ({@code current_setting}, as PostgreSQL prints it) and the
 * last value the files give ({@code pg_file_settings}). One connection kept between cycles, like the observation's.
 */
final class PendingRestartQuery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PendingRestartQuery.class);

    private static final String SQL = "SELECT s.name, pg_catalog.current_setting(s.name), f.setting"
            + " FROM pg_catalog.pg_settings s LEFT JOIN LATERAL (SELECT fs.setting FROM pg_catalog.pg_file_settings fs"
            + " WHERE fs.name = s.name ORDER BY fs.seqno DESC LIMIT 1) f ON true"
            + " WHERE s.pending_restart ORDER BY s.name";

    private final Jdbc jdbc;
    private Connection connection;

    PendingRestartQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The pending parameters, or none when the server cannot be asked (it is then not running, or restarting). */
    synchronized PendingRestart query() {
        try {
            if (connection == null) {
                connection = jdbc.openForObservation();
            }
            SortedMap<String, PendingRestart.Change> pending = new TreeMap<>();
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery(SQL)) {
                while (rs.next()) {
                    String newValue = rs.getString(3);
                    pending.put(
                            rs.getString(1),
                            new PendingRestart.Change(rs.getString(2), newValue == null ? "" : newValue));
                }
            }
            return new PendingRestart(pending);
        } catch (SQLException e) {
            LOG.debug("cannot read pending restarts: {}", e.getMessage());
            close();
            return PendingRestart.NONE;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the pending-restart connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
