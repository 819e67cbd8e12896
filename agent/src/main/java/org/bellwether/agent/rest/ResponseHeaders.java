package org.bellwether.agent.rest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bellwether.agent.AgentVersion;
import org.bellwether.config.RestApiConfig;

/**
 * The headers every answer of the REST API carries, whichever handler made it: {@code Server} as
 * {@code restapi.server_tokens} says, and {@code restapi.http_extra_headers}, with {@code https_extra_headers} over
 * them when the API serves TLS (Patroni merges the two the same way: an HTTPS header replaces an HTTP one of the same
 * name).
 */
final class ResponseHeaders {
    private final String server;
    private final Map<String, String> extra;

    private ResponseHeaders(String server, Map<String, String> extra) {
        this.server = server;
        this.extra = extra;
    }

    static ResponseHeaders of(RestApiConfig config) {
        Map<String, String> extra = new LinkedHashMap<>(config.httpExtraHeaders());
        if (config.certfile().isPresent()) {
            extra.putAll(config.httpsExtraHeaders());
        }
        // In name order, the same on every run (Map.copyOf's order is not).
        return new ResponseHeaders(server(config.serverTokens()), Collections.unmodifiableMap(extra));
    }

    /**
     * Patroni's three levels, with Bellwether's names: {@code productonly} names the product, {@code minimal} adds
     * its version, and {@code original} (the default) adds the runtime too, as Python's {@code BaseHTTP/0.6
     * Python/3.12.3} does.
     */
    static String server(Optional<String> serverTokens) {
        String product = AgentVersion.PRODUCT;
        return switch (serverTokens.orElse("original")) {
            case "productonly" -> product;
            case "minimal" -> product + "/" + AgentVersion.BELLWETHER;
            default -> product + "/" + AgentVersion.BELLWETHER + " Java/" + System.getProperty("java.version");
        };
    }

    /** Before the handler's headers, where Python's {@code send_response} puts it. */
    void addServer(HttpHeaders headers) {
        headers.set(HttpHeaderNames.SERVER, server);
    }

    /**
     * After the handler's headers, added rather than set, as Python's {@code send_header} does: a name the handler
     * sends too goes out twice, in Patroni as here.
     */
    void addExtra(HttpHeaders headers) {
        extra.forEach(headers::add);
    }
}
