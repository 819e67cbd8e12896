package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.bellwether.config.PemFiles;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The REST API over TLS on two real nodes, with a CA and a certificate for 127.0.0.1 made by openssl for the test:
 * n1 with {@code verify_client: optional} (a client certificate for unsafe methods), n2 with {@code required} (for
 * everything). The agents call each other over TLS with the same certificate, which a switchover needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestTlsIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private EtcdCluster etcd;
    private TestCluster cluster;
    private Path ca;
    private Path cert;
    private Path key;
    private HttpClient withCertificate;
    private HttpClient withoutCertificate;

    @BeforeAll
    void start() throws Exception {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-rest-tls", etcd.hostPorts(), 2, TestCluster.Timing.FAST);
        makeCertificates(cluster.dir.resolve("tls"));
        for (TestNode node : cluster.nodes) {
            String verify = node.name.equals("n1") ? "optional" : "required";
            String tls = "restapi:\n  certfile: %s\n  keyfile: %s\n  cafile: %s\n  verify_client: %s\n"
                    .formatted(cert, key, ca, verify);
            node.writeConfig(Rest.withAuthentication(cluster.configFor(node)).replaceFirst("restapi:\n", tls));
        }
        withCertificate = client(true);
        withoutCertificate = client(false);
        cluster.startAll();
        TestNode leader = awaitLeader();
        cluster.awaitStreaming(leader, 1, OpsCluster.UP);
        // pg_basebackup's WAL stream also shows as streaming: wait until the replica itself runs.
        for (TestNode node : cluster.nodes) {
            cluster.await(
                    OpsCluster.UP,
                    node.name + " accepting connections",
                    () -> TestCluster.tryQueryOne(node, "SELECT 1").isPresent());
        }
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

    /** A CA, and one certificate it signed for 127.0.0.1 that serves and identifies clients alike. */
    private void makeCertificates(Path dir) {
        TestCertificates authority = TestCertificates.authority(dir, "ca");
        TestCertificates.Issued node = authority.issue("node", "127.0.0.1");
        ca = authority.ca();
        cert = node.cert();
        key = node.key();
    }

    private HttpClient client(boolean presentCertificate) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                presentCertificate ? PemFiles.keyManagers(cert, Optional.of(key), Optional.empty()) : null,
                PemFiles.trustManagers(ca),
                null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /** Status and body over HTTPS; status 0 when the connection or the handshake failed. */
    private static Rest.Reply https(
            HttpClient client, TestNode node, String method, String path, String body, boolean authenticated) {
        URI uri = URI.create("https://127.0.0.1:" + node.restPort + path);
        return Rest.send(client, uri, method, body, authenticated, Duration.ofSeconds(90));
    }

    private TestNode awaitLeader() {
        java.util.concurrent.atomic.AtomicReference<TestNode> seen =
                new java.util.concurrent.atomic.AtomicReference<>();
        cluster.await(OpsCluster.UP, "one node answering /primary with 200 over TLS", () -> {
            List<TestNode> leaders = cluster.nodes.stream()
                    .filter(n -> https(withCertificate, n, "GET", "/primary", null, false)
                                    .status()
                            == 200)
                    .toList();
            seen.set(leaders.size() == 1 ? leaders.get(0) : null);
            return seen.get() != null;
        });
        return seen.get();
    }

    @Test
    @Order(1)
    void plainHttp_isNotServed_andHttpsIsServedWithTheCertificateTheCaSigned() {
        for (TestNode node : cluster.nodes) {
            assertThat(node.status("GET", "/patroni"))
                    .as(node.name + " over plain HTTP")
                    .isZero();
            Rest.Reply status = https(withCertificate, node, "GET", "/patroni", null, false);
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            assertThat(status.json().at("/patroni/name").asText()).isEqualTo(node.name);
            cluster.await(SETTLE, node.name + " reporting running over TLS", () -> {
                Rest.Reply reply = https(withCertificate, node, "GET", "/patroni", null, false);
                return reply.status() == 200
                        && reply.json().path("state").asText().equals("running");
            });
        }
    }

    @Test
    @Order(2)
    void requiredClientCertificates_refuseEveryCallWithoutOne() {
        TestNode n2 = cluster.node("n2");
        assertThat(https(withoutCertificate, n2, "GET", "/patroni", null, false).status())
                .isZero();
        assertThat(https(withoutCertificate, cluster.node("n1"), "GET", "/patroni", null, false)
                        .status())
                .as("optional: reading needs no certificate")
                .isEqualTo(200);
    }

    @Test
    @Order(3)
    void optionalClientCertificates_guardUnsafeMethods() {
        TestNode n1 = cluster.node("n1");
        Rest.Reply refused = https(withoutCertificate, n1, "POST", "/reload", null, true);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        Rest.Reply served = https(withCertificate, n1, "POST", "/reload", null, true);
        assertThat(served.status()).as(served.body()).isEqualTo(202);
    }

    @Test
    @Order(4)
    void switchover_worksWithTheAgentsCallingEachOtherOverTls() {
        TestNode leader = awaitLeader();
        TestNode candidate =
                cluster.nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();

        Rest.Reply reply = https(
                withCertificate,
                leader,
                "POST",
                "/switchover",
                "{\"leader\": \"" + leader.name + "\", \"candidate\": \"" + candidate.name + "\"}",
                true);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        cluster.await(
                SETTLE,
                candidate.name + " leading",
                () -> https(withCertificate, candidate, "GET", "/primary", null, false)
                                        .status()
                                == 200
                        && https(withCertificate, leader, "GET", "/primary", null, false)
                                        .status()
                                == 503);
        cluster.awaitStreaming(candidate, 1, SETTLE);
    }
}
