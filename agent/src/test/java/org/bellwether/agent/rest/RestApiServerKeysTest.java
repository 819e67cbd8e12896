package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwether.agent.rest.Snapshots.NOW;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bellwether.config.RestApiConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API's certificate with an RSA key encrypted under {@code keyfile_password}, and with an EC key. */
class RestApiServerKeysTest {
    @TempDir
    Path dir;

    private RestApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void serve(RestApiConfig config) throws Exception {
        server = new RestApiServer(
                Snapshots::primaryWithLock, () -> NOW, config, new InetSocketAddress("127.0.0.1", 0), r -> {});
    }

    private int getPatroni(LoopbackCertificate trusted) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().sslContext(trusted.clientContext()).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/patroni"))
                .timeout(Duration.ofSeconds(10))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void encryptedPkcs8RsaKey_servesTlsWithKeyfilePassword() throws Exception {
        LoopbackCertificate rsa = LoopbackCertificate.rsa();
        Path cert = Files.writeString(dir.resolve("node.crt"), rsa.node().getCertificatePEM());
        Path key = PemKeys.writeEncrypted(
                dir.resolve("node.key"), rsa.node().getKeyPair().getPrivate(), "s3cret");
        assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

        serve(new RestApiConfigBuilder()
                .tls(cert, key)
                .keyfilePassword("s3cret")
                .build());

        assertThat(getPatroni(rsa)).isEqualTo(200);
    }

    @Test
    void encryptedKey_withAWrongPassword_stopsTheServerFromStarting() throws Exception {
        LoopbackCertificate ec = LoopbackCertificate.ec();
        Path cert = Files.writeString(dir.resolve("node.crt"), ec.node().getCertificatePEM());
        Path key = PemKeys.writeEncrypted(
                dir.resolve("node.key"), ec.node().getKeyPair().getPrivate(), "s3cret");

        assertThatThrownBy(() -> serve(new RestApiConfigBuilder()
                        .tls(cert, key)
                        .keyfilePassword("guess")
                        .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restapi.certfile")
                .hasMessageContaining("wrong keyfile_password");
    }

    @Test
    void ecKey_servesTls() throws Exception {
        LoopbackCertificate ec = LoopbackCertificate.ec();
        Path cert = Files.writeString(dir.resolve("node.crt"), ec.node().getCertificatePEM());
        Path key = Files.writeString(dir.resolve("node.key"), ec.node().getPrivateKeyPEM());

        serve(new RestApiConfigBuilder().tls(cert, key).build());

        assertThat(getPatroni(ec)).isEqualTo(200);
    }

    @Test
    void encryptedEcKey_inTheCertificateFile_servesTls() throws Exception {
        LoopbackCertificate ec = LoopbackCertificate.ec();
        Path key = PemKeys.writeEncrypted(
                dir.resolve("key.pem"), ec.node().getKeyPair().getPrivate(), "s3cret");
        Path both = Files.writeString(dir.resolve("node.pem"), ec.node().getCertificatePEM() + Files.readString(key));

        serve(new RestApiConfigBuilder()
                .tls(both, both)
                .keyfilePassword("s3cret")
                .build());

        assertThat(getPatroni(ec)).isEqualTo(200);
    }
}
