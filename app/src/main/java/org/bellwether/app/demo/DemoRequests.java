package org.bellwether.app.demo;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The demo's switchover and pause/resume keys, made the way {@code bellwether ctl} makes them: through a node's REST
 * API ({@code POST /switchover}, {@code PATCH /config}). They run in the background so the table keeps refreshing
 * while a switchover is under way; the answer is printed when it comes.
 */
final class DemoRequests {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** The agent answers a switchover once a new leader is in place, which takes a few loop cycles. */
    private static final Duration SWITCHOVER_TIMEOUT = Duration.ofSeconds(60);

    private final PrintStream out;

    DemoRequests(PrintStream out) {
        this.out = out;
    }

    /** Asks {@code leader} to hand over to the healthiest replica (no candidate named, as ctl without one). */
    void switchover(DemoCluster.Node leader) {
        send(
                leader,
                "POST",
                "/switchover",
                "{\"leader\": \"" + leader.name() + "\"}",
                SWITCHOVER_TIMEOUT,
                "Switchover");
    }

    /** Maintenance mode on ({@code true}) or off: the {@code pause} key of the cluster-wide configuration. */
    void pause(DemoCluster.Node node, boolean paused) {
        send(
                node,
                "PATCH",
                "/config",
                "{\"pause\": " + paused + "}",
                Duration.ofSeconds(10),
                paused ? "Pause" : "Resume");
    }

    private void send(DemoCluster.Node node, String method, String path, String body, Duration timeout, String what) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.config.restPort() + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            if (failure != null) {
                out.println(what + " failed: " + node.name() + " did not answer (" + failure.getMessage() + ").");
            } else if (response.statusCode() / 100 != 2) {
                out.println(what + " refused by " + node.name() + ": "
                        + response.body().trim());
            } else if (what.equals("Switchover")) {
                out.println("Switchover answered by " + node.name() + ": "
                        + response.body().trim());
            }
        });
    }
}
