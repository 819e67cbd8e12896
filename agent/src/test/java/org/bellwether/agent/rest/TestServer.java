package org.bellwether.agent.rest;

import static org.bellwether.agent.rest.Snapshots.NOW;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bellwether.config.RestApiConfig;
import org.bellwether.core.status.NodeStatus;

/** A {@link RestApiServer} on 127.0.0.1 and a free port, serving whichever snapshot and clock a test sets. */
final class TestServer implements AutoCloseable {
    static final String ADMIN = basic("admin", "s3cret");

    private final AtomicReference<Supplier<NodeStatus>> snapshot = new AtomicReference<>();
    private final AtomicReference<Duration> clock = new AtomicReference<>();
    private final RestApiServer server;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TestServer(Consumer<Router> moreRoutes) throws IOException {
        RestApiConfig config = RestApiServerTestConfig.withAuthentication("admin", "s3cret");
        server = new RestApiServer(
                () -> snapshot.get().get(), clock::get, config, new InetSocketAddress("127.0.0.1", 0), moreRoutes);
        reset();
    }

    void reset() {
        serve(Snapshots::primaryWithLock);
        clock.set(NOW);
    }

    void serve(Supplier<NodeStatus> next) {
        snapshot.set(next);
    }

    /** One of the fixture's nodes by a short name: primary, replica, lagging, noloadbalance, stopped. */
    void serve(String node) {
        serve(
                switch (node) {
                    case "primary" -> Snapshots::primaryWithLock;
                    case "replica" -> Snapshots::streamingReplica;
                    case "lagging" -> Snapshots::laggingReplica;
                    case "noloadbalance" -> Snapshots::noLoadBalanceReplica;
                    case "stopped" -> Snapshots::stopped;
                    default -> throw new IllegalArgumentException(node);
                });
    }

    void clock(Duration now) {
        clock.set(now);
    }

    int port() {
        return server.port();
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        return send(method, path, null, Optional.empty());
    }

    HttpResponse<String> send(String method, String path, String body, Optional<String> auth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        auth.ifPresent(a -> request.header("Authorization", a));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return json(response.body());
    }

    static JsonNode json(String body) throws IOException {
        return Json.MAPPER.readTree(body);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
