package org.bellwether.dcs.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.bellwether.config.Credentials;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.dcs.DcsException;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.FreePorts;
import org.junit.jupiter.api.Test;

/** The adapter when etcd members die, hang or refuse it: it moves on within its time budget or says why not. */
class EtcdDcsFaultsIT extends EtcdItSupport {
    @Test
    void killingTheConnectedEtcdMember_whichIsTheEtcdLeader_keepsTheAdapterWorking() throws Exception {
        int leader = etcd.leaderIndex().orElseThrow();
        List<String> hosts = new ArrayList<>(etcd.hostPorts());
        hosts.add(0, hosts.remove(leader)); // the etcd leader first, so the adapter talks to it
        EtcdDcs n1 = adapter("n1", TTL, RETRY, hosts);
        Semaphore wakeups = new Semaphore(0);
        n1.onChange(wakeups::release);
        assertThat(n1.acquireLeaderLock()).isTrue();
        n1.publishMember(member("n1", MemberRole.PRIMARY));
        assertThat(n1.currentEndpoint()).isEqualTo(etcd.endpoints().get(leader));

        try {
            etcd.kill(leader);

            assertThat(timed(() -> n1.renewLeaderLock())).isTrue();
            timed(() -> n1.writeConfig(new TreeMap<>(Map.of("ttl", 30)), OptionalLong.empty()));
            timed(() -> {
                n1.publishMember(Member.of(
                        "n1",
                        "http://127.0.0.1:8008/patroni",
                        "postgres://127.0.0.1:5432/postgres",
                        "stopping",
                        MemberRole.PRIMARY));
                return null;
            });
            ClusterView view = timed(() -> n1.read());
            assertThat(view.leaderName()).contains("n1");
            assertThat(view.member("n1").orElseThrow().state()).isEqualTo("stopping");
            assertThat(n1.currentEndpoint()).isNotEqualTo(etcd.endpoints().get(leader));

            wakeups.drainPermits();
            adapter("n2", TTL).writeConfig(new TreeMap<>(Map.of("ttl", 31)), OptionalLong.empty());
            assertThat(wakeups.tryAcquire(3, TimeUnit.SECONDS))
                    .as("the watch moved too")
                    .isTrue();
        } finally {
            etcd.start(leader);
            etcd.awaitHealthy(Duration.ofSeconds(20));
        }
    }

    @Test
    void freezingTheConnectedEtcdMember_movesTheAdapterAndItsWatchToAnother() throws Exception {
        int leader = etcd.leaderIndex().orElseThrow();
        int follower = (leader + 1) % etcd.size();
        List<String> hosts = new ArrayList<>(etcd.hostPorts());
        hosts.add(0, hosts.remove(follower));
        EtcdDcs n1 = adapter("n1", TTL, RETRY, hosts);
        Semaphore wakeups = new Semaphore(0);
        n1.onChange(wakeups::release);
        assertThat(n1.acquireLeaderLock()).isTrue();
        assertThat(n1.currentEndpoint()).isEqualTo(etcd.endpoints().get(follower));

        try {
            etcd.freeze(follower);

            assertThat(timed(() -> n1.renewLeaderLock())).isTrue();
            assertThat(timed(() -> n1.read()).leaderName()).contains("n1");
            assertThat(n1.currentEndpoint()).isNotEqualTo(etcd.endpoints().get(follower));

            wakeups.drainPermits();
            List<String> healthy = new ArrayList<>(etcd.hostPorts());
            healthy.remove(follower);
            adapter("n2", TTL, RETRY, healthy).writeConfig(new TreeMap<>(Map.of("ttl", 31)), OptionalLong.empty());
            assertThat(wakeups.tryAcquire(3, TimeUnit.SECONDS))
                    .as("the watch left the frozen member")
                    .isTrue();
        } finally {
            etcd.thaw(follower);
        }
    }

    @Test
    void withCredentials_onAClusterWithAuth_worksAndWithoutThemFailsClearly() throws Exception {
        try (EtcdCluster secured = EtcdCluster.startCluster(1);
                Client admin = Client.builder()
                        .endpoints(secured.endpoints().toArray(String[]::new))
                        .build()) {
            var auth = admin.getAuthClient();
            auth.roleAdd(bytes("root")).get(5, TimeUnit.SECONDS);
            auth.userAdd(bytes("root"), bytes("root-secret")).get(5, TimeUnit.SECONDS);
            auth.userGrantRole(bytes("root"), bytes("root")).get(5, TimeUnit.SECONDS);
            auth.roleAdd(bytes("ha")).get(5, TimeUnit.SECONDS);
            auth.roleGrantPermission(bytes("ha"), bytes("/service/"), bytes("/service0"), Permission.Type.READWRITE)
                    .get(5, TimeUnit.SECONDS);
            auth.userAdd(bytes("bellwether"), bytes("ha-secret")).get(5, TimeUnit.SECONDS);
            auth.userGrantRole(bytes("bellwether"), bytes("ha")).get(5, TimeUnit.SECONDS);
            auth.authEnable().get(5, TimeUnit.SECONDS);

            EtcdDcs n1 = adapter(
                    "n1",
                    TTL,
                    RETRY,
                    secured.hostPorts(),
                    Optional.of(new Credentials("bellwether", Optional.of("ha-secret"))));
            assertThat(n1.acquireLeaderLock()).isTrue();
            n1.publishMember(member("n1", MemberRole.PRIMARY));
            assertThat(n1.renewLeaderLock()).isTrue();
            assertThat(n1.read().leaderName()).contains("n1");

            EtcdDcs anonymous = adapter("n2", TTL, RETRY, secured.hostPorts(), Optional.empty());
            long start = System.nanoTime();
            assertThatThrownBy(anonymous::read)
                    .isInstanceOf(DcsException.class)
                    .hasMessageStartingWith("read cluster at " + prefix + ": ")
                    .hasMessageContaining("user name is empty");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(RETRY.plusMillis(500));
            EtcdDcs wrong = adapter(
                    "n3",
                    TTL,
                    RETRY,
                    secured.hostPorts(),
                    Optional.of(new Credentials("bellwether", Optional.of("x"))));
            assertThatThrownBy(wrong::read)
                    .isInstanceOf(DcsException.class)
                    .hasMessageContaining("invalid user ID or password")
                    .hasMessageNotContaining("ha-secret");
        }
    }

    @Test
    void read_onAnUnreachableCluster_throwsWithinTheBudget() {
        List<String> nowhere = List.of("127.0.0.1:" + FreePorts.next(), "127.0.0.1:" + FreePorts.next());
        EtcdDcs n1 = adapter("n1", TTL, Duration.ofSeconds(2), nowhere);

        long start = System.nanoTime();
        assertThatThrownBy(n1::read)
                .isInstanceOf(DcsException.class)
                .hasMessageStartingWith("read cluster at " + prefix + ": deadline exceeded")
                .hasMessageContaining(nowhere.get(0));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
    }
}
