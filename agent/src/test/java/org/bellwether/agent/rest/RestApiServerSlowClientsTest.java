package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.agent.rest.Snapshots.NOW;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients cannot keep the health checks from being answered: hundreds of connections that send part of
 * a request and wait, or nothing at all, and writes whose handlers hang, while {@code GET /primary} is asked again and
 * again, as HAProxy does, each time on a new connection.
 */
class RestApiServerSlowClientsTest {
    /** Short, so that the test sees the slow connections dropped; production waits 5 s. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger slowWritesRunning = new AtomicInteger();
    private final List<RawHttp> connections = new ArrayList<>();
    private RestApiServer server;

    @BeforeEach
    void start() throws Exception {
        server = new RestApiServer(
                Snapshots::primaryWithLock,
                () -> NOW,
                RestApiServerTestConfig.plain(),
                new InetSocketAddress("127.0.0.1", 0),
                router -> router.post("/slow", this::hang),
                ServerLimits.DEFAULTS.withTimeouts(REQUEST_TIMEOUT, Duration.ofSeconds(60)));
    }

    @AfterEach
    void stop() {
        release.countDown();
        connections.forEach(RawHttp::close);
        server.close();
    }

    /** A write that waits until the test ends, as a restart waits for PostgreSQL. */
    private Response hang(Request request) throws InterruptedException {
        slowWritesRunning.incrementAndGet();
        release.await(30, TimeUnit.SECONDS);
        return Response.text(200, "done");
    }

    @Test
    void healthChecksAreAnsweredWithinASecond_andSlowConnectionsAreDroppedAfterTheRequestTimeout() throws Exception {
        // Not timed: the JVM's first request loads the classes of Netty and Jackson, a second or more on a busy
        // machine.
        assertThat(checkPrimary()).isEqualTo(200);
        List<RawHttp> partialHeaders = open(100, "GET /patroni HTTP/1.1\r\nHost: x\r\n");
        List<RawHttp> partialBodies = open(100, "GET /patroni HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
        List<RawHttp> idle = open(200, "");
        open(20, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        long slowOpenedAt = System.nanoTime();

        List<Duration> answers = new ArrayList<>();
        while (answers.size() < 60) {
            long asked = System.nanoTime();
            assertThat(checkPrimary()).isEqualTo(200);
            answers.add(Duration.ofNanos(System.nanoTime() - asked));
            Thread.sleep(40);
        }

        assertThat(answers).allSatisfy(took -> assertThat(took).isLessThan(ANSWER_WITHIN));
        assertThat(slowWritesRunning.get()).as("write handlers all hanging").isEqualTo(4);
        assertThat(Duration.ofNanos(System.nanoTime() - slowOpenedAt)).isGreaterThan(REQUEST_TIMEOUT);
        for (RawHttp slow : concat(partialHeaders, partialBodies)) {
            assertThat(slow.closedByServer(Duration.ofSeconds(2)))
                    .as("a slow connection is closed after the request timeout")
                    .isTrue();
        }
        for (RawHttp waiting : idle.subList(0, 20)) {
            assertThat(waiting.closedByServer(Duration.ofMillis(5)))
                    .as("an idle connection waits for its request up to the idle timeout")
                    .isFalse();
        }
    }

    @Test
    void fullWritePool_isAnswered503AtOnce_whileReadsGoOn() throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS;
        int capacity = limits.writeThreads() + limits.writeQueue();
        List<RawHttp> writes = open(capacity + 5, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
        long answered = 0;
        while (System.nanoTime() < deadline && answered < 5) {
            Thread.sleep(20);
            answered = writes.stream()
                    .filter(RestApiServerSlowClientsTest::hasAnswer)
                    .count();
        }

        assertThat(answered).as("writes beyond the pool's threads and queue").isEqualTo(5);
        RawHttp refused = writes.stream()
                .filter(RestApiServerSlowClientsTest::hasAnswer)
                .findFirst()
                .orElseThrow();
        RawHttp.Reply reply = refused.read();
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body()).contains("too many write requests");
        assertThat(checkPrimary()).isEqualTo(200);
    }

    /** As HAProxy checks: a new connection each time. */
    private int checkPrimary() throws Exception {
        try (RawHttp check = new RawHttp(server.port())) {
            return check.send("GET /primary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .read()
                    .status();
        }
    }

    private List<RawHttp> open(int count, String firstBytes) throws Exception {
        List<RawHttp> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawHttp connection = new RawHttp(server.port());
            connections.add(connection);
            opened.add(connection);
            if (!firstBytes.isEmpty()) {
                connection.send(firstBytes);
            }
        }
        return opened;
    }

    private static boolean hasAnswer(RawHttp connection) {
        try {
            return connection.hasAnswer();
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static List<RawHttp> concat(List<RawHttp> a, List<RawHttp> b) {
        List<RawHttp> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
