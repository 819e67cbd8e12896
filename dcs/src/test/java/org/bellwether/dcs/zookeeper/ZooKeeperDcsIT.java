package org.bellwether.dcs.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.bellwether.config.ZooKeeperConfig;
import org.bellwether.core.MemberRole;
import org.bellwether.dcs.ClusterStore;
import org.bellwether.dcs.DcsException;
import org.bellwether.dcs.DcsFactory;
import org.bellwether.dcs.ProxiedNodes;
import org.bellwether.dcs.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** What only ZooKeeper has: sessions, their timeouts, znode owners, ACLs. The shared clauses are in the contract. */
class ZooKeeperDcsIT {
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(3);

    static ZooKeeperEnsemble zookeeper;

    private final List<ZooKeeperDcs> adapters = new ArrayList<>();
    private final List<CuratorFramework> clients = new ArrayList<>();
    private final ProxiedNodes proxies = new ProxiedNodes();
    private String prefix;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = ZooKeeperEnsemble.start(3);
    }

    @AfterAll
    static void stopZooKeeper() {
        if (zookeeper != null) {
            zookeeper.close();
            zookeeper = null;
        }
    }

    @BeforeEach
    void scope(TestInfo test) {
        prefix = "/service/" + test.getTestMethod().orElseThrow().getName() + "/";
    }

    @AfterEach
    void closeAll() {
        adapters.forEach(ZooKeeperDcs::close);
        clients.forEach(CuratorFramework::close);
        proxies.close();
    }

    @Test
    void renew_movesALeaderZnodeLeftByAnotherSessionOfThisNode_ontoItsOwn() throws Exception {
        CuratorFramework previousRun = client(Map.of());
        previousRun
                .create()
                .creatingParentsIfNeeded()
                .withMode(CreateMode.EPHEMERAL)
                .forPath(prefix + "leader", bytes("n1"));
        ZooKeeperDcs n1 = adapter("n1", TTL, Map.of());
        ZooKeeperDcs n2 = adapter("n2", TTL, Map.of());
        assertThat(n2.acquireLeaderLock()).isFalse();

        assertThat(n1.renewLeaderLock()).isTrue();

        assertThat(zookeeper.ephemeralOwner(prefix + "leader")).isEqualTo(n1.sessionId());
        previousRun.close();
        Thread.sleep(300);
        assertThat(n2.acquireLeaderLock())
                .as("the old session's end takes nothing with it")
                .isFalse();
        assertThat(n2.read().leaderName()).contains("n1");
    }

    @Test
    void publish_replacesAMemberZnodeLeftByAnotherSession() throws Exception {
        CuratorFramework previousRun = client(Map.of());
        previousRun
                .create()
                .creatingParentsIfNeeded()
                .withMode(CreateMode.EPHEMERAL)
                .forPath(prefix + "members/n1", bytes("{}"));
        ZooKeeperDcs n1 = adapter("n1", TTL, Map.of());

        n1.publishMember(member("n1"));

        assertThat(zookeeper.ephemeralOwner(prefix + "members/n1")).isEqualTo(n1.sessionId());
        assertThat(n1.read().member("n1").orElseThrow().state()).isEqualTo("running");
    }

    @Test
    void ttlChange_movesTheLockAndTheMemberKeyOntoANewSession_withoutLosingThem() throws Exception {
        ZooKeeperDcs n1 = adapter("n1", Duration.ofSeconds(4), Map.of());
        ZooKeeperDcs n2 = adapter("n2", TTL, Map.of());
        assertThat(n1.acquireLeaderLock()).isTrue();
        n1.publishMember(member("n1"));
        long before = n1.sessionId();

        n1.configure(Duration.ofSeconds(6), RETRY);
        assertThat(n1.renewLeaderLock()).isTrue();

        assertThat(n1.sessionId()).isNotEqualTo(before);
        assertThat(zookeeper.ephemeralOwner(prefix + "leader")).isEqualTo(n1.sessionId());
        assertThat(zookeeper.ephemeralOwner(prefix + "members/n1")).isEqualTo(n1.sessionId());
        assertThat(n2.acquireLeaderLock()).isFalse();
        Thread.sleep(500);
        assertThat(n2.read().member("n1"))
                .as("closing the old session took nothing")
                .isPresent();
    }

    @Test
    void sessionTimeoutShorterThanTtl_makesAcquireAndRenewRefuse() throws Exception {
        ZooKeeperDcs n1 = adapter("n1", Duration.ofSeconds(90), Map.of()); // the servers allow at most 60 s

        assertThatThrownBy(n1::acquireLeaderLock)
                .isInstanceOf(DcsException.class)
                .hasMessageStartingWith("acquire leader lock for 'n1' at " + prefix + "leader: ")
                .hasMessageContaining("granted a session timeout of 60000 ms, shorter than ttl (90000 ms)");
        assertThatThrownBy(n1::renewLeaderLock).isInstanceOf(DcsException.class);
        assertThat(n1.read().leader()).isEmpty();
    }

    @Test
    void authData_isSentWhenConnecting_andWithoutItTheServerRefuses() throws Exception {
        String digest = DigestAuthenticationProvider.generateDigest("bellwether:ha-secret");
        CuratorFramework admin = client(Map.of("digest", "bellwether:ha-secret"));
        admin.create()
                .creatingParentsIfNeeded()
                .withACL(List.of(new ACL(ZooDefs.Perms.ALL, new Id("digest", digest))))
                .forPath(prefix.substring(0, prefix.length() - 1));

        ZooKeeperDcs n1 = adapter("n1", TTL, Map.of("digest", "bellwether:ha-secret"));
        assertThat(n1.acquireLeaderLock()).isTrue();
        n1.publishMember(member("n1"));
        assertThat(n1.read().leaderName()).contains("n1");

        ZooKeeperDcs anonymous = adapter("n2", TTL, Map.of());
        long start = System.nanoTime();
        assertThatThrownBy(anonymous::acquireLeaderLock)
                .isInstanceOf(DcsException.class)
                .hasMessage("acquire leader lock for 'n2' at " + prefix + "leader: NOAUTH for " + prefix + "leader");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no retries").isLessThan(RETRY);
    }

    @Test
    void watch_isAddedAgain_onTheSessionThatReplacesAnExpiredOne() throws Exception {
        ZooKeeperDcs n1 = adapter("n1", Duration.ofSeconds(2), Map.of());
        ZooKeeperDcs n2 = adapter("n2", TTL, Map.of());
        Semaphore wakeups = new Semaphore(0);
        n1.onChange(wakeups::release);
        assertThat(wakeups.tryAcquire(3, TimeUnit.SECONDS)).isTrue();
        n1.publishMember(member("n1"));
        long first = n1.sessionId();

        proxies.mode(n1, TcpProxy.Mode.SILENT);
        awaitGone(prefix + "members/n1"); // the server expired the session
        proxies.mode(n1, TcpProxy.Mode.OPEN);
        n1.read();
        assertThat(n1.sessionId()).isNotEqualTo(first);
        Thread.sleep(500);
        wakeups.drainPermits();

        n2.acquireLeaderLock();
        assertThat(wakeups.tryAcquire(3, TimeUnit.SECONDS))
                .as("the new session watches too")
                .isTrue();
    }

    @Test
    void close_leavesTheMemberKeyToExpire_asAStoppedPatroniDoes() throws Exception {
        ZooKeeperDcs n1 = adapter("n1", Duration.ofSeconds(2), Map.of());
        ZooKeeperDcs observer = adapter("obs", TTL, Map.of());
        n1.publishMember(member("n1"));
        long closed = System.nanoTime();

        n1.close();

        assertThat(observer.read().member("n1")).isPresent();
        awaitGone(prefix + "members/n1");
        assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThan(Duration.ofMillis(1700));
    }

    @Test
    void operatorStore_readsTheLeaderAndWritesConfig_withoutPublishingAnything() throws Exception {
        ZooKeeperDcs n1 = adapter("n1", TTL, Map.of());
        assertThat(n1.acquireLeaderLock()).isTrue();
        ZooKeeperConfig config = ZooKeeperDcsContractIT.config(zookeeper.servers());

        try (ClusterStore ctl = DcsFactory.openForOperator(prefix, Optional.empty(), Optional.of(config), RETRY)) {
            assertThat(ctl.describe())
                    .isEqualTo("zookeeper at " + String.join(",", zookeeper.servers()) + " under " + prefix);
            assertThat(ctl.read().leader())
                    .hasValueSatisfying(l -> assertThat(l.name()).isEqualTo("n1"));
            assertThat(ctl.writeConfig(new TreeMap<>(Map.of("loop_wait", 5)), OptionalLong.empty()))
                    .isTrue();
            assertThat(ctl.read().members()).isEmpty();
        }
        assertThat(n1.read().config())
                .hasValueSatisfying(c -> assertThat(c.raw()).containsEntry("loop_wait", 5));
    }

    private static void awaitGone(String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (zookeeper.ephemeralOwner(path) != -1) {
            assertThat(System.nanoTime()).as("%s gone within 10 s", path).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private ZooKeeperDcs adapter(String name, Duration ttl, Map<String, Object> authData) {
        List<String> hosts = proxies.open(zookeeper.servers());
        ZooKeeperConfig base = ZooKeeperDcsContractIT.config(hosts);
        ZooKeeperConfig config = new ZooKeeperConfig(
                base.hosts(),
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                true,
                new TreeMap<>(),
                new TreeMap<>(authData));
        ZooKeeperDcs dcs = proxies.bind(new ZooKeeperDcs(prefix, name, config, ttl, RETRY));
        adapters.add(dcs);
        return dcs;
    }

    private CuratorFramework client(Map<String, String> auth) throws Exception {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(String.join(",", zookeeper.servers()))
                .sessionTimeoutMs(30_000)
                .retryPolicy(new RetryNTimes(20, 100))
                .ensembleTracker(false);
        auth.forEach((scheme, credential) -> builder.authorization(scheme, bytes(credential)));
        CuratorFramework client = builder.build();
        client.start();
        clients.add(client);
        assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return client;
    }

    private static org.bellwether.core.Member member(String name) {
        return org.bellwether.core.Member.of(
                name,
                "http://127.0.0.1:8008/patroni",
                "postgres://127.0.0.1:5432/postgres",
                "running",
                MemberRole.REPLICA);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
