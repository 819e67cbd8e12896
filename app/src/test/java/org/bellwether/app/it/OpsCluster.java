package org.bellwether.app.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bellwether.testkit.Haproxy;

/**
 * A test cluster set up for operating it: REST authentication on every node, extra tags on some, started and waited
 * for until one leader has every other node streaming.
 */
final class OpsCluster {
    static final Duration UP = Duration.ofSeconds(150);

    private OpsCluster() {}

    /** Starts {@code size} nodes; {@code tags} maps a node name to the YAML lines of its tags. */
    static TestCluster start(String scope, List<String> etcdHosts, int size, Map<String, String> tags) {
        return start(scope, etcdHosts, size, tags, TestNode.Implementation.BELLWETHER);
    }

    /** The same with another agent: Patroni, for side-by-side benchmarks. */
    static TestCluster start(
            String scope,
            List<String> etcdHosts,
            int size,
            Map<String, String> tags,
            TestNode.Implementation implementation) {
        return start(scope, etcdHosts, size, tags, implementation, UnaryOperator.identity());
    }

    /**
     * Starts {@code size} Bellwether nodes whose configuration, with authentication, {@code edit} changes further
     * (settings of {@code bootstrap.dcs}, say).
     */
    static TestCluster start(String scope, List<String> etcdHosts, int size, UnaryOperator<String> edit) {
        return start(scope, etcdHosts, size, Map.of(), TestNode.Implementation.BELLWETHER, edit);
    }

    private static TestCluster start(
            String scope,
            List<String> etcdHosts,
            int size,
            Map<String, String> tags,
            TestNode.Implementation implementation,
            UnaryOperator<String> edit) {
        TestCluster cluster = new TestCluster(
                scope, etcdHosts, size, new TestCluster.Options(TestCluster.Timing.FAST, false, implementation));
        for (TestNode node : cluster.nodes) {
            String yaml = Rest.withAuthentication(cluster.configFor(node));
            if (tags.containsKey(node.name)) {
                yaml = Rest.withTags(yaml, tags.get(node.name));
            }
            node.writeConfig(edit.apply(yaml));
        }
        try {
            cluster.startAll();
            TestNode leader = cluster.awaitLeader(UP);
            cluster.awaitStreaming(leader, size - 1, UP);
            // A replica streams before it accepts connections (hot standby opens once consistent): wait for both.
            for (TestNode node : cluster.nodes) {
                cluster.await(
                        UP,
                        node.name + " accepting connections",
                        () -> TestCluster.tryQueryOne(node, "SELECT 1").isPresent());
            }
        } catch (RuntimeException | AssertionError e) {
            // The caller never gets the cluster to close: stop what was started here.
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** HAProxy in front of every node, routing to the one whose {@code /primary} answers 200. */
    static Haproxy haproxy(TestCluster cluster) {
        return Haproxy.start(
                cluster.nodes.stream()
                        .map(n -> new Haproxy.Backend(n.name, n.pgPort, n.restPort))
                        .toList(),
                "/primary");
    }

    /** The leader's name as {@code /cluster} on {@code node} reports it, or empty. */
    static java.util.Optional<String> leaderSeenBy(TestNode node) {
        return node.getJson("/cluster").flatMap(json -> {
            for (var m : json.path("members")) {
                if (m.path("role").asText().equals("leader")) {
                    return java.util.Optional.of(m.path("name").asText());
                }
            }
            return java.util.Optional.empty();
        });
    }
}
