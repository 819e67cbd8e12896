package org.bellwether.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bellwether.core.Lsn;
import org.bellwether.core.ha.Upstream;

/**
 * Copies logical slots from the primary into a stopped replica's {@code pg_replslot}, as Patroni's
 * {@code copy_logical_slots} does. Before PostgreSQL 17 nothing keeps a standby's logical slot in step with the
 * primary's, but a slot's whole state is one small file: written while the replica is stopped, it is loaded at the
 * next start and then advanced as the primary's slot moves.
 */
final class LogicalSlotCopy {
    /** What PostgreSQL accepts as a slot name; anything else must not become a path. */
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    private static final int FAILOVER_SLOTS = 170000;

    /** One slot as the primary has it, with the content of its {@code state} file. */
    record Slot(String name, String database, String plugin, Lsn confirmedFlush, Lsn restart, byte[] state) {
        /** For the log: where the copy starts. */
        String describe() {
            return name + " (" + plugin + " in " + database + ", confirmed " + confirmedFlush + ")";
        }
    }

    private final NodeContext ctx;

    LogicalSlotCopy(NodeContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The named logical slots {@code source} has, read in one statement so each state file matches its row; a slot
     * with another name, or a physical one, is never among them. On PostgreSQL 17 slots marked for failover are left
     * out: the server's own slot sync keeps those.
     */
    List<Slot> read(Upstream source, List<String> names) throws PostgresException {
        try {
            return query(source, names);
        } catch (SQLException e) {
            throw new PostgresException(
                    "reading logical slots " + names + " on " + source.member() + " at " + source.address() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private List<Slot> query(Upstream source, List<String> names) throws SQLException {
        String failover = ctx.files().serverVersionNum() >= FAILOVER_SLOTS ? " NOT failover AND" : "";
        String sql = "SELECT slot_name, slot_type, datname, plugin, catalog_xmin,"
                + " pg_catalog.pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint,"
                + " pg_catalog.pg_read_binary_file('pg_replslot/' || slot_name || '/state'),"
                + " pg_catalog.pg_wal_lsn_diff(restart_lsn, '0/0')::bigint"
                + " FROM pg_catalog.pg_get_replication_slots() JOIN pg_catalog.pg_database ON datoid = oid"
                + " WHERE" + failover + " NOT pg_catalog.pg_is_in_recovery() AND slot_name::text = ANY(?)";
        List<Slot> slots = new ArrayList<>();
        try (Connection c = LeaderSlots.connect(
                        source, ctx.leaderSlotUser(), ctx.files().database());
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, LeaderSlots.textArray(c, names));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    byte[] state = rs.getBytes(7);
                    if (!"logical".equals(rs.getString(2))
                            || state == null
                            || !SLOT_NAME.matcher(name).matches()) {
                        continue;
                    }
                    slots.add(new Slot(
                            name,
                            rs.getString(3),
                            rs.getString(4),
                            new Lsn(rs.getLong(6)),
                            new Lsn(rs.getLong(8)),
                            state));
                }
            }
        }
        return slots;
    }

    /**
     * The oldest WAL position this replica still has: the start of the oldest segment in {@code pg_wal}. A copy whose
     * restart LSN lies before it could never decode (PostgreSQL would ask for a segment that is gone), so it is not
     * made until the consumer has moved the primary's slot past it. Empty when it cannot be told.
     */
    Optional<Lsn> oldestLocalWal() {
        String sql = "SELECT min(name), (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'wal_segment_size')"
                + " FROM pg_catalog.pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$'";
        try (Connection c = ctx.jdbc().open(java.time.Duration.ofSeconds(5));
                PreparedStatement st = c.prepareStatement(sql);
                ResultSet rs = st.executeQuery()) {
            if (!rs.next() || rs.getString(1) == null) {
                return Optional.empty();
            }
            return segmentStart(rs.getString(1), Long.parseLong(rs.getString(2)));
        } catch (SQLException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Where WAL segment {@code name} ({@code TTTTTTTTXXXXXXXXYYYYYYYY}) starts, for segments of {@code size} bytes. */
    static Optional<Lsn> segmentStart(String name, long size) {
        if (size <= 0 || (size & (size - 1)) != 0 || size > 0x100000000L || !name.matches("[0-9A-F]{24}")) {
            return Optional.empty();
        }
        long high = Long.parseLong(name.substring(8, 16), 16);
        long low = Long.parseLong(name.substring(16, 24), 16);
        long segmentsPerId = 0x100000000L / size;
        if (low >= segmentsPerId || high > (Long.MAX_VALUE / 0x100000000L) - 1) {
            return Optional.empty();
        }
        return Optional.of(new Lsn(high * 0x100000000L + low * size));
    }

    /** Writes the slots' state files into the stopped server's {@code pg_replslot} ({@link SlotFiles#write}). */
    void write(List<Slot> slots) throws PostgresException {
        java.util.Map<String, byte[]> states = new java.util.LinkedHashMap<>();
        slots.forEach(slot -> states.put(slot.name(), slot.state()));
        try {
            SlotFiles.write(ctx.dir(), states);
        } catch (IOException e) {
            throw new PostgresException(
                    "writing logical slots into " + ctx.dir().resolve("pg_replslot") + ": " + e.getMessage(), e);
        }
    }
}
