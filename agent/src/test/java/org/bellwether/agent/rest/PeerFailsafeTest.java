package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A primary's POST /failsafe round: who acknowledged, with one retry, and what each member received. */
class PeerFailsafeTest {
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final PeerClient client = new PeerClient(PeerClient.DEFAULT_TIMEOUT);

    @AfterEach
    void stop() {
        client.close();
        servers.forEach(s -> s.stop(0));
    }

    /** A member whose /failsafe answers the given statuses in turn (the last one from then on). */
    private String member(int... statuses) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/failsafe", exchange -> {
            received.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = statuses[Math.min(calls.getAndIncrement(), statuses.length - 1)];
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/patroni";
    }

    private static String closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/patroni";
        }
    }

    @Test
    void everyMemberAcknowledging_leavesNobodyMissing_andEachGotTheBodyWithCredentials() throws Exception {
        Map<String, String> members = new TreeMap<>(Map.of("n2", member(200), "n3", member(200)));

        List<String> missing = client.postFailsafe(members, "{\"name\":\"n1\"}", Optional.of("Basic abc"));

        assertThat(missing).isEmpty();
        assertThat(received).containsExactly("POST Basic abc {\"name\":\"n1\"}", "POST Basic abc {\"name\":\"n1\"}");
    }

    @Test
    void memberRefusingOrUnreachable_isMissing_afterOneRetry() throws Exception {
        Map<String, String> members = new TreeMap<>(Map.of("n2", member(200), "n3", member(500), "n4", closedPort()));

        assertThat(client.postFailsafe(members, "{}", Optional.empty())).containsExactly("n3", "n4");
        assertThat(received.stream().filter(r -> r.startsWith("POST")).count())
                .as("n2 once, n3 twice")
                .isEqualTo(3);
    }

    @Test
    void memberFailingOnceThenAcknowledging_counts() throws Exception {
        Map<String, String> members = new TreeMap<>(Map.of("n2", member(503, 200)));
        assertThat(client.postFailsafe(members, "{}", Optional.empty())).isEmpty();
    }
}
