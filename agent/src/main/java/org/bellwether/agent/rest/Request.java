package org.bellwether.agent.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.status.NodeStatus;

/**
 * One request as handlers see it: already routed and authorised, with the snapshot and the monotonic time taken once
 * when it arrived, so every answer in a response describes the same moment.
 *
 * @param path the path without query string or trailing slash ({@code /} stays {@code /})
 * @param query decoded query parameters in the order they appeared
 * @param headers request headers, names lower-cased
 */
public record Request(
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        byte[] body,
        InetAddress client,
        NodeStatus status,
        Duration now) {

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The body as a JSON object, which is what every Patroni write endpoint takes.
     *
     * @throws HttpError 400 naming what is wrong with the body
     */
    public ObjectNode jsonObjectBody() {
        if (body.length == 0) {
            throw HttpError.badRequest("request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.badRequest("request body cannot be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw HttpError.badRequest("request body must be a JSON object, got " + node.getNodeType());
        }
        return object;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
