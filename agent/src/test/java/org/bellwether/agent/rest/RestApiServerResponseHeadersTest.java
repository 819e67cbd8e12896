package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.agent.rest.Snapshots.NOW;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.bellwether.agent.AgentVersion;
import org.bellwether.config.RestApiConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code http_extra_headers}, {@code https_extra_headers} and {@code server_tokens} on every kind of answer. */
class RestApiServerResponseHeadersTest {
    private static final Map<String, String> HTTP_HEADERS =
            Map.of("X-Frame-Options", "SAMEORIGIN", "X-Content-Type-Options", "nosniff");
    private static final Map<String, String> HTTPS_HEADERS =
            Map.of("Strict-Transport-Security", "max-age=31536000; includeSubDomains", "X-Frame-Options", "DENY");

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
                Snapshots::primaryWithLock,
                () -> NOW,
                config,
                new InetSocketAddress("127.0.0.1", 0),
                router -> router.post("/echo", r -> Response.text(200, "done")));
    }

    private RawHttp.Reply ask(String request) throws Exception {
        try (RawHttp client = new RawHttp(server.port())) {
            return client.send(request).read();
        }
    }

    @Test
    void plainHttp_sendsTheHttpHeadersOnEveryAnswer_butNotTheHttpsOnes() throws Exception {
        serve(new RestApiConfigBuilder()
                .httpExtraHeaders(HTTP_HEADERS)
                .httpsExtraHeaders(HTTPS_HEADERS)
                .allowlist("10.0.0.0/8")
                .build());

        for (String request : new String[] {
            "GET /patroni HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "OPTIONS /primary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
        }) {
            RawHttp.Reply reply = ask(request);

            assertThat(reply.header("X-Frame-Options")).as(request).isEqualTo("SAMEORIGIN");
            assertThat(reply.header("X-Content-Type-Options")).as(request).isEqualTo("nosniff");
            assertThat(reply.header("Strict-Transport-Security")).as(request).isNull();
        }
        assertThat(ask("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                        .status())
                .as("refused by the allowlist, and still with the headers")
                .isEqualTo(403);
    }

    @Test
    void https_sendsBoth_theHttpsValueWinningForTheSameName() throws Exception {
        LoopbackCertificate node = LoopbackCertificate.ec();
        Path cert = Files.writeString(dir.resolve("node.crt"), node.node().getCertificatePEM());
        Path key = Files.writeString(dir.resolve("node.key"), node.node().getPrivateKeyPEM());
        serve(new RestApiConfigBuilder()
                .tls(cert, key)
                .httpExtraHeaders(HTTP_HEADERS)
                .httpsExtraHeaders(HTTPS_HEADERS)
                .build());
        HttpClient client =
                HttpClient.newBuilder().sslContext(node.clientContext()).build();

        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/patroni"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Strict-Transport-Security"))
                .containsExactly("max-age=31536000; includeSubDomains");
        assertThat(response.headers().allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(response.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
    }

    @ParameterizedTest(name = "server_tokens {0}")
    @CsvSource({"original", "minimal", "productonly", "''"})
    void serverHeader_saysAsMuchAsServerTokensAllows(String tokens) throws Exception {
        RestApiConfigBuilder config = new RestApiConfigBuilder();
        if (!tokens.isEmpty()) {
            config.serverTokens(tokens);
        }
        serve(config.build());

        String server = ask("GET /patroni HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .header("Server");

        String product = AgentVersion.PRODUCT + "/" + AgentVersion.BELLWETHER;
        switch (tokens) {
            case "productonly" -> assertThat(server).isEqualTo("Bellwether");
            case "minimal" -> assertThat(server).isEqualTo(product);
            default -> assertThat(server).isEqualTo(product + " Java/" + System.getProperty("java.version"));
        }
    }

    @Test
    void serverTokens_defaultIsOriginal() {
        assertThat(ResponseHeaders.server(Optional.empty())).isEqualTo(ResponseHeaders.server(Optional.of("original")));
    }
}
