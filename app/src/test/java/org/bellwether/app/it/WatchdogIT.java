package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.bellwether.testkit.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code watchdog:} on a real cluster, through Patroni's {@code testing} driver (a file receiving what a Linux device
 * would: {@code Ctimeout=<s>}, {@code 1} per keepalive, {@code V} on disarming). n1 has a usable watchdog; n2 requires
 * one at a path that does not exist, so it must say so and never lead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchdogIT {
    private EtcdCluster etcd;
    private TestCluster cluster;
    private TestNode n1;
    private TestNode n2;
    private Path device;

    @BeforeAll
    void start() throws IOException {
        etcd = EtcdCluster.startCluster(1);
        cluster = new TestCluster("it-watchdog", etcd.hostPorts(), 2, TestCluster.Timing.FAST);
        n1 = cluster.node("n1");
        n2 = cluster.node("n2");
        device = n1.dir.resolve("watchdog");
        Files.createFile(device);
        // Set after creating: the umask would take write access away from the agent's user.
        Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rw-rw-rw-"));
        n1.writeConfig(cluster.configFor(n1) + watchdog(device));
        n2.writeConfig(cluster.configFor(n2) + watchdog(n2.dir.resolve("no-such-watchdog")));
        // n1 first: a node that may not lead must not be the one to bootstrap the cluster either.
        n1.startAgent();
        assertThat(cluster.awaitLeader(Duration.ofSeconds(90))).isSameAs(n1);
        n2.startAgent();
        cluster.awaitStreaming(n1, 1, Duration.ofSeconds(90));
    }

    private static String watchdog(Path path) {
        return """
                watchdog:
                  mode: required
                  driver: testing
                  device: %s
                  safety_margin: 5
                """.formatted(path);
    }

    @AfterAll
    void stop() {
        Resources.closeAll(cluster, etcd);
    }

    @Test
    @Order(1)
    void leader_armsTheWatchdogWithTtlMinusSafetyMarginAndFeedsItEveryRenewal() throws Exception {
        String before = Files.readString(device);
        assertThat(before)
                .as("what n1's agent wrote to the watchdog")
                .startsWith("Ctimeout=5\n")
                .doesNotContain("V");
        long keepalivesBefore = keepalives(before);
        Thread.sleep(Duration.ofSeconds(3L * TestCluster.Timing.FAST.loopWait()).toMillis());
        assertThat(keepalives(Files.readString(device)))
                .as("keepalives over three loop_waits")
                .isGreaterThanOrEqualTo(keepalivesBefore + 2);
    }

    @Test
    @Order(2)
    void nodeWithoutItsRequiredWatchdog_reportsItToPeersAndNeverTakesTheLock() {
        assertThat(n2.getJson("/patroni").orElseThrow().path("watchdog_failed").asBoolean())
                .as("watchdog_failed in n2's /patroni")
                .isTrue();
        assertThat(n1.getJson("/patroni").orElseThrow().has("watchdog_failed")).isFalse();

        // A graceful stop disarms n1's watchdog (magic close) and frees the lock; n2 must still not take it.
        n1.signalAgent("TERM");
        cluster.await(Duration.ofSeconds(60), "n1's agent to exit", () -> !n1.agentAlive());
        assertThat(readQuietly(device))
                .as("n1's watchdog after its agent stopped")
                .endsWith("V");
        long until = System.nanoTime()
                + Duration.ofSeconds(2L * TestCluster.Timing.FAST.ttl()).toNanos();
        while (System.nanoTime() < until) {
            assertThat(n2.status("GET", "/primary")).as("n2 answering /primary").isEqualTo(503);
            sleep(500);
        }
        assertThat(n2.agentLog()).contains("watchdog_failed: watchdog.mode is required");
    }

    private static long keepalives(String written) {
        return written.chars().filter(c -> c == '1').count();
    }

    private static String readQuietly(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new AssertionError("reading " + path + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
