package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.slots.SlotChange;
import org.bellwether.core.slots.SlotType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the slot changes the core decided ({@link org.bellwether.core.slots.SlotReconcile}), one at a time, with
 * Patroni's statements. Each change stands alone: one that fails (a slot that became active, a missing plugin) is
 * reported and the others are still made. Logical slots are created in their own database; logical slots are advanced
 * by the {@link SlotAdvancer}'s thread, because on a replica that decodes WAL for as long as it takes.
 */
final class ReplicationSlots {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSlots.class);

    /*
     * As Patroni's local connections (2 s there): creating a logical slot waits for the transactions running at that
     * moment, and the HA loop must not wait behind a long one; the next cycle tries again.
     */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

    /** Drops the slot only when no WAL sender uses it, and says which of the two happened (Patroni's statement). */
    private static final String DROP = "WITH slots AS (SELECT slot_name, active"
            + " FROM pg_catalog.pg_replication_slots WHERE slot_name = ?),"
            + " dropped AS (SELECT pg_catalog.pg_drop_replication_slot(slot_name), true AS dropped"
            + " FROM slots WHERE NOT active)"
            + " SELECT active, COALESCE(dropped, false) FROM slots FULL OUTER JOIN dropped ON true";

    private static final String CREATE_PHYSICAL = "SELECT pg_catalog.pg_create_physical_replication_slot(?, true)"
            + " WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ?)";
    private static final String CREATE_LOGICAL = "SELECT pg_catalog.pg_create_logical_replication_slot(?, ?)"
            + " WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots"
            + " WHERE slot_type = 'logical' AND slot_name = ?)";
    private static final String ADVANCE = "SELECT pg_catalog.pg_replication_slot_advance(?, ?::pg_catalog.pg_lsn)";

    private final Jdbc jdbc;
    private final SlotAdvancer advancer;

    ReplicationSlots(Jdbc jdbc, SlotAdvancer advancer) {
        this.jdbc = jdbc;
        this.advancer = advancer;
    }

    /**
     * @return one line per change that could not be made, for the caller to report
     * @throws SQLException only when the server cannot be reached at all
     */
    List<String> change(List<SlotChange> changes) throws SQLException {
        List<String> failures = new ArrayList<>();
        Map<String, Connection> databases = new TreeMap<>();
        try (Connection c = jdbc.open("postgres", STATEMENT_TIMEOUT, SOCKET_TIMEOUT)) {
            for (SlotChange change : changes) {
                try {
                    apply(c, databases, change);
                } catch (SQLException | IllegalArgumentException e) {
                    failures.add(change.name() + ": " + e.getMessage());
                }
            }
        } finally {
            for (Connection d : databases.values()) {
                closeQuietly(d);
            }
        }
        return failures;
    }

    private void apply(Connection c, Map<String, Connection> databases, SlotChange change) throws SQLException {
        if (change instanceof SlotChange.Drop drop) {
            drop(c, drop);
        } else if (change instanceof SlotChange.Create create) {
            if (create.type() == SlotType.PHYSICAL) {
                if (returnsRow(c, CREATE_PHYSICAL, create.name(), create.name())) {
                    LOG.info("created physical replication slot {}", create.name());
                }
            } else {
                String database = required(create.database(), "database", create);
                String plugin = required(create.plugin(), "plugin", create);
                if (returnsRow(connection(databases, database), CREATE_LOGICAL, create.name(), plugin, create.name())) {
                    LOG.info(
                            "created logical replication slot {} (plugin {}) in database {}",
                            create.name(),
                            plugin,
                            database);
                }
            }
        } else if (change instanceof SlotChange.Advance advance) {
            if (advance.type() == SlotType.PHYSICAL) {
                returnsRow(c, ADVANCE, advance.name(), advance.to().toString());
                LOG.debug("advanced physical replication slot {} to {}", advance.name(), advance.to());
            } else {
                advancer.schedule(advance.name(), required(advance.database(), "database", advance), advance.to());
            }
        }
    }

    private static void drop(Connection c, SlotChange.Drop drop) throws SQLException {
        LOG.info("dropping replication slot {}: {}", drop.name(), drop.why());
        try (PreparedStatement st = c.prepareStatement(DROP)) {
            st.setString(1, drop.name());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    LOG.info("replication slot {} was already gone", drop.name());
                } else if (rs.getBoolean(1)) {
                    throw new SQLException("not dropped: the slot is active");
                } else if (!rs.getBoolean(2)) {
                    throw new SQLException("not dropped, for no reason PostgreSQL gave");
                }
            }
        }
    }

    /** One connection per database for the whole batch of changes. */
    private Connection connection(Map<String, Connection> databases, String database) throws SQLException {
        Connection c = databases.get(database);
        if (c == null) {
            c = jdbc.open(database, STATEMENT_TIMEOUT, SOCKET_TIMEOUT);
            databases.put(database, c);
        }
        return c;
    }

    /** Runs a {@code SELECT} of a function; creation guarded by {@code NOT EXISTS} returns no row when it did nothing. */
    private static boolean returnsRow(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setString(i + 1, values[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String required(Optional<String> value, String what, SlotChange change) {
        return value.orElseThrow(
                () -> new IllegalArgumentException("a logical slot change without a " + what + ": " + change));
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a slot connection: {}", e.getMessage());
        }
    }
}
