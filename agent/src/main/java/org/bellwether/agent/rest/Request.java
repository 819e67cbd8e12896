package org.bellwether.agent.rest;

import com.fasterxml.jackson.core.JsonParser;
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
     * The body as a JSON object, which is what every Patroni write endpoint takes. Exactly one JSON value: anything but
     * white space after it is refused, so a body cut or glued together by mistake is not half applied.
     *
     * @throws HttpError 400 naming what is wrong with the body
     */
    public ObjectNode jsonObjectBody() {
        JsonNode node;
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            node = Json.MAPPER.readTree(parser);
            long end = parser.currentLocation().getByteOffset();
            if (node != null && moreAfterValue(parser)) {
                throw HttpError.badRequest("request body has more after its JSON value, which ends at byte " + end
                        + "; expected exactly one JSON object");
            }
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.badRequest("request body cannot be read: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw HttpError.badRequest("request body is empty; expected a JSON object");
        }
        if (!(node instanceof ObjectNode object)) {
            throw HttpError.badRequest("request body must be a JSON object, got " + node.getNodeType());
        }
        return object;
    }

    private static boolean moreAfterValue(JsonParser parser) throws IOException {
        try {
            return parser.nextToken() != null;
        } catch (JsonProcessingException e) {
            return true; // not even a token: still more than one value
        }
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
