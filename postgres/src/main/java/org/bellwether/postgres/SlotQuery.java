package org.bellwether.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.Lsn;
import org.bellwether.core.slots.ExistingSlot;
import org.bellwether.core.slots.SlotType;

/**
 * Reads the replication slots of the running server for the observation, as Patroni's
 * {@code pg_replication_slots_query} does: temporary slots are left out, and on PostgreSQL 17 so are the logical slots
 * the server itself keeps in step with the primary ({@code failover AND synced}), which are not Bellwether's to manage.
 */
final class SlotQuery {
    private static final int WAL_STATUS = 130000;
    private static final int FAILOVER_SLOTS = 170000;

    private SlotQuery() {}

    /** The statement for a server of {@code serverVersionNum}; xids and LSNs come as text, which JDBC reads plainly. */
    static String sql(int serverVersionNum) {
        String walStatus = serverVersionNum >= WAL_STATUS ? "wal_status" : "NULL::text";
        String filter = serverVersionNum >= FAILOVER_SLOTS ? " AND (NOT failover OR NOT synced)" : "";
        return "SELECT slot_name, slot_type, database, plugin, active, restart_lsn::text, confirmed_flush_lsn::text,"
                + " xmin::text, catalog_xmin::text, " + walStatus
                + " FROM pg_catalog.pg_replication_slots WHERE NOT temporary" + filter + " ORDER BY slot_name";
    }

    static List<ExistingSlot> read(Statement st, int serverVersionNum) throws SQLException {
        List<ExistingSlot> slots = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql(serverVersionNum))) {
            while (rs.next()) {
                Optional<SlotType> type = SlotType.of(rs.getString(2));
                if (type.isEmpty()) {
                    continue; // a kind of slot newer than this code: nothing here could manage it
                }
                slots.add(new ExistingSlot(
                        rs.getString(1),
                        type.get(),
                        Optional.ofNullable(rs.getString(3)),
                        Optional.ofNullable(rs.getString(4)),
                        rs.getBoolean(5),
                        lsn(rs.getString(6)),
                        lsn(rs.getString(7)),
                        xid(rs.getString(8)),
                        xid(rs.getString(9)),
                        Optional.ofNullable(rs.getString(10))));
            }
        }
        return slots;
    }

    static Optional<Lsn> lsn(String text) {
        return text == null ? Optional.empty() : Optional.of(Lsn.parse(text));
    }

    /** An {@code xid} as text; PostgreSQL has no cast from {@code xid} to a number type. */
    static Optional<Long> xid(String text) {
        return text == null ? Optional.empty() : Optional.of(Long.parseLong(text.trim()));
    }
}
