package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.1 on the wire: keep-alive and its end, pipelining, status-only methods, and requests that cannot be decoded
 * or are too large, which are answered with a JSON error and logged at DEBUG at most, without a stack trace.
 */
class RestApiServerHttpTest {
    private static final Duration SOON = Duration.ofSeconds(2);
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(router -> router.post("/echo", r -> Response.json(200, r.jsonObjectBody()))
                .get("/boom", r -> {
                    throw new IllegalStateException("kaboom");
                }));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp connect() {
        return new RawHttp(server.port());
    }

    // --- connections ---

    @Test
    void keepAlive_servesTwoRequestsOnOneConnection_withContentLength() throws Exception {
        try (RawHttp connection = connect()) {
            RawHttp.Reply first =
                    connection.send("GET /patroni HTTP/1.1\r\nHost: x\r\n\r\n").read();
            RawHttp.Reply second =
                    connection.send("GET /primary HTTP/1.1\r\nHost: x\r\n\r\n").read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Content-Length"))
                    .isEqualTo(String.valueOf(first.body().length()));
            assertThat(first.header("Connection")).isNull();
            assertThat(second.status()).isEqualTo(200);
        }
    }

    @Test
    void connectionClose_isHonoured() throws Exception {
        try (RawHttp connection = connect()) {
            RawHttp.Reply reply = connection
                    .send("GET /patroni HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .read();

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("Connection")).isEqualTo("close");
            assertThat(connection.closedByServer(SOON)).isTrue();
        }
    }

