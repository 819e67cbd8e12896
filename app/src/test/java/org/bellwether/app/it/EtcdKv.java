package org.bellwether.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Writes and reads etcd keys as an operator with {@code etcdctl put} would, through etcd's v3 JSON gateway: a value put
 * this way carries no lease, whatever the key had before.
 */
final class EtcdKv {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final String endpoint;

    EtcdKv(String endpoint) {
        this.endpoint = endpoint;
    }

    void put(String key, String value) {
        post("/v3/kv/put", Map.of("key", base64(key), "value", base64(value)));
    }

    Optional<String> get(String key) {
        JsonNode kvs = post("/v3/kv/range", Map.of("key", base64(key))).path("kvs");
        if (kvs.isEmpty()) {
            return Optional.empty();
        }
        String value = kvs.get(0).path("value").asText("");
        return Optional.of(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
    }

    private JsonNode post(String path, Map<String, String> body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path))
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(path + ": interrupted", e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
