package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwether.agent.rest.Snapshots.NOW;

import io.netty.handler.ssl.CipherSuiteConverter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.bellwether.config.OpenSslCipherString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restapi.ciphers} on a TLS server with an RSA certificate: TLS 1.2 clients must offer a suite the string
 * selects; TLS 1.3 is not governed by the string, in OpenSSL (and so Patroni) as here.
 */
class RestApiServerCiphersTest {
    private static final String CHOSEN = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    private static final String OTHER = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";

    @TempDir
    static Path dir;

    private static LoopbackCertificate node;
    private static Path cert;
    private static Path key;
    private RestApiServer server;

    @BeforeAll
    static void certificate() throws Exception {
        node = LoopbackCertificate.rsa();
        cert = Files.writeString(dir.resolve("node.crt"), node.node().getCertificatePEM());
        key = Files.writeString(dir.resolve("node.key"), node.node().getPrivateKeyPEM());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void serve(String ciphers) throws Exception {
        server = new RestApiServer(
                Snapshots::primaryWithLock,
                () -> NOW,
                new RestApiConfigBuilder().tls(cert, key).ciphers(ciphers).build(),
                new InetSocketAddress("127.0.0.1", 0),
                r -> {});
    }

    /** The suite a handshake settles on, for a client offering only {@code suite} over {@code protocol}. */
    private String handshake(String protocol, String suite) throws Exception {
        SSLContext tls = node.clientContext();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        }
    }

    @Test
    void aClientOfferingTheChosenSuite_isServed_oneOfferingOnlyAnother_isRefused() throws Exception {
        serve("ECDHE-RSA-AES128-GCM-SHA256");

        assertThat(handshake("TLSv1.2", CHOSEN)).isEqualTo(CHOSEN);
        assertThatThrownBy(() -> handshake("TLSv1.2", OTHER)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aliases_selectByKind() throws Exception {
        serve("HIGH:!aNULL:!AES128");

        assertThat(handshake("TLSv1.2", OTHER)).isEqualTo(OTHER);
        assertThatThrownBy(() -> handshake("TLSv1.2", CHOSEN)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void tls13_keepsTheJdksSuites() throws Exception {
        serve("ECDHE-RSA-AES128-GCM-SHA256");

        assertThat(handshake("TLSv1.3", "TLS_AES_256_GCM_SHA384")).isEqualTo("TLS_AES_256_GCM_SHA384");
    }

    @Test
    void aStringLeavingNoSuite_stopsTheServerFromStarting() {
        assertThatThrownBy(() -> serve("CAMELLIA256-SHA:!SSLv2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("restapi.ciphers: 'CAMELLIA256-SHA:!SSLv2' selects none");
    }

    @Test
    void openSslNames_areNettysForEverySuiteOfTheJdk() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        int named = 0;
        for (String suite : tls.getSupportedSSLParameters().getCipherSuites()) {
            Optional<String> ours = OpenSslCipherString.openSslName(suite);
            if (ours.isPresent()) {
                named++;
                assertThat(ours).as(suite).contains(CipherSuiteConverter.toOpenSsl(suite, false));
            }
        }
        assertThat(named).isGreaterThan(20);
    }
}
