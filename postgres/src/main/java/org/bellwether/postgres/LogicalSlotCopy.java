package org.bellwether.postgres;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    record Slot(String name, String database, String plugin, Lsn confirmedFlush, byte[] state) {
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
                + " pg_catalog.pg_read_binary_file('pg_replslot/' || slot_name || '/state')"
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
                    slots.add(new Slot(name, rs.getString(3), rs.getString(4), new Lsn(rs.getLong(6)), state));
                }
            }
        }
        return slots;
    }

    /**
     * Writes each slot as PostgreSQL itself would: the state file in {@code <name>.tmp}, synced, then the directory
     * renamed into place over an older copy, so a crash leaves either the old slot or the new one, never half of one.
     */
    void write(List<Slot> slots) throws PostgresException {
        try {
            writeFiles(ctx.dir(), slots);
        } catch (IOException e) {
            throw new PostgresException(
                    "writing logical slots into " + ctx.dir().resolve("pg_replslot") + ": " + e.getMessage(), e);
        }
    }

    private static void writeFiles(DataDirectory dir, List<Slot> slots) throws IOException {
        Path replslot = dir.resolve("pg_replslot");
        for (Slot slot : slots) {
            Path target = replslot.resolve(slot.name());
            Path tmp = replslot.resolve(slot.name() + ".tmp");
            deleteTree(tmp);
            Files.createDirectory(
                    tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            dir.giveToOwner(tmp);
            Path state = tmp.resolve("state");
            Files.createFile(state, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            dir.giveToOwner(state);
            try (FileChannel f = FileChannel.open(state, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap(slot.state());
                while (content.hasRemaining()) {
                    f.write(content);
                }
                f.force(true);
            }
            fsync(tmp);
            deleteTree(target);
            Files.move(tmp, target);
            fsync(target);
        }
        fsync(replslot);
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** A directory's entries (a new file, a rename) survive a crash only once the directory itself is synced. */
    private static void fsync(Path directory) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
