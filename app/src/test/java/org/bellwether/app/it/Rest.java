package org.bellwether.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Calls to a node's REST API with a body and, for unsafe methods, the basic-auth credentials that
 * {@link #withAuthentication} puts in the node's configuration.
 */
final class Rest {
    static final String USER = "ops";
    static final String PASSWORD = "ops-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Rest() {}

    /** Status and body of one answer; status 0 when the node did not answer. */
    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** An authenticated call that may take long (a switchover waits for its outcome). */
    static Reply call(TestNode node, String method, String path, String body) {
        return call(node, method, path, body, true, Duration.ofSeconds(90));
    }

    static Reply anonymous(TestNode node, String method, String path, String body) {
        return call(node, method, path, body, false, Duration.ofSeconds(10));
    }

    static Reply call(TestNode node, String method, String path, String body, boolean authenticated, Duration wait) {
        return send(HTTP, URI.create("http://127.0.0.1:" + node.restPort + path), method, body, authenticated, wait);
    }

    /** One request with {@code client} (an HTTPS one, say); status 0 when the connection or handshake failed. */
    static Reply send(HttpClient client, URI uri, String method, String body, boolean authenticated, Duration wait) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(wait)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authenticated) {
            String token = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Reply(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, "interrupted");
        }
    }

    /** A test cluster's node configuration with REST authentication for unsafe methods. */
    static String withAuthentication(String yaml) {
        return yaml.replaceFirst(
                "restapi:\n",
                "restapi:\n  authentication:\n    username: " + USER + "\n    password: " + PASSWORD + "\n");
    }

    /** The same configuration with {@code tags} replaced by the given YAML lines (two-space indented). */
    static String withTags(String yaml, String tags) {
        return yaml.replace("tags:\n  nofailover: false\n", "tags:\n" + tags);
    }

    /** Sends {@code request} as it is on a fresh connection and returns the first bytes of the answer. */
    static String raw(int port, String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] buffer = new byte[4096];
            int n = socket.getInputStream().read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        }
    }
}
