package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.bellwether.testkit.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code restapi.allowlist} on a real agent: a caller outside the list is refused unsafe methods with 403 even with
 * the right credentials, while health checks and status stay open to it; a caller inside the list is served. The
 * tests only use 127.0.0.1, so "outside" is an allowlist naming another network.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestAllowlistIT {
    private EtcdCluster etcd;
    private TestCluster cluster;
    private TestNode node;

    @BeforeAll
    void start() {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-allowlist", etcd.hostPorts(), 1, TestCluster.Timing.FAST);
        node = cluster.node("n1");
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private void runWithAllowlist(String allowlist) {
        if (node.agentAlive()) {
            node.signalAgent("TERM");
            assertThat(node.agent().waitFor(Duration.ofSeconds(60))).isTrue();
        }
        String yaml = Rest.withAuthentication(cluster.configFor(node));
        node.writeConfig(yaml.replaceFirst("restapi:\n", "restapi:\n  allowlist: " + allowlist + "\n"));
        node.startAgent();
        cluster.awaitLeader(OpsCluster.UP);
    }

    @Test
    void callerOutsideTheAllowlist_isRefusedUnsafeMethods_callerInsideIsServed() {
        runWithAllowlist("['10.0.0.0/8', 192.168.1.1]");
        Rest.Reply refused = Rest.call(node, "POST", "/reload", null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(node.status("GET", "/primary")).isEqualTo(200);
        assertThat(node.getJson("/patroni")).isPresent();

        runWithAllowlist("['127.0.0.1']");
        Rest.Reply served = Rest.call(node, "POST", "/reload", null);
        assertThat(served.status()).as(served.body()).isEqualTo(202);
        assertThat(Rest.anonymous(node, "POST", "/reload", null).status())
                .as("inside the allowlist, credentials are still required")
                .isEqualTo(401);
    }
}