    @Test
    void http10_closesUnlessAskedToKeepAlive() throws Exception {
        try (RawHttp plain = connect();
                RawHttp keepAlive = connect()) {
            assertThat(plain.send("GET /patroni HTTP/1.0\r\n\r\n").read().status())
                    .isEqualTo(200);
            assertThat(plain.closedByServer(SOON)).isTrue();

            RawHttp.Reply kept = keepAlive
                    .send("GET /patroni HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .read();
            assertThat(kept.header("Connection")).isEqualTo("keep-alive");
            assertThat(keepAlive.send("GET /primary HTTP/1.0\r\n\r\n").read().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws Exception {
        try (RawHttp connection = connect()) {
            connection.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /primary HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /replica HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(connection.read().status()).isEqualTo(404);
            assertThat(connection.read().status()).isEqualTo(200);
            assertThat(connection.read().status()).isEqualTo(503);
        }
    }

    @ParameterizedTest(name = "{0} /primary: the status and no body")
    @ValueSource(strings = {"HEAD", "OPTIONS"})
    void statusOnlyMethods_sendNoBody_andTheConnectionGoesOn(String method) throws Exception {
        try (RawHttp connection = connect()) {
            RawHttp.Reply reply = connection
                    .send(method + " /primary HTTP/1.1\r\nHost: x\r\n\r\n")
                    .readHead();
            RawHttp.Reply next =
                    connection.send("GET /replica HTTP/1.1\r\nHost: x\r\n\r\n").read();

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("Content-Length")).isEqualTo("0");
            assertThat(next.status())
                    .as("no stray body bytes before the next answer")
                    .isEqualTo(503);
        }
    }

    // --- requests that cannot be decoded, or are too large ---

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "GET /patroni HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
                "POST /echo HTTP/1.1\r\nAuthorization: Basic YWRtaW46czNjcmV0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
                "GET /patroni HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                "GET /patroni HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n",
                "GET /patroni HTTP/1.1\r\nBad Header: x\r\n\r\n",
                "GET /pat roni HTTP/1.1\r\nHost: x\r\n\r\n",
            })
    void undecodableRequest_is400WithAJsonError_closesTheConnection_andLogsNoStackTrace(String request)
            throws Exception {
        try (LogCapture log = new LogCapture();
                RawHttp connection = connect()) {
            RawHttp.Reply reply = connection.send(request).read();

            assertThat(reply.status()).isEqualTo(400);
            assertThat(TestServer.json(reply.body()).path("error").asText()).isNotBlank();
            assertThat(connection.closedByServer(SOON)).isTrue();
            assertThat(log.withStackTraces()).isEmpty();
            assertThat(log.atWarnOrAbove()).isEmpty();
        }
    }

    @Test
    void clientClosingInTheMiddleOfItsBody_logsNoStackTrace() throws Exception {
        try (LogCapture log = new LogCapture()) {
            try (RawHttp connection = connect()) {
                connection.send("GET /patroni HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
                Thread.sleep(200);
            }
            Thread.sleep(300);

            assertThat(log.withStackTraces()).isEmpty();
            assertThat(log.atWarnOrAbove()).isEmpty();
        }
    }

    @Test
    void oversizedHeaders_are431() throws Exception {
        String big = "a".repeat(ServerLimits.MAX_HEADER_BYTES + 1);
        try (RawHttp connection = connect()) {
            RawHttp.Reply reply = connection
                    .send("GET /patroni HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n")
                    .read();

            assertThat(reply.status()).isEqualTo(431);
            assertThat(reply.body()).contains("headers");
        }
    }

    @Test
    void overlongRequestLine_is400() throws Exception {
        String path = "/" + "a".repeat(ServerLimits.MAX_INITIAL_LINE_BYTES);
        try (RawHttp connection = connect()) {
            RawHttp.Reply reply = connection
                    .send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .read();

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.body()).contains("request line");
        }
    }

    @Test
    void writeBodyAnnouncedLargerThanOneMiB_is413AtOnce() throws Exception {
        try (RawHttp connection = connect()) {
            RawHttp.Reply reply = connection
                    .send("POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestServer.ADMIN
                            + "\r\nContent-Length: " + ((1 << 20) + 1) + "\r\n\r\n{")
                    .read();

            assertThat(reply.status()).isEqualTo(413);
            assertThat(TestServer.json(reply.body()).path("error").asText()).contains("larger than 1048576 bytes");
            assertThat(connection.closedByServer(SOON)).isTrue();
        }
    }

    @Test
    void chunkedWriteBodyGrowingPastOneMiB_is413() throws Exception {
        String chunk = Integer.toHexString(64 * 1024) + "\r\n" + " ".repeat(64 * 1024) + "\r\n";
        try (RawHttp connection = connect()) {
            connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestServer.ADMIN
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            try {
                for (int i = 0; i < 17; i++) {
                    connection.send(chunk);
                }
            } catch (java.io.IOException e) {
                // the server may close before the last chunks are written; its answer is still there to read
            }

            assertThat(connection.read().status()).isEqualTo(413);
        }
    }

    @Test
    void readBodyLargerThan8KiB_is413() throws Exception {
        try (RawHttp connection = connect()) {
            RawHttp.Reply reply = connection
                    .send("GET /patroni HTTP/1.1\r\nHost: x\r\nContent-Length: 8193\r\n\r\n")
                    .read();

            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.body()).contains("larger than 8192 bytes");
        }
    }

    @Test
    void unauthenticatedWrite_isRefusedFromItsHeaders_beforeItsBodyArrives() throws Exception {
        try (RawHttp connection = connect()) {
            RawHttp.Reply reply = connection
                    .send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n{")
                    .read();

            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.header("WWW-Authenticate")).startsWith("Basic");
            assertThat(connection.closedByServer(SOON)).isTrue();
        }
    }

    // --- handlers ---

    @Test
    void handlerFailure_isLoggedOnceAtWarnWithItsStackTrace() throws Exception {
        try (LogCapture log = new LogCapture();
                RawHttp connection = connect()) {
            assertThat(connection
                            .send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .status())
                    .isEqualTo(500);

            assertThat(log.atWarnOrAbove()).hasSize(1);
            assertThat(log.withStackTraces()).hasSize(1);
            assertThat(log.withStackTraces().get(0).getThrowableProxy().getMessage())
                    .isEqualTo("kaboom");
        }
    }
}
