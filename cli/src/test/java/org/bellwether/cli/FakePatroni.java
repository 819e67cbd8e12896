package org.bellwether.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A member's REST API that answers what the test says and records what it was asked. */
final class FakePatroni implements AutoCloseable {
    record Call(String method, String path, String body, String authorization) {}

    record Answer(int status, String body) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final HttpServer server;

    FakePatroni() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            calls.add(new Call(method, path, body, exchange.getRequestHeaders().getFirst("Authorization")));
            Answer a = answers.getOrDefault(method + " " + path, new Answer(404, "no such endpoint: " + path));
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
    }

    FakePatroni answer(String request, int status, String body) {
        answers.put(request, new Answer(status, body));
        return this;
    }

    /** A loopback port nothing listens on: a member whose API does not answer. */
    static int closedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/patroni";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
