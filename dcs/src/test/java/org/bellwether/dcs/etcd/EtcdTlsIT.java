package org.bellwether.dcs.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.config.EtcdConfig;
import org.bellwether.core.HostPort;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.dcs.DcsException;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.TestCertificates;
import org.bellwether.testkit.TestDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The etcd adapter against a real etcd that serves clients over TLS only and requires client certificates
 * ({@code etcd3: protocol: https, cacert, cert, key}), as production etcd clusters are run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdTlsIT {
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(3);

    private Path dir;
    private TestCertificates authority;
    private TestCertificates.Issued client;
    private EtcdCluster etcd;
    private final List<EtcdDcs> adapters = new ArrayList<>();

    @BeforeAll
    void start() {
        dir = TestDirs.create("etcd-tls-");
        authority = TestCertificates.authority(dir, "ca");
        TestCertificates.Issued server = authority.issue("server", "127.0.0.1");
        client = authority.issue("client", "bellwether");
        etcd = EtcdCluster.startSecured(1, new EtcdCluster.Tls(authority.ca(), server.cert(), server.key()));
    }

    @AfterEach
    void closeAdapters() {
        adapters.forEach(EtcdDcs::close);
        adapters.clear();
    }

    @AfterAll
    void stop() {
        if (etcd != null) {
            etcd.close();
        }
        TestDirs.delete(dir);
    }

    @Test
    void withTheCaAndAClientCertificate_theLockAndKeysWork() throws Exception {
        EtcdDcs n1 = adapter("n1", Optional.of(authority.ca()), Optional.of(client));
        assertThat(n1.acquireLeaderLock()).isTrue();
        n1.publishMember(Member.of(
                "n1",
                "http://127.0.0.1:8008/patroni",
                "postgres://127.0.0.1:5432/postgres",
                "running",
                MemberRole.PRIMARY));
        assertThat(n1.renewLeaderLock()).isTrue();
        assertThat(n1.read().leaderName()).contains("n1");
        assertThat(n1.read().member("n1")).isPresent();
    }

    @Test
    void withoutAClientCertificate_callsFailWithinTheBudget() {
        EtcdDcs anonymous = adapter("n2", Optional.of(authority.ca()), Optional.empty());
        long start = System.nanoTime();
        assertThatThrownBy(anonymous::read)
                .isInstanceOf(DcsException.class)
                .hasMessageStartingWith("read cluster at ")
                .hasMessageContaining("bad_certificate");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(RETRY.plusMillis(1500));
    }

    @Test
    void trustingAnotherCa_callsFailWithinTheBudget() {
        TestCertificates stranger = TestCertificates.authority(dir, "other-ca");
        EtcdDcs misled = adapter("n3", Optional.of(stranger.ca()), Optional.of(client));
        long start = System.nanoTime();
        assertThatThrownBy(misled::read).isInstanceOf(DcsException.class).hasMessageStartingWith("read cluster at ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(RETRY.plusMillis(1500));
    }

    private EtcdDcs adapter(String name, Optional<Path> ca, Optional<TestCertificates.Issued> certificate) {
        EtcdConfig config = new EtcdConfig(
                etcd.hostPorts().stream().map(HostPort::parse).toList(),
                "https",
                Optional.empty(),
                ca,
                certificate.map(TestCertificates.Issued::cert),
                certificate.map(TestCertificates.Issued::key));
        EtcdDcs dcs = new EtcdDcs("/service/tls/", name, config, TTL, RETRY);
        adapters.add(dcs);
        return dcs;
    }
}
