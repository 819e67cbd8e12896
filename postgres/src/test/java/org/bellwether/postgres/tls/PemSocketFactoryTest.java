package org.bellwether.postgres.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.bellwether.config.Credentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ssl.PGjdbcHostnameVerifier;

/**
 * The driver's socket factory against a TLS server on 127.0.0.1 with certificates openssl made: the client
 * certificate goes with every handshake, the server is checked against {@code sslrootcert} and its revocation lists,
 * and each setting that cannot be used is refused in a sentence naming it.
 */
class PemSocketFactoryTest {
    private static final String SETTING = "postgresql.authentication.superuser";

    @TempDir
    static Path dir;

    private static Pki pki;
    private static TlsServer server;

    @BeforeAll
    static void start() throws Exception {
        pki = Pki.make(dir);
        server = new TlsServer(
                pki.server().cert(), pki.server().key(), pki.authority().ca());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Map<String, String> verifyFull(Path rootcert) {
        Map<String, String> o = new TreeMap<>();
        o.put("sslmode", "verify-full");
        o.put("sslrootcert", rootcert.toString());
        o.put("sslcert", pki.client().cert().toString());
        o.put("sslkey", pki.client().key().toString());
        return o;
    }

    /** A handshake with the factory the driver would build for these options; the server's view of the client. */
    private static String handshake(Map<String, String> options) throws Exception {
        Properties props = new Properties();
        JdbcTls.apply(new Credentials("postgres", Optional.empty(), new TreeMap<>(options)), SETTING, props);
        PemSocketFactory factory = new PemSocketFactory(props);
        CompletableFuture<String> seen = server.acceptOne();
        try (SSLSocket s = (SSLSocket) factory.createSocket("127.0.0.1", server.port())) {
            s.startHandshake();
            assertThat(new LoopbackHostnameVerifier().verify("127.0.0.1", s.getSession()))
                    .isTrue();
            assertThat(new LoopbackHostnameVerifier().verify("10.0.0.1", s.getSession()))
                    .isFalse();
        }
        return TlsServer.await(seen);
    }

    @Test
    void verifyFull_withTheServersAuthority_handshakesAndPresentsTheClientCertificate() throws Exception {
        assertThat(handshake(verifyFull(pki.authority().ca()))).isEqualTo("CN=postgres");
    }

    @Test
    void anotherAuthority_isRefusedNamingTheSettingTheFileAndWhy() {
        Path other = pki.other().ca();

        assertThatThrownBy(() -> handshake(verifyFull(other)))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessage("the server's certificate 'CN=127.0.0.1' (issued by 'CN=ca') is not trusted by " + SETTING
                        + ".sslrootcert " + other + ": it is not signed by an authority of that file");
    }

    @Test
    void encryptedKey_isDecryptedWithSslpassword() throws Exception {
        Map<String, String> o = verifyFull(pki.authority().ca());
        o.put("sslkey", pki.encryptedClientKey().toString());
        o.put("sslpassword", Pki.KEY_PASSWORD);

        assertThat(handshake(o)).isEqualTo("CN=postgres");
    }

    @Test
    void encryptedKey_withoutSslpassword_isRefusedNamingSslkey() {
        Map<String, String> o = verifyFull(pki.authority().ca());
        o.put("sslkey", pki.encryptedClientKey().toString());

        assertThatThrownBy(() -> handshake(o))
                .isInstanceOf(ClientTlsException.class)
                .hasMessage(SETTING + ".sslkey: " + pki.encryptedClientKey() + " holds an encrypted key, but no "
                        + SETTING + ".sslpassword is set");
    }

    @Test
    void encryptedKey_withAWrongSslpassword_isRefusedNamingBoth() {
        Map<String, String> o = verifyFull(pki.authority().ca());
        o.put("sslkey", pki.encryptedClientKey().toString());
        o.put("sslpassword", "not it");

        assertThatThrownBy(() -> handshake(o))
                .isInstanceOf(ClientTlsException.class)
                .hasMessage(SETTING + ".sslkey: cannot decrypt the key in " + pki.encryptedClientKey() + ": wrong "
                        + SETTING + ".sslpassword");
    }

    @Test
    void sec1EcKey_andAnRsaKeyInOpenSslsOldEncryptedForm_areRead() throws Exception {
        // The same reader as the REST API's keyfile: libpq reads both forms, and so does the agent.
        assertThat(org.bellwether.config.PemFiles.privateKey(pki.sec1Key(), Optional.empty(), SETTING + ".sslpassword")
                        .getAlgorithm())
                .isEqualTo("EC");
        assertThat(org.bellwether.config.PemFiles.privateKey(
                                pki.traditionalEncryptedKey(), Optional.of(Pki.KEY_PASSWORD), SETTING + ".sslpassword")
                        .getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void certificateWithoutItsKey_isRefused() {
        Map<String, String> o = verifyFull(pki.authority().ca());
        o.put("sslkey", dir.resolve("missing.key").toString());

        assertThatThrownBy(() -> handshake(o))
                .isInstanceOf(ClientTlsException.class)
                .hasMessageContaining(SETTING + ".sslkey: certificate ")
                .hasMessageContaining("is present, but not its private key file " + dir.resolve("missing.key"));
    }

    @Test
    void revokedServerCertificate_isRefused_throughSslcrlOrSslcrldir() throws Exception {
        Map<String, String> crl = verifyFull(pki.authority().ca());
        crl.put("sslcrl", pki.serverRevoked().toString());
        Path crls = Files.createDirectories(dir.resolve("crls"));
        Files.copy(pki.serverRevoked(), crls.resolve("0a1b2c3d.r0"));
        Map<String, String> crlDir = verifyFull(pki.authority().ca());
        crlDir.put("sslcrldir", crls.toString());

        assertThatThrownBy(() -> handshake(crl))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageEndingWith("it has been revoked");
        assertThatThrownBy(() -> handshake(crlDir))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageEndingWith("it has been revoked");
    }

    @Test
    void revocationListThatRevokesNothing_letsTheServerIn() throws Exception {
        Map<String, String> o = verifyFull(pki.authority().ca());
        o.put("sslcrl", pki.emptyCrl().toString());

        assertThat(handshake(o)).isEqualTo("CN=postgres");
    }

    @Test
    void requireWithoutRootCertificate_acceptsAnyServer_asLibpqDoes() throws Exception {
        Map<String, String> o = new TreeMap<>(Map.of(
                "sslmode", "require",
                "sslcert", pki.client().cert().toString(),
                "sslkey", pki.client().key().toString()));

        assertThat(handshake(o)).isEqualTo("CN=postgres");
    }

    @Test
    void requireWithARootCertificate_checksTheServer_asLibpqDoes() {
        Map<String, String> o = verifyFull(pki.other().ca());
        o.put("sslmode", "require");

        assertThatThrownBy(() -> handshake(o)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void verifyCaWithoutRootCertificate_isRefusedNamingSslrootcert() {
        Properties props = new Properties();
        props.setProperty("sslmode", "verify-ca");
        props.setProperty("sslfactoryarg", SETTING);
        ClientTlsFiles files = ClientTlsFiles.from(props, dir.resolve("no-home"));

        assertThatThrownBy(files::trustManager)
                .isInstanceOf(ClientTlsException.class)
                .hasMessage(SETTING + ".sslrootcert: root certificate file "
                        + dir.resolve("no-home/.postgresql/root.crt")
                        + " does not exist; sslmode verify-ca needs it to check the server");
    }

    @Test
    void systemRootCertificates_needVerifyFull_asLibpqRequires() {
        Properties props = new Properties();
        props.setProperty("sslmode", "verify-ca");
        props.setProperty("sslrootcert", "system");
        props.setProperty("sslfactoryarg", SETTING);

        assertThatThrownBy(() -> ClientTlsFiles.from(props, dir).trustManager())
                .isInstanceOf(ClientTlsException.class)
                .hasMessageContaining("verify-full");
    }

    @Test
    void withoutClientCertificate_nothingIsPresented() throws Exception {
        Map<String, String> o = new TreeMap<>(Map.of(
                "sslmode", "verify-full", "sslrootcert", pki.authority().ca().toString()));

        assertThat(handshake(o)).isEqualTo("none");
    }

    @Test
    void certificateForLocalhost_passesVerifyFullAtTheLoopbackAddress() throws Exception {
        Properties props = new Properties();
        Map<String, String> o = Map.of(
                "sslmode", "verify-full", "sslrootcert", pki.localhost().cert().toString());
        JdbcTls.apply(new Credentials("postgres", Optional.empty(), new TreeMap<>(o)), SETTING, props);
        try (TlsServer localhost = new TlsServer(
                        pki.localhost().cert(),
                        pki.localhost().key(),
                        pki.authority().ca());
                SSLSocket s = (SSLSocket) new PemSocketFactory(props).createSocket("127.0.0.1", localhost.port())) {
            CompletableFuture<String> seen = localhost.acceptOne();
            s.startHandshake();

            assertThat(PGjdbcHostnameVerifier.INSTANCE.verify("127.0.0.1", s.getSession()))
                    .isFalse();
            assertThat(new LoopbackHostnameVerifier().verify("127.0.0.1", s.getSession()))
                    .isTrue();
            assertThat(new LoopbackHostnameVerifier().verify("10.0.0.1", s.getSession()))
                    .isFalse();
            s.close();
            assertThat(TlsServer.await(seen)).isEqualTo("none");
        }
    }

    @Test
    void loopbackAddresses_areToldWithoutAskingDns() {
        assertThat(LoopbackHostnameVerifier.isLoopbackAddress("127.0.0.1")).isTrue();
        assertThat(LoopbackHostnameVerifier.isLoopbackAddress("::1")).isTrue();
        assertThat(LoopbackHostnameVerifier.isLoopbackAddress("[::1]")).isTrue();
        assertThat(LoopbackHostnameVerifier.isLoopbackAddress("10.0.0.1")).isFalse();
        assertThat(LoopbackHostnameVerifier.isLoopbackAddress("localhost.example.com"))
                .isFalse();
        assertThat(LoopbackHostnameVerifier.isLoopbackAddress("cafe")).isFalse();
    }
}
