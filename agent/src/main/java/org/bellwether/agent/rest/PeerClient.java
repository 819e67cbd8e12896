package org.bellwether.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.PeerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks peers for {@code GET <api_url>} (their {@code /patroni} status) in parallel during a leader race, each within
 * a cap (Patroni: 2 s). A peer that does not answer in time, answers with an error status, or answers something that
 * is not a Patroni status body counts as unreachable: the race must not wait on it, nor trust it.
 */
public final class PeerClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerClient.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;

    public PeerClient() {
        this(DEFAULT_TIMEOUT);
    }

    public PeerClient(Duration timeout) {
        this(timeout, Optional.empty());
    }

    /** A client for peers configured as {@code restapi} is: over TLS with its certificates when it has them. */
    public static PeerClient forConfig(Duration timeout, org.bellwether.config.RestApiConfig config) {
        return new PeerClient(timeout, RestTls.clientSide(config));
    }

    private PeerClient(Duration timeout, Optional<javax.net.ssl.SSLContext> tls) {
        this.timeout = timeout;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "peer-client-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpClient.Builder builder = HttpClient.newBuilder();
        tls.ifPresent(builder::sslContext);
        this.http = builder.connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** Fetches every member's status; members without an {@code api_url} are unreachable by definition. */
    public SortedMap<String, PeerStatus> fetchMembers(Collection<Member> members) {
        Map<String, Optional<String>> urls = new LinkedHashMap<>();
        for (Member m : members) {
            urls.put(m.name(), m.apiUrl());
        }
        return fetch(urls);
    }

    /**
     * Fetches {@code name -> api_url} in parallel; returns within about the cap however peers behave.
     *
     * @return one entry per name, sorted by name
     */
    public SortedMap<String, PeerStatus> fetch(Map<String, Optional<String>> apiUrls) {
        Map<String, CompletableFuture<PeerStatus>> pending = new LinkedHashMap<>();
        apiUrls.forEach((name, url) -> pending.put(
                name,
                url.map(u -> ask(name, u))
                        .orElseGet(() -> CompletableFuture.completedFuture(PeerStatus.unreachable(name)))));
        SortedMap<String, PeerStatus> answers = new TreeMap<>();
        pending.forEach((name, future) -> answers.put(name, future.join()));
        return answers;
    }

    /**
     * A primary's {@code POST /failsafe} to each member ({@code name -> api_url}) in parallel, as Patroni sends it:
     * within the cap, one retry. Sent with {@code authorization} when the REST API asks for it.
     *
     * @return the members that did not answer 200
     */
    public List<String> postFailsafe(Map<String, String> apiUrls, String body, Optional<String> authorization) {
        Map<String, CompletableFuture<Boolean>> pending = new TreeMap<>();
        apiUrls.forEach((name, url) -> pending.put(
                name,
                postOnce(name, url, body, authorization)
                        .thenCompose(ok -> ok
                                ? CompletableFuture.completedFuture(true)
                                : postOnce(name, url, body, authorization))));
        List<String> missing = new ArrayList<>();
        pending.forEach((name, answer) -> {
            if (!answer.join()) {
                missing.add(name);
            }
        });
        return missing;
    }

    private CompletableFuture<Boolean> postOnce(
            String name, String apiUrl, String body, Optional<String> authorization) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(apiUrl).resolve("/failsafe"))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        } catch (IllegalArgumentException e) {
            LOG.debug("peer {}: bad api_url '{}': {}", name, apiUrl, e.getMessage());
            return CompletableFuture.completedFuture(false);
        }
        authorization.ifPresent(a -> request.header("Authorization", a));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        LOG.info("peer {} refused POST /failsafe: {}", name, response.statusCode());
                    }
                    return response.statusCode() == 200;
                })
                .exceptionally(e -> {
                    LOG.info("peer {} did not answer POST /failsafe: {}", name, e.toString());
                    return false;
                });
    }

    /**
     * Whether a REST API answers {@code GET /liveness} at {@code apiUrl}, with any status: an agent is running
     * there. Within the timeout.
     */
    public boolean answersLiveness(String apiUrl) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl).resolve("/liveness"))
                    .timeout(timeout)
                    .GET()
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(response -> true)
                    .exceptionally(e -> false)
                    .join();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private CompletableFuture<PeerStatus> ask(String name, String url) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Accept", "application/json")
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            LOG.debug("peer {}: bad api_url '{}': {}", name, url, e.getMessage());
            return CompletableFuture.completedFuture(PeerStatus.unreachable(name));
        }
        // The request timeout covers only the wait for response headers; orTimeout also bounds a body that trickles.
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(response -> parse(name, response.statusCode(), response.body()))
                .exceptionally(e -> {
                    LOG.debug("peer {} at {} unreachable: {}", name, url, e.toString());
                    return PeerStatus.unreachable(name);
                });
    }

    /**
     * Reads a {@code /patroni} body the way Patroni's {@code _MemberStatus.from_api_response} does: without
     * {@code xlog} (or {@code wal}) the peer counts as unhealthy; it is in recovery unless it reports
     * {@code xlog.location} or a primary role.
     */
    static PeerStatus parse(String name, int statusCode, byte[] body) {
        if (statusCode != 200) {
            LOG.debug("peer {} answered {}", name, statusCode);
            return PeerStatus.unreachable(name);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            LOG.debug("peer {} answered garbled JSON: {}", name, e.getMessage());
            return PeerStatus.unreachable(name);
        }
        if (json == null || !json.isObject()) {
            return PeerStatus.unreachable(name);
        }
        JsonNode wal = json.path("wal").isObject() && !json.path("wal").isEmpty() ? json.get("wal") : json.get("xlog");
        if (wal == null || !wal.isObject()) {
            return PeerStatus.unreachable(name);
        }
        MemberRole role = MemberRole.fromWire(json.path("role").textValue());
        long location = wal.path("location").asLong(0);
        boolean inRecovery = location == 0 && role != MemberRole.PRIMARY;
        long position = inRecovery
                ? Math.max(
                        wal.path("received_location").asLong(0),
                        wal.path("replayed_location").asLong(0))
                : location;
        int timeline = json.path("timeline").asInt(0);
        return new PeerStatus(
                name,
                true,
                role,
                inRecovery,
                position > 0 ? Optional.of(new Lsn(position)) : Optional.empty(),
                timeline >= 1 ? Optional.of(new Timeline(timeline)) : Optional.empty(),
                tags(json.get("tags")),
                json.path("watchdog_failed").asBoolean(false));
    }

    private static Tags tags(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Tags.NONE;
        }
        SortedMap<String, Object> raw = new TreeMap<>();
        node.properties().forEach(e -> raw.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class)));
        return Tags.of(raw);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
