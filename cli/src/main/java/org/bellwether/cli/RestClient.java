package org.bellwether.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.bellwether.cli.format.PyJson;
import org.bellwether.config.CtlConfig;
import org.bellwether.core.Member;

/**
 * Calls a member's REST API the way patronictl does: the scheme and address of the member's {@code api_url} with the
 * endpoint as the path, a JSON body, HTTP basic authentication from {@code ctl.authentication} (else
 * {@code restapi.authentication}), and the TLS settings of {@link RestTls}. A member that cannot be reached is a
 * {@link Unreachable}, which callers distinguish from an answer (patronictl falls back to the DCS only then).
 */
final class RestClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Switchover, restart and reinitialize answer when done; Patroni's own waits run up to a minute or more. */
    private static final Duration ACTION_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    /** The member answered; {@code body} is the text it sent. */
    record Response(int status, String body) {
        boolean ok() {
            return status < 400;
        }
    }

    /** The member did not answer: not reachable, refused, timed out, or TLS failed. */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final Optional<String> authorization;
    private final String userAgent;

    private RestClient(HttpClient http, Optional<String> authorization, String userAgent) {
        this.http = http;
        this.authorization = authorization;
        this.userAgent = userAgent;
    }

    static RestClient create(CtlConfig config, String userAgent) throws CtlException {
        Optional<SSLContext> tls = RestTls.context(config); // first: it may set a property the client reads once
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        tls.ifPresent(builder::sslContext);
        Optional<String> authorization = config.authentication()
                .map(c -> "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (c.username() + ":" + c.password().orElse(""))
                                                .getBytes(StandardCharsets.UTF_8)));
        return new RestClient(builder.build(), authorization, userAgent);
    }

    /** {@code scheme://host:port/endpoint} of the member's {@code api_url}. */
    static String url(Member member, String endpoint) throws CtlException {
        String api = member.apiUrl()
                .orElseThrow(() -> new CtlException("member " + member.name() + " publishes no REST API address"));
        URI uri;
        try {
            uri = URI.create(api);
        } catch (IllegalArgumentException e) {
            throw new CtlException("member " + member.name() + " publishes an unreadable REST API address: " + api);
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            throw new CtlException("member " + member.name() + " publishes an unreadable REST API address: " + api);
        }
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/" + endpoint;
    }

    Response get(Member member, String endpoint) throws CtlException, Unreachable {
        return send(member, "GET", endpoint, Optional.empty());
    }

    /** @param body serialised as JSON (Python's {@code json.dumps}), or no body */
    Response send(Member member, String method, String endpoint, Optional<Object> body)
            throws CtlException, Unreachable {
        String url = url(member, endpoint);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(method.equals("GET") ? READ_TIMEOUT : ACTION_TIMEOUT)
                .header("User-Agent", userAgent)
                .method(
                        method,
                        body.isPresent()
                                ? HttpRequest.BodyPublishers.ofString(PyJson.dumps(body.get()))
                                : HttpRequest.BodyPublishers.noBody());
        body.ifPresent(b -> request.header("Content-Type", "application/json"));
        authorization.ifPresent(a -> request.header("Authorization", a));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable("connecting to " + url + " timed out", e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable(method + " " + url + " got no answer in time", e);
        } catch (ConnectException e) {
            throw new Unreachable("cannot connect to " + url + " (connection refused)", e);
        } catch (SSLHandshakeException e) {
            throw new Unreachable("TLS handshake with " + url + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new Unreachable(method + " " + url + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(method + " " + url + " was interrupted", e);
        }
    }

    /**
     * {@code GET endpoint} of every member at once, waiting at most {@code within} in all: for reports that must never
     * hold a command up. Members without a usable address, and those that fail or do not answer in time, are left
     * out; the answers are by member name.
     */
    Map<String, Response> getAll(List<Member> members, String endpoint, Duration within) {
        Map<String, CompletableFuture<HttpResponse<String>>> pending = new LinkedHashMap<>();
        for (Member member : members) {
            String url;
            try {
                url = url(member, endpoint);
            } catch (CtlException e) {
                continue;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(within)
                    .header("User-Agent", userAgent)
                    .GET();
            authorization.ifPresent(a -> request.header("Authorization", a));
            pending.put(member.name(), http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, Response> out = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> e : pending.entrySet()) {
            try {
                HttpResponse<String> r =
                        e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                out.put(e.getKey(), new Response(r.statusCode(), r.body()));
            } catch (TimeoutException | ExecutionException | CancellationException ex) {
                e.getValue().cancel(true);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                pending.values().forEach(f -> f.cancel(true));
                break;
            }
        }
        return out;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
