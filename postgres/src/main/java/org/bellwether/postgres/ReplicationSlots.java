package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.bellwether.core.slots.SlotChange;
import org.bellwether.core.slots.SlotType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes the slot changes the core decided ({@link org.bellwether.core.slots.SlotReconcile}), one at a time. */
final class ReplicationSlots {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSlots.class);

    private ReplicationSlots() {}

    /** Carries on past a change that fails (a slot may have become active meanwhile) and reports them all. */
    static void change(Connection c, List<SlotChange> changes) throws SQLException {
        List<String> failures = new ArrayList<>();
        for (SlotChange change : changes) {
            if (change instanceof SlotChange.Drop drop) {
                LOG.info("dropping replication slot {}: {}", drop.name(), drop.why());
                call(
                        c,
                        "SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots"
                                + " WHERE slot_name = ? AND NOT active",
                        drop.name(),
                        failures);
            } else if (change instanceof SlotChange.Create create && create.type() == SlotType.PHYSICAL) {
                LOG.info("creating physical replication slot {}", create.name());
                call(c, "SELECT pg_catalog.pg_create_physical_replication_slot(?, true)", create.name(), failures);
            }
        }
        if (!failures.isEmpty()) {
            throw new SQLException(String.join("; ", failures));
        }
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
