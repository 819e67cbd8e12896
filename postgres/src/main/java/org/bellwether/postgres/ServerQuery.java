package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.LocalPostgres.ReplicationConnection;
import org.bellwether.core.ha.LocalPostgres.StandbyNames;
import org.bellwether.core.slots.ExistingSlot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the running server what it is doing, over one connection kept between cycles and re-opened after a failure.
 * Three statements per cycle: the {@code pg_stat_replication} rows, one row of state, and the replication slots.
 */
final class ServerQuery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerQuery.class);

    /*
     * The primary's timeline comes from the name of the current WAL file (as Patroni does), not from the last
     * checkpoint, which still names the old timeline until the first checkpoint after a promotion.
     */
    private static final String STATE_SQL = "SELECT pg_catalog.pg_is_in_recovery(),"
            + " CASE WHEN pg_catalog.pg_is_in_recovery() THEN NULL"
            + " ELSE pg_catalog.pg_current_wal_flush_lsn()::text END,"
            + " CASE WHEN pg_catalog.pg_is_in_recovery() THEN NULL"
            + " ELSE ('x' || pg_catalog.substr(pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()), 1, 8))"
            + "::bit(32)::int END,"
            + " pg_catalog.pg_last_wal_receive_lsn()::text, pg_catalog.pg_last_wal_replay_lsn()::text,"
            + " pg_catalog.current_setting('server_version_num')::int, pg_catalog.pg_postmaster_start_time(),"
            + " (SELECT timeline_id FROM pg_catalog.pg_control_checkpoint()),"
            + " (SELECT status FROM pg_catalog.pg_stat_wal_receiver),"
            + " (SELECT received_tli FROM pg_catalog.pg_stat_wal_receiver),"
            + " pg_catalog.current_setting('primary_conninfo'),"
            + " pg_catalog.current_setting('synchronous_standby_names'),"
            // Set by the agent: it writes the value with ALTER SYSTEM, into postgresql.auto.conf.
            + " (SELECT coalesce(sourcefile LIKE '%/" + ConfigFiles.AUTO_CONF + "', false)"
            + " FROM pg_catalog.pg_settings WHERE name = 'synchronous_standby_names')";

    private static final String REPLICATION_SQL = "SELECT usename, application_name, client_addr::text, state,"
            + " sync_state, sync_priority, flush_lsn::text, replay_lsn::text"
            + " FROM pg_catalog.pg_stat_replication ORDER BY application_name, pid";

    /** One cycle's answers; absent values are SQL NULLs (a primary has no receive LSN, a replica no flush LSN). */
    record Snapshot(
            boolean inRecovery,
            Optional<Lsn> flushLsn,
            Optional<Timeline> walTimeline,
            Optional<Lsn> receiveLsn,
            Optional<Lsn> replayLsn,
            int serverVersion,
            Optional<Instant> postmasterStartTime,
            Optional<Timeline> checkpointTimeline,
            Optional<String> receiverStatus,
            Optional<Timeline> receivedTimeline,
            String primaryConninfo,
            StandbyNames standbyNames,
            List<ReplicationConnection> replication,
            List<ExistingSlot> slots) {
        Snapshot withSlots(List<ExistingSlot> value) {
            return new Snapshot(
                    inRecovery,
                    flushLsn,
                    walTimeline,
                    receiveLsn,
                    replayLsn,
                    serverVersion,
                    postmasterStartTime,
                    checkpointTimeline,
                    receiverStatus,
                    receivedTimeline,
                    primaryConninfo,
                    standbyNames,
                    replication,
                    value);
        }
    }

    private final Jdbc jdbc;
    private Connection connection;
    /** The last failure reported, so a server that stays unreachable is reported once, not every cycle. */
    private String lastFailure;

    ServerQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The server's answers, or empty when it cannot be reached or queried right now. */
    synchronized Optional<Snapshot> query() {
        for (int attempt = 0; attempt < 2; attempt++) {
            boolean reused = connection != null;
            try {
                if (connection == null) {
                    connection = jdbc.openForObservation();
                }
                Snapshot snapshot = read(connection);
                if (lastFailure != null) {
                    LOG.info("PostgreSQL at {} answers again", jdbc.address());
                    lastFailure = null;
                }
                return Optional.of(snapshot);
            } catch (SQLException e) {
                close();
                if (!reused) {
                    if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                        LOG.warn("cannot query PostgreSQL at {}: {}", jdbc.address(), e.getMessage());
                    }
                    lastFailure = String.valueOf(e.getMessage());
                    return Optional.empty();
                }
                // A connection kept from an earlier cycle may have died with a restart: try once with a new one.
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the observation connection: {}", e.getMessage());
            }
            connection = null;
        }
    }

    private static Snapshot read(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(Math.toIntExact(Jdbc.SOCKET_TIMEOUT.toSeconds()));
            List<ReplicationConnection> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(REPLICATION_SQL)) {
                while (rs.next()) {
                    rows.add(new ReplicationConnection(
                            text(rs, 1),
                            text(rs, 2),
                            text(rs, 3),
                            text(rs, 4),
                            text(rs, 5),
                            rs.getInt(6),
                            lsn(rs.getString(7)),
                            lsn(rs.getString(8))));
                }
            }
            Snapshot state;
            try (ResultSet rs = st.executeQuery(STATE_SQL)) {
                if (!rs.next()) {
                    throw new SQLException("the state query returned no row");
                }
                state = new Snapshot(
                        rs.getBoolean(1),
                        lsn(rs.getString(2)),
                        timeline(rs, 3),
                        lsn(rs.getString(4)),
                        lsn(rs.getString(5)),
                        rs.getInt(6),
                        Optional.ofNullable(rs.getObject(7, OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant),
                        timeline(rs, 8),
                        Optional.ofNullable(rs.getString(9)),
                        timeline(rs, 10),
                        text(rs, 11),
                        new StandbyNames(text(rs, 12), rs.getBoolean(13)),
                        rows,
                        List.of());
            }
            // The slot columns differ between versions: asked after the state row has said which version this is.
            return state.withSlots(SlotQuery.read(st, state.serverVersion()));
        }
    }

    private static String text(ResultSet rs, int column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? "" : value;
    }

    private static Optional<Lsn> lsn(String text) {
        return text == null ? Optional.empty() : Optional.of(Lsn.parse(text));
    }

    private static Optional<Timeline> timeline(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() || value < 1 ? Optional.empty() : Optional.of(new Timeline(value));
    }
}
