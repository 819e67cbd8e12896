package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the physical replication slots equal to the wanted set: creates missing ones (reserving WAL at once, so a
 * replica that connects later finds everything since the slot was made) and drops the others, unless a WAL sender
 * uses them right now. Logical slots are not touched.
 */
final class ReplicationSlots {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSlots.class);

    private ReplicationSlots() {}

    /** Carries on past a slot it cannot change (it may have become active meanwhile) and reports them all. */
    static void sync(Connection c, Collection<String> wanted) throws SQLException {
        SortedSet<String> want = new TreeSet<>(wanted);
        SortedMap<String, Boolean> existing = physicalSlots(c);
        List<String> failures = new ArrayList<>();
        for (var slot : existing.entrySet()) {
            if (!want.contains(slot.getKey()) && !slot.getValue()) {
                LOG.info("dropping replication slot {}", slot.getKey());
                call(c, "SELECT pg_catalog.pg_drop_replication_slot(?)", slot.getKey(), failures);
            }
        }
        for (String name : want) {
            if (!existing.containsKey(name)) {
                LOG.info("creating physical replication slot {}", name);
                call(c, "SELECT pg_catalog.pg_create_physical_replication_slot(?, true)", name, failures);
            }
        }
        if (!failures.isEmpty()) {
            throw new SQLException(String.join("; ", failures));
        }
    }

    /** Physical slot names and whether each is in use. */
    static SortedMap<String, Boolean> physicalSlots(Connection c) throws SQLException {
        SortedMap<String, Boolean> slots = new TreeMap<>();
        try (PreparedStatement st = c.prepareStatement(
                        "SELECT slot_name, active FROM pg_catalog.pg_replication_slots WHERE slot_type = 'physical'");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                slots.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return slots;
    }

    private static void call(Connection c, String sql, String name, List<String> failures) {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, name);
            st.execute();
        } catch (SQLException e) {
            LOG.warn("replication slot {}: {}", name, e.getMessage());
            failures.add(name + ": " + e.getMessage());
        }
    }
}
