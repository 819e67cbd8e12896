package org.bellwether.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.bellwether.config.Credentials;
import org.bellwether.core.ha.Upstream;
import org.bellwether.core.slots.SlotHorizons;
import org.bellwether.postgres.tls.JdbcTls;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the leader's replication slots over an ordinary SQL connection, as Patroni does, with the rewind user's
 * credentials and TLS options (the superuser's when there is no rewind user): that role may read files of the data directory, which
 * copying a slot's state needs. Rows come only while the leader is a primary: a leader still in recovery has nothing
 * a replica could rely on.
 */
final class LeaderSlots {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderSlots.class);

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    private static final Driver DRIVER = new Driver();

    private static final String HORIZONS = "SELECT slot_name, catalog_xmin::text"
            + " FROM pg_catalog.pg_get_replication_slots()"
            + " WHERE NOT pg_catalog.pg_is_in_recovery() AND slot_name::text = ANY(?)";

    private LeaderSlots() {}

    /**
     * {@code catalog_xmin} of {@code ownSlot} and of each of {@code logicalSlots} on {@code leader}; empty when the
     * leader could not be asked. A slot the leader does not have, or one without a catalog horizon, is left out.
     */
    static Optional<SlotHorizons> horizons(
            Upstream leader, Login user, String database, String ownSlot, List<String> logicalSlots) {
        LinkedHashSet<String> names = new LinkedHashSet<>(logicalSlots);
        names.add(ownSlot);
        Map<String, Long> found = new HashMap<>();
        try (Connection c = connect(leader, user, database);
                PreparedStatement st = c.prepareStatement(HORIZONS)) {
            st.setArray(1, textArray(c, new ArrayList<>(names)));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    SlotQuery.xid(rs.getString(2)).ifPresent(xmin -> found.put(name, xmin));
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.info(
                    "asking {} at {} for the catalog horizons of slots {}: {}",
                    leader.member(),
                    leader.address(),
                    names,
                    e.getMessage());
            return Optional.empty();
        }
        Optional<Long> physical = Optional.ofNullable(found.remove(ownSlot));
        return Optional.of(new SlotHorizons(physical, new TreeMap<>(found)));
    }

    static Array textArray(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(new String[0]));
    }

    /** Short timeouts: these questions are asked from an HA cycle or before stopping PostgreSQL. */
    static Connection connect(Upstream leader, Login login, String database) throws SQLException {
        Credentials user = login.user();
        Properties props = new Properties();
        props.setProperty("user", user.username());
        user.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        props.setProperty("loginTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds() + 1));
        props.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        props.setProperty("options", "-c statement_timeout=" + (SOCKET_TIMEOUT.toMillis() - 1000));
        props.setProperty("ApplicationName", "Bellwether");
        JdbcTls.apply(user, login.setting(), props);
        return Jdbc.connect(DRIVER, Jdbc.url(leader.address(), database), props, login);
    }
}
