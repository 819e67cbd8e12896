package org.bellwether.dcs.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.config.ZooKeeperConfig;
import org.bellwether.core.HostPort;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsContract;
import org.bellwether.dcs.ProxiedNodes;
import org.bellwether.dcs.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The DCS contract on a real three-member ZooKeeper ensemble, each adapter behind its own proxies. */
class ZooKeeperDcsContractIT extends DcsContract {
    static ZooKeeperEnsemble zookeeper;

    private final ProxiedNodes proxies = new ProxiedNodes();

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

    @AfterEach
    void closeProxies() {
        proxies.close();
    }

    static ZooKeeperConfig config(List<String> hosts) {
        return new ZooKeeperConfig(
                hosts.stream().map(HostPort::parse).toList(),
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                true,
                new TreeMap<>(),
                new TreeMap<>());
    }

    @Override
    protected Dcs newAdapter(String prefix, String name, Duration ttl, Duration retryTimeout) {
        List<String> hosts = proxies.open(zookeeper.servers());
        return proxies.bind(new ZooKeeperDcs(prefix, name, config(hosts), ttl, retryTimeout));
    }

    @Override
    protected void cut(Dcs node) {
        proxies.mode(node, TcpProxy.Mode.SILENT);
    }

    @Override
    protected void dropReplies(Dcs node) {
        proxies.mode(node, TcpProxy.Mode.DROP_REPLIES);
    }

    @Override
    protected void heal(Dcs node) {
        proxies.mode(node, TcpProxy.Mode.OPEN);
    }

    /** The session's heartbeat would keep the lock alive without renewals: only silence ends it. */
    @Override
    protected void stopRenewing(Dcs holder) {
        cut(holder);
    }

    @Override
    protected void restartServers() throws Exception {
        zookeeper.restart();
    }

    @Override
    protected Map<String, String> rawValues(String prefix) throws Exception {
        return zookeeper.values(prefix);
    }

    @Override
    protected void writeRaw(String prefix, String relative, String value) throws Exception {
        zookeeper.write(prefix + relative, value);
    }

    @Override
    protected boolean livesWith(String prefix, String relative, Dcs node) throws Exception {
        long owner = zookeeper.ephemeralOwner(prefix + relative);
        return owner != 0 && owner == ((ZooKeeperDcs) node).sessionId();
    }

    /** Expiry lands on the next tick of the ensemble's leader, after a follower reported the last contact. */
    @Override
    protected Duration expirySlack() {
        return Duration.ofMillis(1000);
    }
}
