package org.bellwether.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The demo's live view: one row per member, as {@code GET /cluster} tells it, plus nodes that do not answer. */
final class DemoTable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoTable() {}

    /** One row of the table. */
    record Row(String member, String host, String role, String state, String timeline, String lag) {}

    /** The table's rows, and whether the cluster is in maintenance mode ({@code pause} in Patroni's words). */
    record View(List<Row> rows, boolean paused) {}

    static View view(DemoCluster cluster) {
        Optional<JsonNode> view = Optional.empty();
        for (DemoCluster.Node node : cluster.nodes) {
            view = get(node, "/cluster");
            if (view.isPresent()) {
                break;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (DemoCluster.Node node : cluster.nodes) {
            JsonNode member =
                    view.map(v -> find(v.path("members"), node.name())).orElse(null);
            boolean answers = get(node, "/liveness").isPresent() || node.agent != null && node.agent.isAlive();
            String host = "127.0.0.1:" + node.config.postgresPort();
            if (member == null || !answers) {
                rows.add(new Row(node.name(), host, "-", answers ? "starting" : "down", "", ""));
                continue;
            }
            String role = member.path("role").asText("");
            rows.add(new Row(
                    node.name(),
                    host,
                    role.isEmpty()
                            ? "-"
                            : Character.toUpperCase(role.charAt(0))
                                    + role.substring(1).replace('_', ' '),
                    member.path("state").asText(""),
                    member.path("timeline").isMissingNode()
                            ? ""
                            : member.path("timeline").asText(),
                    member.path("lag").isMissingNode() ? "" : member.path("lag").asText()));
        }
        return new View(rows, view.map(v -> v.path("pause").asBoolean(false)).orElse(false));
    }

    static String render(View view) {
        List<Row> rows = view.rows();
        String format = "| %-6s | %-16s | %-12s | %-20s | %-3s | %-10s |%n";
        StringBuilder out = new StringBuilder();
        String line = "+" + "-".repeat(8) + "+" + "-".repeat(18) + "+" + "-".repeat(14) + "+" + "-".repeat(22) + "+"
                + "-".repeat(5) + "+" + "-".repeat(12) + "+\n";
        out.append(line).append(String.format(format, "Member", "Host", "Role", "State", "TL", "Lag in MB"));
        out.append(line);
        for (Row r : rows) {
            out.append(String.format(format, r.member(), r.host(), r.role(), r.state(), r.timeline(), lagMb(r.lag())));
        }
        out.append(line);
        if (view.paused()) {
            out.append("Maintenance mode: on (no automatic failover until resumed)\n");
        }
        return out.toString();
    }

    /**
     * One leader, and every node that runs (a node the user killed does not count) streams from it: on its timeline,
     * so a replica still streaming from a killed primary's last WAL does not count as healed.
     */
    static boolean isHealthy(List<Row> rows) {
        List<Row> leaders = rows.stream().filter(r -> r.role().equals("Leader")).toList();
        if (leaders.size() != 1) {
            return false;
        }
        String timeline = leaders.get(0).timeline();
        return rows.stream()
                .filter(r -> !r.role().equals("Leader") && !r.state().equals("down"))
                .allMatch(r -> r.state().equals("streaming") && r.timeline().equals(timeline));
    }

    static Optional<String> leader(List<Row> rows) {
        return rows.stream()
                .filter(r -> r.role().equals("Leader"))
                .map(Row::member)
                .findFirst();
    }

    private static String lagMb(String lag) {
        if (lag.isEmpty()) {
            return "";
        }
        try {
            return String.valueOf(Long.parseLong(lag) / (1024 * 1024));
        } catch (NumberFormatException e) {
            return lag;
        }
    }

    private static JsonNode find(JsonNode members, String name) {
        for (JsonNode m : members) {
            if (m.path("name").asText().equals(name)) {
                return m;
            }
        }
        return null;
    }

    private static Optional<JsonNode> get(DemoCluster.Node node, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + node.config.restPort() + path))
                    .timeout(Duration.ofSeconds(1))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return Optional.of(body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
