package org.bellwether.agent.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** What a handler answers: status, body and extra headers. The server drops the body for HEAD and OPTIONS. */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public Response {
        headers = Map.copyOf(headers);
    }

    public static Response json(int status, Object value) {
        try {
            return new Response(status, JSON, Json.MAPPER.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON response: " + e.getOriginalMessage(), e);
        }
    }

    public static Response text(int status, String text) {
        return new Response(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A status line with no body, as Patroni answers liveness and readiness probes. */
    public static Response statusOnly(int status) {
        return new Response(status, TEXT, new byte[0], Map.of());
    }

    public static Response error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    public Response withContentType(String type) {
        return new Response(status, type, body, headers);
    }

    public Response withHeader(String name, String value) {
        Map<String, String> more = new TreeMap<>(headers);
        more.put(name, value);
        return new Response(status, contentType, body, more);
    }
}
