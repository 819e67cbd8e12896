package org.bellwether.dcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.config.BootstrapConfig;
import org.bellwether.config.Credentials;
import org.bellwether.config.CtlConfig;
import org.bellwether.config.EtcdConfig;
import org.bellwether.config.LogConfig;
import org.bellwether.config.NodeConfig;
import org.bellwether.config.PostgresConfig;
import org.bellwether.config.RestApiConfig;
import org.bellwether.config.WatchdogConfig;
import org.bellwether.config.ZooKeeperConfig;
import org.bellwether.core.HostPort;
import org.bellwether.dcs.etcd.EtcdDcs;
import org.bellwether.dcs.zookeeper.ZooKeeperDcs;
import org.bellwether.testkit.FreePorts;
import org.junit.jupiter.api.Test;

class DcsFactoryTest {
    @Test
    void anEtcd3Section_givesTheEtcdAdapter_withoutConnectingYet() {
        EtcdConfig etcd = new EtcdConfig(
                List.of(HostPort.parse("127.0.0.1:2379")),
                "http",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        try (Dcs dcs = DcsFactory.create(node(Optional.of(etcd)), Duration.ofSeconds(30), Duration.ofSeconds(10))) {
            assertThat(dcs).isInstanceOf(EtcdDcs.class);
        }
    }

    @Test
    void aZooKeeperSection_givesTheZooKeeperAdapter() {
        // Curator connects in the background; nothing listens on a free port, and the adapter is closed at once.
        ZooKeeperConfig zookeeper = zookeeper(false, new TreeMap<>());

        try (Dcs dcs = DcsFactory.create(
                node(Optional.empty(), Optional.of(zookeeper)), Duration.ofSeconds(30), Duration.ofSeconds(10))) {
            assertThat(dcs).isInstanceOf(ZooKeeperDcs.class);
        }
    }

    @Test
    void zooKeeperSettingsTheAdapterCannotHonour_areRejectedBeforeConnecting() {
        assertThatThrownBy(() -> DcsFactory.create(
                        node(Optional.empty(), Optional.of(zookeeper(true, new TreeMap<>()))),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("zookeeper: use_ssl is not supported");
        assertThatThrownBy(() -> DcsFactory.create(
                        node(
                                Optional.empty(),
                                Optional.of(zookeeper(false, new TreeMap<>(Map.of("CN=n1", List.of("ALL")))))),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("zookeeper: set_acls is not supported");
    }

    @Test
    void withoutADcsSection_theFactorySaysWhatIsMissing() {
        assertThatThrownBy(() -> DcsFactory.create(
                        node(Optional.empty(), Optional.empty()), Duration.ofSeconds(30), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n1")
                .hasMessageContaining("etcd3")
                .hasMessageContaining("zookeeper");
    }

    private static ZooKeeperConfig zookeeper(boolean useSsl, TreeMap<String, Object> setAcls) {
        return new ZooKeeperConfig(
                List.of(HostPort.parse("127.0.0.1:" + FreePorts.next())),
                useSsl,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                true,
                setAcls,
                new TreeMap<>());
    }

    @Test
    void operatorStore_onEtcd3_describesWhereItReads_withoutConnectingYet() {
        EtcdConfig etcd = new EtcdConfig(
                List.of(HostPort.parse("127.0.0.1:2379")),
                "http",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        try (ClusterStore store = DcsFactory.openForOperator(
                "/service/demo/", Optional.of(etcd), Optional.empty(), Duration.ofSeconds(10))) {
            assertThat(store.describe()).isEqualTo("etcd3 at http://127.0.0.1:2379 under /service/demo/");
        }
    }

    @Test
    void operatorStore_withoutADcs_saysWhatIsMissing() {
        assertThatThrownBy(() -> DcsFactory.openForOperator(
                        "/service/demo/", Optional.empty(), Optional.empty(), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no DCS is configured");
    }

    private static NodeConfig node(Optional<EtcdConfig> etcd) {
        return node(etcd, Optional.empty());
    }

    private static NodeConfig node(Optional<EtcdConfig> etcd, Optional<ZooKeeperConfig> zookeeper) {
        HostPort api = HostPort.parse("127.0.0.1:8008");
        HostPort pg = HostPort.parse("127.0.0.1:5432");
        Credentials user = new Credentials("postgres", Optional.empty());
        return new NodeConfig(
                "demo",
                "/service/",
                "n1",
                new RestApiConfig(
                        api,
                        api,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        List.of()),
                etcd,
                new BootstrapConfig(new TreeMap<>(), List.of(), List.of(), Optional.empty()),
                new PostgresConfig(
                        "127.0.0.1",
                        5432,
                        pg,
                        Path.of("data"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        user,
                        user,
                        Optional.empty(),
                        new TreeMap<>(),
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        List.of(),
                        new TreeMap<>()),
                new TreeMap<>(),
                Optional.empty(),
                zookeeper,
                WatchdogConfig.DEFAULTS,
                CtlConfig.DEFAULTS,
                LogConfig.DEFAULTS);
    }
}
