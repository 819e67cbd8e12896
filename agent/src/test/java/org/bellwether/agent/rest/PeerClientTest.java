package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.PeerStatus;
import org.bellwether.core.status.NodeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerClientTest {
    private static final String PRIMARY = """
            {"state": "running", "role": "primary", "server_version": 160004,
             "xlog": {"location": 83886240}, "timeline": 2,
             "patroni": {"version": "4.0.3", "scope": "demo", "name": "node1"}}""";
    private static final String REPLICA = """
            {"state": "running", "role": "replica",
             "xlog": {"received_location": 83886000, "replayed_location": 83885000,
                      "replayed_timestamp": null, "paused": false},
             "timeline": 2, "replication_state": "streaming",
             "tags": {"nofailover": true, "zone": "b"}, "watchdog_failed": true,
             "patroni": {"version": "3.3.0", "scope": "demo", "name": "node2"}}""";

    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService serverThreads;
    private HttpServer peers;
    private PeerClient client;

    @BeforeEach
    void start() throws IOException {
        serverThreads = Executors.newCachedThreadPool();
        peers = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        peers.setExecutor(serverThreads);
        answer("/primary", 200, PRIMARY);
        answer("/replica", 200, REPLICA);
        answer("/garbled", 200, "{\"role\": \"replica\", \"xlog\": {");
        answer("/stopped", 200, "{\"state\": \"stopped\", \"role\": \"replica\"}");
        answer("/failing", 503, PRIMARY);
        peers.createContext("/hang", exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        peers.start();
        // The production cap: these tests check what an answer means, and a loaded machine must not turn a prompt
        // answer into "unreachable". The hanging peer still shows the cap is kept (it hangs for 30 s).
        client = new PeerClient(PeerClient.DEFAULT_TIMEOUT);
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        peers.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void primaryPeer_isReachableNotInRecoveryAtItsLocation() {
        PeerStatus peer = fetchOne("node1", url("/primary"));

        assertThat(peer.reachable()).isTrue();
        assertThat(peer.role()).isEqualTo(MemberRole.PRIMARY);
        assertThat(peer.inRecovery()).isFalse();
        assertThat(peer.walPosition()).hasValue(new Lsn(83886240));
        assertThat(peer.timeline()).hasValue(new Timeline(2));
        assertThat(peer.watchdogFailed()).isFalse();
    }

    @Test
    void replicaPeer_isInRecoveryAtMaxOfReceivedAndReplayed_withTagsAndWatchdog() {
        PeerStatus peer = fetchOne("node2", url("/replica"));

        assertThat(peer.reachable()).isTrue();
        assertThat(peer.role()).isEqualTo(MemberRole.REPLICA);
        assertThat(peer.inRecovery()).isTrue();
        assertThat(peer.walPosition()).hasValue(new Lsn(83886000));
        assertThat(peer.tags().noFailover()).isTrue();
        assertThat(peer.tags().all()).containsEntry("zone", "b");
        assertThat(peer.watchdogFailed()).isTrue();
    }

    @ParameterizedTest(name = "{0} -> unreachable")
    @ValueSource(strings = {"/garbled", "/stopped", "/failing", "/missing"})
    void peerAnsweringWithoutAUsableStatus_isUnreachable(String path) {
        assertThat(fetchOne("node3", url(path))).isEqualTo(PeerStatus.unreachable("node3"));
    }

    @Test
    void closedPort_isUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }

        assertThat(fetchOne("node4", "http://127.0.0.1:" + port + "/patroni").reachable())
                .isFalse();
    }

    @Test
    void malformedApiUrlAndMissingApiUrl_areUnreachable() {
        Map<String, Optional<String>> urls = new LinkedHashMap<>();
        urls.put("bad", Optional.of("not a url at all"));
        urls.put("none", Optional.empty());

        SortedMap<String, PeerStatus> answers = client.fetch(urls);

        assertThat(answers.values()).extracting(PeerStatus::reachable).containsExactly(false, false);
    }

    @Test
    void hangingPeer_isUnreachableWithinTheCapWhileOthersAnswer() {
        Map<String, Optional<String>> urls = new LinkedHashMap<>();
        urls.put("node9", Optional.of(url("/hang")));
        urls.put("node1", Optional.of(url("/primary")));
        urls.put("node2", Optional.of(url("/replica")));
        long started = System.nanoTime();

        SortedMap<String, PeerStatus> answers = client.fetch(urls);

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isLessThan(PeerClient.DEFAULT_TIMEOUT.plusSeconds(3));
        assertThat(answers.keySet()).containsExactly("node1", "node2", "node9");
        assertThat(answers.get("node9").reachable()).isFalse();
        assertThat(answers.get("node1").reachable()).isTrue();
        assertThat(answers.get("node2").reachable()).isTrue();
    }

    @Test
    void membersAreAskedAtTheirApiUrl() {
        Member node1 = Member.of(
                "node1", url("/primary"), "postgres://127.0.0.1:5432/postgres", "running", MemberRole.PRIMARY);
        Member node2 = Member.of(
                "node2", url("/replica"), "postgres://127.0.0.1:5433/postgres", "running", MemberRole.REPLICA);

        SortedMap<String, PeerStatus> answers = client.fetchMembers(List.of(node2, node1));

        assertThat(answers.get("node1").inRecovery()).isFalse();
        assertThat(answers.get("node2").inRecovery()).isTrue();
    }

    @Test
    void legacyMasterRoleAndWalKey_areUnderstood() {
        PeerStatus peer = PeerClient.parse(
                "old",
                200,
                "{\"role\": \"master\", \"wal\": {\"location\": 1000}, \"timeline\": 1}"
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(peer.role()).isEqualTo(MemberRole.PRIMARY);
        assertThat(peer.inRecovery()).isFalse();
        assertThat(peer.walPosition()).hasValue(new Lsn(1000));
    }

    @Test
    void ourOwnStatusBody_roundTripsThroughThePeerClient() throws IOException {
        NodeStatus replica = Snapshots.streamingReplica();
        try (RestApiServer server = new RestApiServer(
                () -> replica,
                () -> Snapshots.NOW,
                RestApiServerTestConfig.plain(),
                new InetSocketAddress("127.0.0.1", 0),
                r -> {})) {
            PeerStatus peer = fetchOne("node2", "http://127.0.0.1:" + server.port() + "/patroni");

            assertThat(peer.reachable()).isTrue();
            assertThat(peer.inRecovery()).isTrue();
            assertThat(peer.walPosition()).hasValue(new Lsn(Snapshots.OPTIME));
            assertThat(peer.timeline()).hasValue(new Timeline(3));
        }
    }

    private PeerStatus fetchOne(String name, String url) {
        return client.fetch(Map.of(name, Optional.of(url))).get(name);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + peers.getAddress().getPort() + path;
    }

    private void answer(String path, int status, String body) {
        peers.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }
}
