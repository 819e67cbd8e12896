package org.bellwether.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.bellwether.config.Credentials;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.LeaderTimeline;
import org.bellwether.core.ha.Upstream;
import org.bellwether.postgres.tls.JdbcTls;
import org.postgresql.Driver;

/**
 * Asks another member's PostgreSQL for its timeline and timeline history over a physical replication connection, as
 * Patroni does: {@code IDENTIFY_SYSTEM}, then {@code TIMELINE_HISTORY <tli>}. It needs only what streaming needs
 * (the replication user with its TLS options and a {@code replication} line in pg_hba.conf) and works on a primary
 * and on a replica.
 */
final class LeaderTimelines {
    /** Short: the answer is needed within one HA cycle. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    private static final Driver DRIVER = new Driver();
    private static final String SETTING = "postgresql.authentication.replication";

    private LeaderTimelines() {}

    /** Never throws: a failure is reported as {@link LeaderTimeline.Unreachable} with what went wrong. */
    static LeaderTimeline read(Upstream leader, Credentials replication) {
        try (Connection c = connect(leader, replication);
                Statement st = c.createStatement()) {
            st.setQueryTimeout(Math.toIntExact(SOCKET_TIMEOUT.toSeconds()));
            Timeline timeline = identify(st);
            List<HistoryEntry> history = List.of();
            if (!timeline.equals(Timeline.FIRST)) {
                try (ResultSet rs = st.executeQuery("TIMELINE_HISTORY " + timeline.value())) {
                    if (!rs.next()) {
                        throw new SQLException("TIMELINE_HISTORY " + timeline + " returned no row");
                    }
                    history = TimelineHistoryFile.parse(content(rs));
                }
            }
            return new LeaderTimeline.Known(leader.member(), timeline, history);
        } catch (SQLException | RuntimeException e) {
            return new LeaderTimeline.Unreachable(
                    leader.member(),
                    "asking " + leader.member() + " at " + leader.address() + " for its timeline history: "
                            + e.getMessage());
        }
    }

    /**
     * The timeline a server is on, from {@code IDENTIFY_SYSTEM}: on a replica, the timeline it replays (Patroni's
     * {@code get_replica_timeline}), which SQL does not offer while no WAL receiver runs.
     */
    static Timeline timeline(Upstream server, Credentials replication) throws SQLException {
        try (Connection c = connect(server, replication);
                Statement st = c.createStatement()) {
            st.setQueryTimeout(Math.toIntExact(SOCKET_TIMEOUT.toSeconds()));
            return identify(st);
        }
    }

    private static Timeline identify(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("IDENTIFY_SYSTEM")) {
            if (!rs.next()) {
                throw new SQLException("IDENTIFY_SYSTEM returned no row");
            }
            return new Timeline(rs.getInt("timeline"));
        }
    }

    /** The history file's text: PostgreSQL sends it as {@code bytea} (older servers as text). */
    private static String content(ResultSet rs) throws SQLException {
        int type = rs.getMetaData().getColumnType(2);
        if (type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY) {
            return new String(rs.getBytes(2), StandardCharsets.UTF_8);
        }
        return rs.getString(2);
    }

    private static Connection connect(Upstream leader, Credentials replication) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", replication.username());
        replication.password().ifPresent(p -> props.setProperty("password", p));
        // A physical replication connection: only replication commands, sent as simple queries.
        props.setProperty("replication", "true");
        props.setProperty("assumeMinServerVersion", "9.4");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        props.setProperty("loginTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds() + 1));
        props.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        props.setProperty("ApplicationName", "Bellwether");
        JdbcTls.apply(replication, SETTING, props);
        return Jdbc.connect(
                DRIVER, "jdbc:postgresql://" + leader.address() + "/postgres", props, new Login(replication, SETTING));
    }
}
