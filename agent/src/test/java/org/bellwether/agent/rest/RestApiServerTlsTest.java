package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwether.agent.rest.Snapshots.NOW;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.bellwether.config.Credentials;
import org.bellwether.config.PemFiles;
import org.bellwether.config.RestApiConfig;
import org.bellwether.core.HostPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API over TLS with a CA and one certificate for 127.0.0.1 made in memory: {@code verify_client} optional
 * (a client certificate for unsafe methods only), required (for everything), and none.
 */
class RestApiServerTlsTest {
    @TempDir
    static Path dir;

    private static Path caFile;
    private static Path certFile;
    private static Path keyFile;
    private RestApiServer server;

    @BeforeAll
    static void certificates() throws Exception {
        X509Bundle ca = new CertificateBuilder()
                .subject("CN=bellwether-test-ca")
                .setIsCertificateAuthority(true)
                .ecp256()
                .buildSelfSigned();
        X509Bundle node = new CertificateBuilder()
                .subject("CN=127.0.0.1")
                .addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth()
                .addExtendedKeyUsageClientAuth()
                .ecp256()
                .buildIssuedBy(ca);
        caFile = Files.writeString(dir.resolve("ca.crt"), ca.getCertificatePEM());
        certFile = Files.writeString(dir.resolve("node.crt"), node.getCertificatePEM());
        keyFile = Files.writeString(dir.resolve("node.key"), node.getPrivateKeyPEM());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void serve(Optional<String> verifyClient) throws IOException {
        HostPort address = new HostPort("127.0.0.1", 8008);
        RestApiConfig config = new RestApiConfig(
                address,
                address,
                Optional.of(new Credentials("admin", Optional.of("s3cret"))),
                Optional.of(certFile),
                Optional.of(keyFile),
                Optional.empty(),
                Optional.of(caFile),
                verifyClient,
                List.of());
        server = new RestApiServer(
                Snapshots::primaryWithLock,
                () -> NOW,
                config,
                new InetSocketAddress("127.0.0.1", 0),
                router -> router.post("/echo", r -> Response.json(200, r.jsonObjectBody())));
    }

    private int status(boolean withCertificate, String method, String path) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                withCertificate ? PemFiles.keyManagers(certFile, Optional.of(keyFile), Optional.empty()) : null,
                PemFiles.trustManagers(caFile),
                null);
        HttpClient client = HttpClient.newBuilder().sslContext(context).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", TestServer.ADMIN)
                .method(method, HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void optionalClientCertificates_areNeededForUnsafeMethodsOnly() throws Exception {
        serve(Optional.of("optional"));

        assertThat(status(false, "GET", "/patroni")).isEqualTo(200);
        assertThat(status(false, "POST", "/echo")).isEqualTo(403);
        assertThat(status(true, "POST", "/echo")).isEqualTo(200);
    }

    @Test
    void requiredClientCertificates_refuseTheHandshakeWithoutOne() throws Exception {
        serve(Optional.of("required"));

        assertThatThrownBy(() -> status(false, "GET", "/patroni")).isInstanceOf(IOException.class);
        assertThat(status(true, "GET", "/patroni")).isEqualTo(200);
        assertThat(status(true, "POST", "/echo")).isEqualTo(200);
    }

    @Test
    void withoutVerifyClient_anyCallerIsServed_andPlainHttpIsDroppedQuietly() throws Exception {
        serve(Optional.empty());

        assertThat(status(false, "POST", "/echo")).isEqualTo(200);
        try (LogCapture log = new LogCapture();
                RawHttp plain = new RawHttp(server.port())) {
            plain.send("GET /patroni HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(plain.closedByServer(Duration.ofSeconds(5))).isTrue();
            assertThat(log.withStackTraces()).isEmpty();
            assertThat(log.atWarnOrAbove()).isEmpty();
        }
    }
}
