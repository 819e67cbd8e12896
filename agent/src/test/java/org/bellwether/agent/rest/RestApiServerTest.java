package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwether.agent.rest.Snapshots.NOW;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bellwether.config.RestApiConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server's own behaviour: methods, routing, authentication, malformed input, failures. */
class RestApiServerTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer(router -> router.post("/echo", r -> Response.json(200, r.jsonObjectBody()))
                .get("/boom", r -> {
                    throw new IllegalStateException("kaboom");
                }));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    // --- unsafe methods and authentication ---

    @ParameterizedTest(name = "{0} without credentials -> 401")
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void unsafeMethodWithoutCredentials_is401WithChallenge(String method) throws Exception {
        HttpResponse<String> response = server.send(method, "/switchover", "{}", Optional.empty());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
    }

    @Test
    void unsafeMethodWithWrongPassword_is401() throws Exception {
        HttpResponse<String> response =
                server.send("POST", "/echo", "{\"a\":1}", Optional.of(TestServer.basic("admin", "nope")));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void unsafeMethodWithNonBasicScheme_is401() throws Exception {
        HttpResponse<String> response = server.send("POST", "/echo", "{\"a\":1}", Optional.of("Bearer abc"));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void unsafeMethodWithRightCredentials_reachesTheHandler() throws Exception {
        HttpResponse<String> response = server.send("POST", "/echo", "{\"a\":1}", Optional.of(TestServer.ADMIN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"a\":1}");
    }

    @Test
    void authenticatedUnsafeRequestToUnknownPath_is404() throws Exception {
        HttpResponse<String> response = server.send("POST", "/switchover", "{}", Optional.of(TestServer.ADMIN));

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void authenticatedUnsafeRequestToReadOnlyPath_is405WithAllow() throws Exception {
        HttpResponse<String> response = server.send("PATCH", "/config", "{}", Optional.of(TestServer.ADMIN));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
    }

    @Test
    void safeMethods_needNoCredentials() throws Exception {
        assertThat(server.send("GET", "/patroni").statusCode()).isEqualTo(200);
    }

    // --- malformed input and failures ---

    @ParameterizedTest(name = "GET {0} -> 400")
    @ValueSource(strings = {"/replica?lag=abc", "/replica?lag=-5", "/readiness?lag=1XB", "/readiness?mode=fast"})
    void malformedQueryValue_is400NamingTheProblem(String path) throws Exception {
        HttpResponse<String> response = server.send("GET", path);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").asText())
                .isNotBlank()
                .doesNotContain("Exception");
    }

    @Test
    void haproxyStyleOptionsOverHttp10_getsAStatusLine() throws Exception {
        assertThat(rawStatusLine("OPTIONS / HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void noSnapshotPublishedYet_is503() throws Exception {
        server.serve(() -> null);

        HttpResponse<String> response = server.send("GET", "/patroni");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(TestServer.json(response).path("error").asText()).contains("not published");
    }

    @Test
    void malformedPercentEscape_is400() throws Exception {
        assertThat(rawStatusLine("GET /replica?lag=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
    }

    @Test
    void malformedLagOnHead_is400WithoutBody() throws Exception {
        HttpResponse<String> response = server.send("HEAD", "/replica?lag=abc");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEmpty();
    }

    @ParameterizedTest(name = "POST /echo {0} -> 400")
    @ValueSource(strings = {"", "{not json", "[1,2]", "\"text\""})
    void badJsonBody_is400(String body) throws Exception {
        HttpResponse<String> response = server.send("POST", "/echo", body, Optional.of(TestServer.ADMIN));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").asText()).contains("body");
    }

    @ParameterizedTest(name = "POST /echo {0} -> 400")
    @ValueSource(strings = {"{\"a\":1} trailing", "{\"a\":1}{\"b\":2}", "{\"a\":1} 5", "{\"a\":1}]"})
    void bytesAfterTheJsonObject_are400(String body) throws Exception {
        HttpResponse<String> response = server.send("POST", "/echo", body, Optional.of(TestServer.ADMIN));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").asText())
                .contains("more after its JSON value, which ends at byte 7");
    }

    @Test
    void whiteSpaceAroundTheJsonObject_isAccepted() throws Exception {
        HttpResponse<String> response =
                server.send("POST", "/echo", " \n{\"a\":1}\r\n\t ", Optional.of(TestServer.ADMIN));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPath_is404WithError() throws Exception {
        HttpResponse<String> response = server.send("GET", "/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response).path("error").asText()).contains("/nope");
    }

    @Test
    void trailingSlash_routesLikeThePath() throws Exception {
        assertThat(server.send("GET", "/primary/").statusCode()).isEqualTo(200);
    }

    @Test
    void unsupportedMethod_is501() throws Exception {
        assertThat(server.send("TRACE", "/patroni").statusCode()).isEqualTo(501);
    }

    @Test
    void handlerFailure_is500WithOneLineAndNoStackTrace() throws Exception {
        HttpResponse<String> response = server.send("GET", "/boom");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body())
                .doesNotContain("\n")
                .doesNotContain("at org.")
                .doesNotContain("kaboom");
        assertThat(TestServer.json(response).path("error").asText()).contains("IllegalStateException");
    }

    @Test
    void snapshotSupplierFailure_is500AndServerKeepsServing() throws Exception {
        server.serve(() -> {
            throw new IllegalStateException("no snapshot yet");
        });
        assertThat(server.send("GET", "/patroni").statusCode()).isEqualTo(500);

        server.serve(Snapshots::primaryWithLock);
        assertThat(server.send("GET", "/patroni").statusCode()).isEqualTo(200);
    }

    @Test
    void certfileThatCannotBeRead_refusesToStartNamingTheKeyAndFile() {
        RestApiConfig tls = tlsConfig(Optional.of(Path.of("no-such-server.crt")), Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> new RestApiServer(
                        Snapshots::primaryWithLock, () -> NOW, tls, new InetSocketAddress("127.0.0.1", 0), r -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restapi.certfile")
                .hasMessageContaining("no-such-server.crt");
    }

    @Test
    void verifyClientWithoutCafile_refusesToStart() {
        RestApiConfig tls = tlsConfig(Optional.of(Path.of("server.crt")), Optional.empty(), Optional.of("required"));

        assertThatThrownBy(() -> new RestApiServer(
                        Snapshots::primaryWithLock, () -> NOW, tls, new InetSocketAddress("127.0.0.1", 0), r -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restapi.verify_client")
                .hasMessageContaining("restapi.cafile");
    }

    private static RestApiConfig tlsConfig(
            Optional<Path> certfile, Optional<Path> cafile, Optional<String> verifyClient) {
        RestApiConfig plain = RestApiServerTestConfig.plain();
        return new RestApiConfig(
                plain.listen(),
                plain.connectAddress(),
                Optional.empty(),
                certfile,
                Optional.empty(),
                Optional.empty(),
                cafile,
                verifyClient,
                List.of());
    }

    /** Sends bytes exactly as written, for requests java.net.http refuses to build. */
    private static String rawStatusLine(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
