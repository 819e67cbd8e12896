package org.bellwether.agent.rest;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bellwether.config.RestApiConfig;
import org.bellwether.core.status.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Patroni-compatible REST API on the JDK's HTTP server. Every request reads the latest published
 * {@link NodeStatus} and the monotonic time once, so a stuck HA loop shows up as expired leadership rather than as a
 * stale 200.
 *
 * <p>Request handling order: unsafe methods pass the {@link AccessPolicy} first (nothing else is revealed to a
 * refused caller), then routing (404/405), then the handler. HEAD and OPTIONS run the GET handler and send its status
 * only. Handlers refuse with {@link HttpError}; any other exception is logged and answered with a one-line 500.
 */
public final class RestApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestApiServer.class);
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> STATUS_ONLY = Set.of("HEAD", "OPTIONS");
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final int THREADS = 4;
    private static final int QUEUE = 64;
    private static final int BACKLOG = 64;

    private final Supplier<NodeStatus> status;
    private final Supplier<Duration> clock;
    private final AccessPolicy access;
    private final Router router = new Router();
    private final ThreadPoolExecutor executor;
    private final HttpServer server;
    /** {@code verify_client: optional}: unsafe methods need a client certificate, the rest does not. */
    private final boolean optionalClientCertificates;

    /** Serves on {@code restapi.listen}. */
    public RestApiServer(Supplier<NodeStatus> status, Supplier<Duration> clock, RestApiConfig config)
            throws IOException {
        this(
                status,
                clock,
                config,
                new InetSocketAddress(config.listen().host(), config.listen().port()),
                r -> {});
    }

    /**
     * Serves on {@code bind} (port 0 picks a free port, see {@link #port()}), with {@code moreRoutes} added to the
     * read-only ones: this is where the write endpoints plug in, one {@code router.post(...)} line each.
     */
    public RestApiServer(
            Supplier<NodeStatus> status,
            Supplier<Duration> clock,
            RestApiConfig config,
            InetSocketAddress bind,
            Consumer<Router> moreRoutes)
            throws IOException {
        // Read first: files that cannot be used stop the agent before it listens.
        Optional<HttpsConfigurator> tls =
                config.certfile().isPresent() ? Optional.of(RestTls.serverSide(config)) : Optional.empty();
        this.optionalClientCertificates = RestTls.ClientCertificates.of(config) == RestTls.ClientCertificates.OPTIONAL;
        this.status = status;
        this.clock = clock;
        this.access = new AccessPolicy(config.authentication(), config.allowlist());
        router.get("/patroni", r -> Response.json(200, StatusJson.build(r.status(), r.now())));
        HealthResource.register(router);
        ClusterResource.register(router);
        DcsKeysResource.register(router);
        MetricsResource.register(router);
        moreRoutes.accept(router);
        // Bounded: a flood of probes queues a little, then runs on the accepting thread, which slows accepting
        // instead of growing threads or memory without limit.
        this.executor = new ThreadPoolExecutor(
                THREADS,
                THREADS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                daemonThreads(),
                new ThreadPoolExecutor.CallerRunsPolicy());
        if (tls.isPresent()) {
            HttpsServer https = HttpsServer.create(bind, BACKLOG);
            https.setHttpsConfigurator(tls.get());
            this.server = https;
        } else {
            this.server = HttpServer.create(bind, BACKLOG);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("REST API listening on {}", server.getAddress());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        try (exchange) {
            Response response;
            try {
                response = dispatch(exchange, method);
            } catch (HttpError e) {
                response = Response.error(e.status(), e.getMessage());
            } catch (Exception e) {
                LOG.warn("{} {} failed", method, exchange.getRequestURI().getRawPath(), e);
                response = Response.error(500, "internal error: " + e.getClass().getSimpleName());
            }
            send(exchange, response, STATUS_ONLY.contains(method));
        } catch (IOException e) {
            LOG.debug("{} {}: could not send the response: {}", method, exchange.getRequestURI(), e.toString());
        }
    }

    private Response dispatch(HttpExchange exchange, String method) throws Exception {
        boolean safe = method.equals("GET") || STATUS_ONLY.contains(method);
        if (!safe && !UNSAFE.contains(method)) {
            return Response.error(501, "method " + method + " is not supported");
        }
        Map<String, List<String>> headers = lowerCase(exchange.getRequestHeaders());
        if (!safe) {
            List<String> auth = headers.getOrDefault("authorization", List.of());
            Optional<Response> refusal = access.check(
                    exchange.getRemoteAddress().getAddress(), auth.stream().findFirst());
            if (refusal.isPresent()) {
                return refusal.get();
            }
            if (optionalClientCertificates && !RestTls.hasClientCertificate(exchange)) {
                return Response.error(403, "a client certificate is required for " + method);
            }
        }
        URI uri = exchange.getRequestURI();
        String path = normalise(uri.getPath());
        Optional<Handler> handler = router.find(safe ? "GET" : method, path);
        if (handler.isEmpty()) {
            SortedSet<String> allowed = router.allowed(path);
            if (allowed.isEmpty()) {
                return Response.error(404, "no such endpoint: " + path);
            }
            return Response.error(405, "method " + method + " is not allowed on " + path)
                    .withHeader("Allow", String.join(", ", allowed));
        }
        Map<String, List<String>> query = parseQuery(uri.getRawQuery());
        byte[] body = readBody(exchange);
        NodeStatus snapshot = status.get();
        if (snapshot == null) {
            throw new HttpError(503, "this node has not published its status yet");
        }
        Request request = new Request(
                method, path, query, headers, body, exchange.getRemoteAddress().getAddress(), snapshot, clock.get());
        return handler.get().handle(request);
    }

    private static void send(HttpExchange exchange, Response response, boolean statusOnly) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        response.headers().forEach(headers::set);
        if (statusOnly || response.body().length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        headers.set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(response.body());
        }
    }

    /** {@code OPTIONS *} asks about the server as a whole; HAProxy-style checks treat it like {@code /}. */
    private static String normalise(String path) {
        if (path == null || path.isEmpty() || path.equals("*")) {
            return "/";
        }
        if (!path.startsWith("/")) {
            throw HttpError.badRequest("request target must be a path: " + path);
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("malformed query string near '" + text + "'");
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new HttpError(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        return body;
    }

    private static Map<String, List<String>> lowerCase(Headers headers) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>())
                .addAll(v));
        return lower;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "rest-api-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
