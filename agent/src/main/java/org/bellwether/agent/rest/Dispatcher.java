package org.bellwether.agent.rest;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.bellwether.core.status.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a request as it came off the wire to the handler's answer, in three steps. {@link #admit} runs on the event loop
 * as soon as the headers are read, before the body: unsafe methods pass the {@link AccessPolicy} first (nothing else
 * is revealed to a refused caller, and nobody unauthorised can make the server read a body). {@link #route} runs on
 * the event loop too once the whole request is read: routing (404/405) and the request target. {@link #call} runs the
 * handler on a handler thread with the latest published {@link NodeStatus} and the monotonic time, read once, so a
 * stuck HA loop shows up as expired leadership rather than as a stale 200. HEAD and OPTIONS run the GET handler.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> STATUS_ONLY = Set.of("HEAD", "OPTIONS");

    private final Router router;
    private final AccessPolicy access;
    private final Supplier<NodeStatus> status;
    private final Supplier<Duration> clock;
    /** {@code verify_client: optional}: unsafe methods need a client certificate, the rest does not. */
    private final boolean optionalClientCertificates;

    Dispatcher(
            Router router,
            AccessPolicy access,
            Supplier<NodeStatus> status,
            Supplier<Duration> clock,
            boolean optionalClientCertificates) {
        this.router = router;
        this.access = access;
        this.status = status;
        this.clock = clock;
        this.optionalClientCertificates = optionalClientCertificates;
    }

    /** A whole request as read: method upper-cased, the raw request target, header names lower-cased. */
    record Incoming(String method, String target, Map<String, List<String>> headers, byte[] body, InetAddress client) {}

    /** What {@link #route} decided: an answer to send at once, or a handler to call. */
    sealed interface Routed permits Answer, Call {}

    record Answer(Response response) implements Routed {}

    /** @param readOnly GET, HEAD or OPTIONS, which answer from the snapshot and never wait on the DCS */
    record Call(Handler handler, String path, Map<String, List<String>> query, boolean readOnly) implements Routed {}

    /** HEAD and OPTIONS get the GET handler's status and headers, without its body. */
    static boolean statusOnly(String method) {
        return STATUS_ONLY.contains(method);
    }

    /** POST, PUT, PATCH and DELETE: the methods that change something, and need the caller to be allowed. */
    static boolean unsafe(String method) {
        return UNSAFE.contains(method);
    }

    /**
     * The access check, from the headers alone: empty when the caller may go on (always, for methods that change
     * nothing), otherwise the refusal to send.
     *
     * @param target the request target as sent: the members count for every unsafe endpoint but one
     * @param clientCertificate whether the caller showed a certificate the CA vouches for (asked only when needed)
     */
    Optional<Response> admit(
            String method,
            String target,
            Optional<String> authorization,
            InetAddress client,
            BooleanSupplier clientCertificate) {
        if (!unsafe(method)) {
            return Optional.empty();
        }
        Optional<Response> refusal = access.check(client, authorization, !isFailsafeReport(method, target));
        if (refusal.isEmpty() && optionalClientCertificates && !clientCertificate.getAsBoolean()) {
            return Optional.of(Response.error(403, "a client certificate is required for " + method));
        }
        return refusal;
    }

    /**
     * {@code POST /failsafe}, which Patroni checks against the allowlist without the members: a leader cut off from the
     * DCS loses its member key while it goes on sending these.
     */
    private static boolean isFailsafeReport(String method, String target) {
        try {
            return method.equals("POST")
                    && normalise(parseTarget(target).getPath()).equals("/failsafe");
        } catch (HttpError e) {
            return false; // routing refuses it anyway; the stricter check costs nothing
        }
    }

    /** The checks that need no handler thread, after {@link #admit}; never throws. */
    Routed route(Incoming in) {
        try {
            return check(in);
        } catch (HttpError e) {
            return new Answer(Response.error(e.status(), e.getMessage()));
        }
    }

    private Routed check(Incoming in) {
        String method = in.method();
        boolean safe = method.equals("GET") || statusOnly(method);
        if (!safe && !unsafe(method)) {
            return new Answer(Response.error(501, "method " + method + " is not supported"));
        }
        URI target = parseTarget(in.target());
        String path = normalise(target.getPath());
        Optional<Handler> handler = router.find(safe ? "GET" : method, path);
        if (handler.isEmpty()) {
            SortedSet<String> allowed = router.allowed(path);
            if (allowed.isEmpty()) {
                return new Answer(Response.error(404, "no such endpoint: " + path));
            }
            return new Answer(Response.error(405, "method " + method + " is not allowed on " + path)
                    .withHeader("Allow", String.join(", ", allowed)));
        }
        return new Call(handler.get(), path, parseQuery(target.getRawQuery()), safe);
    }

    /**
     * Runs the handler; never throws an exception. A refusal ({@link HttpError}) is answered as it says; anything else
     * is a bug of ours, logged once with its stack trace and answered with a one-line 500.
     */
    Response call(Call call, Incoming in) {
        try {
            NodeStatus snapshot = status.get();
            if (snapshot == null) {
                throw new HttpError(503, "this node has not published its status yet");
            }
            Request request = new Request(
                    in.method(),
                    call.path(),
                    call.query(),
                    in.headers(),
                    in.body(),
                    in.client(),
                    snapshot,
                    clock.get());
            return call.handler().handle(request);
        } catch (HttpError e) {
            return Response.error(e.status(), e.getMessage());
        } catch (Exception e) {
            LOG.warn("{} {} failed", in.method(), call.path(), e);
            return Response.error(500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private static URI parseTarget(String target) {
        try {
            return new URI(target);
        } catch (URISyntaxException e) {
            throw HttpError.badRequest("malformed request target: " + e.getReason());
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

    private static Map<String, List<String>> parseQuery(String raw) {
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
}
