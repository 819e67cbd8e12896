package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.agent.rest.Snapshots.NOW;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connection cap and the idle timeout, on servers with small values. */
class RestApiServerLimitsTest {
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private RestApiServer server(ServerLimits limits) throws Exception {
        RestApiServer server = new RestApiServer(
                Snapshots::primaryWithLock,
                () -> NOW,
                RestApiServerTestConfig.plain(),
                new InetSocketAddress("127.0.0.1", 0),
                r -> {},
                limits);
        opened.add(server);
        return server;
    }

    private RawHttp connect(RestApiServer server) {
        RawHttp connection = new RawHttp(server.port());
        opened.add(connection);
        return connection;
    }

    private RestApiServer cappedAt(int connections) throws Exception {
        ServerLimits d = ServerLimits.DEFAULTS;
        return server(new ServerLimits(
                d.requestTimeout(),
                d.idleTimeout(),
                connections,
                d.readThreads(),
                d.readQueue(),
                d.writeThreads(),
                d.writeQueue()));
    }

    @Test
    void atTheCap_aNewConnectionTakesThePlaceOfTheLongestIdle() throws Exception {
        RestApiServer server = cappedAt(3);
        List<RawHttp> idle = List.of(connect(server), connect(server), connect(server));
        // One request on each, in turn: each then waits for its next request from a later moment, so the first is
        // the one idle longest. (Connecting alone does not order them: each is set up on its own event loop.)
        for (RawHttp connection : idle) {
            assertThat(connection
                            .send("GET /primary HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .status())
                    .isEqualTo(200);
            Thread.sleep(20);
        }

        assertThat(answersWithin(server, Duration.ofSeconds(5))).isTrue();
        assertThat(idle.get(0).closedByServer(Duration.ofSeconds(2))).isTrue();
        assertThat(idle.get(2)
                        .send("GET /primary HTTP/1.1\r\nHost: x\r\n\r\n")
                        .read()
                        .status())
                .as("the most recently used connection stays open")
                .isEqualTo(200);
    }

    @Test
    void atTheCapWithEveryConnectionMidRequest_aNewOneIsClosedAtOnce() throws Exception {
        RestApiServer server = cappedAt(3);
        List<RawHttp> busy = List.of(connect(server), connect(server), connect(server));
        for (RawHttp connection : busy) {
            connection.send("GET /primary HTTP/1.1\r\nHost: x\r\n");
        }
        Thread.sleep(300);

        RawHttp beyond = connect(server);
        assertThat(beyond.closedByServer(Duration.ofSeconds(2))).isTrue();

        busy.get(0).close();
        assertThat(answersWithin(server, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void idleKeepAliveConnection_isClosedAfterTheIdleTimeout() throws Exception {
        Duration idle = Duration.ofMillis(400);
        RestApiServer server = server(ServerLimits.DEFAULTS.withTimeouts(Duration.ofSeconds(5), idle));
        RawHttp connection = connect(server);
        long asked = System.nanoTime();
        RawHttp.Reply reply =
                connection.send("GET /primary HTTP/1.1\r\nHost: x\r\n\r\n").read();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(connection.closedByServer(Duration.ofSeconds(3))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(idle);
    }

    /** A new connection gets an answer, once the server has noticed that a slot is free. */
    private boolean answersWithin(RestApiServer server, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try (RawHttp probe = new RawHttp(server.port())) {
                if (probe.send("GET /primary HTTP/1.1\r\nHost: x\r\n\r\n")
                                .read()
                                .status()
                        == 200) {
                    return true;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }
}
