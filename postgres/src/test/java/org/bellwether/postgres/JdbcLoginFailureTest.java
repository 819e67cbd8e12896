package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bellwether.config.Credentials;
import org.bellwether.config.PemFiles;
import org.bellwether.postgres.tls.JdbcTls;
import org.bellwether.postgres.tls.Pki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

/**
 * A login that fails for TLS reasons says which login and why in one line, through the real driver, against a
 * stand-in server that accepts PostgreSQL's SSLRequest and then shakes hands with openssl-made certificates.
 */
class JdbcLoginFailureTest {
    private static final String SETTING = "postgresql.authentication.superuser";

    @TempDir
    static Path dir;

    private static Pki pki;
    private static ServerSocket listener;
    private static Thread acceptor;

    @BeforeAll
    static void start() throws Exception {
        pki = Pki.make(dir);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                PemFiles.keyManagers(
                        pki.server().cert(), Optional.of(pki.server().key()), Optional.empty()),
                null,
                null);
        listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> serve(context), "ssl-request-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers each SSLRequest with 'S' and shakes hands; whatever the client does next, the connection ends. */
    private static void serve(SSLContext context) {
        while (!listener.isClosed()) {
            try (Socket plain = listener.accept()) {
                plain.setSoTimeout(10_000);
                new DataInputStream(plain.getInputStream()).readFully(new byte[8]);
                plain.getOutputStream().write('S');
                plain.getOutputStream().flush();
                try (SSLSocket tls =
                        (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), false)) {
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                }
            } catch (IOException e) {
                // The client gave up, as the tests expect it to.
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        listener.close();
    }

    private static void login(Map<String, String> options) throws SQLException {
        Credentials superuser = new Credentials("postgres", Optional.empty(), new TreeMap<>(options));
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "5");
        JdbcTls.apply(superuser, SETTING, props);
        Jdbc.connect(
                new Driver(),
                "jdbc:postgresql://127.0.0.1:" + listener.getLocalPort() + "/postgres",
                props,
                new Login(superuser, SETTING));
    }

    @Test
    void serverSignedByAnotherAuthority_isNamedWithTheLoginAndTheFile() {
        Path other = pki.other().ca();

        assertThatThrownBy(() -> login(Map.of("sslmode", "verify-full", "sslrootcert", other.toString())))
                .isInstanceOf(SQLException.class)
                .hasMessage("superuser login as postgres failed: SSL error: the server's certificate 'CN=127.0.0.1'"
                        + " (issued by 'CN=ca') is not trusted by " + SETTING + ".sslrootcert " + other
                        + ": it is not signed by an authority of that file")
                .extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("08006");
    }

    @Test
    void unusableKey_isNamedBySetting_notByTheDriversWrapper() {
        Map<String, String> options = Map.of(
                "sslmode", "verify-full",
                "sslrootcert", pki.authority().ca().toString(),
                "sslcert", pki.client().cert().toString(),
                "sslkey", pki.encryptedClientKey().toString());

        assertThatThrownBy(() -> login(options))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("superuser login as postgres failed: " + SETTING + ".sslkey: "
                        + pki.encryptedClientKey() + " holds an encrypted key, but no " + SETTING + ".sslpassword")
                .message()
                .doesNotContain("could not be instantiated");
    }
}
