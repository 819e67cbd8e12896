package org.bellwether.postgres;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.bellwether.config.Credentials;
import org.bellwether.core.HostPort;
import org.bellwether.postgres.tls.ClientTlsException;
import org.bellwether.postgres.tls.JdbcTls;
import org.postgresql.Driver;

/**
 * Opens superuser connections to this node's PostgreSQL over TCP, with the superuser's TLS and GSS options. Timeouts
 * are short so a hung server makes a call fail within seconds instead of stalling the agent; the password goes in the
 * driver's properties, never in a URL. A login that fails says so in the message: "superuser login as postgres
 * failed: SSL error: ...".
 */
final class Jdbc {
    /** For observation every cycle: fail fast. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    private static final Driver DRIVER = new Driver();

    private static final String SETTING = "postgresql.authentication.superuser";

    private final HostPort address;
    private final Credentials superuser;

    Jdbc(HostPort address, Credentials superuser) {
        this.address = address;
        this.superuser = superuser;
    }

    HostPort address() {
        return address;
    }

    Connection open() throws SQLException {
        return open(SOCKET_TIMEOUT);
    }

    /**
     * The connection kept for observation: a statement stuck behind a lock is cancelled by the server after two
     * seconds (as Patroni does), well before the socket timeout gives up on the server itself.
     */
    Connection openForObservation() throws SQLException {
        Properties props = properties(SOCKET_TIMEOUT);
        props.setProperty("options", "-c statement_timeout=2000");
        return connect(props);
    }

    /** A connection whose statements may run up to {@code socketTimeout} (role creation, slot changes). */
    Connection open(Duration socketTimeout) throws SQLException {
        return connect(properties(socketTimeout));
    }

    /**
     * A connection to {@code database} (logical slots are created and advanced in their own database) whose
     * statements the server cancels after {@code statementTimeout}; {@code socketTimeout} should be longer, so the
     * server's own cancel is what the caller sees.
     */
    Connection open(String database, Duration statementTimeout, Duration socketTimeout) throws SQLException {
        Properties props = properties(socketTimeout);
        props.setProperty("options", "-c statement_timeout=" + statementTimeout.toMillis());
        return connect(props, database);
    }

    private Properties properties(Duration socketTimeout) {
        Properties props = new Properties();
        props.setProperty("user", superuser.username());
        superuser.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        props.setProperty("loginTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds() + 1));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
        props.setProperty("ApplicationName", "Bellwether");
        props.setProperty("tcpKeepAlive", "true");
        JdbcTls.apply(superuser, SETTING, props);
        return props;
    }

    private Connection connect(Properties props) throws SQLException {
        return connect(props, "postgres");
    }

    private Connection connect(Properties props, String database) throws SQLException {
        Connection c = connect(DRIVER, url(address, database), props, new Login(superuser, SETTING));
        c.setAutoCommit(true);
        return c;
    }

    /**
     * Connects with {@code driver}; a failure names the login and gives the driver's reason, or the reason a TLS
     * setting cannot be used, in one line (the SQL state is kept).
     */
    static Connection connect(Driver driver, String url, Properties props, Login login) throws SQLException {
        Connection c;
        try {
            c = driver.connect(url, props);
        } catch (SQLException e) {
            throw new SQLException(login.describe() + " failed: " + ClientTlsException.reasonIn(e), e.getSQLState(), e);
        }
        if (c == null) {
            throw new SQLException("the PostgreSQL driver did not accept the URL " + url);
        }
        return c;
    }

    /** The driver URL-decodes the database name in the URL, so any name survives encoding. */
    static String url(HostPort address, String database) {
        return "jdbc:postgresql://" + address + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
