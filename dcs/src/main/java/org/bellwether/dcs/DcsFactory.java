package org.bellwether.dcs;

import java.time.Duration;
import java.util.Optional;
import org.bellwether.config.EtcdConfig;
import org.bellwether.config.NodeConfig;
import org.bellwether.config.ZooKeeperConfig;
import org.bellwether.dcs.etcd.EtcdDcs;
import org.bellwether.dcs.zookeeper.ZooKeeperDcs;

/** Builds the DCS adapter a node's configuration asks for: its etcd3 or its zookeeper section (the loader sets one). */
public final class DcsFactory {
    private DcsFactory() {}

    /**
     * @param ttl the lifetime of the leader lock and member key
     * @param retryTimeout the time budget of every call
     */
    public static Dcs create(NodeConfig config, Duration ttl, Duration retryTimeout) {
        if (config.etcd3().isPresent()) {
            return new EtcdDcs(
                    config.clusterPrefix(), config.name(), config.etcd3().get(), ttl, retryTimeout);
        }
        if (config.zookeeper().isPresent()) {
            return new ZooKeeperDcs(
                    config.clusterPrefix(), config.name(), config.zookeeper().get(), ttl, retryTimeout);
        }
        throw new IllegalArgumentException("no DCS is configured for node '" + config.name()
                + "': add an etcd3 section (hosts, or host, or url) or a zookeeper section (hosts)");
    }

    /**
     * Opens a cluster's keys for an operator's tool ({@code bellwether ctl}): reads and the operator's writes, no
     * lease, no leader or member key. Exactly one of {@code etcd3} and {@code zookeeper} is expected.
     *
     * @param clusterPrefix {@code /<namespace>/<scope>/}
     * @param retryTimeout the time budget of every call
     */
    public static ClusterStore openForOperator(
            String clusterPrefix,
            Optional<EtcdConfig> etcd3,
            Optional<ZooKeeperConfig> zookeeper,
            Duration retryTimeout) {
        if (etcd3.isPresent()) {
            // The ttl only sizes leases, which this store never takes.
            Dcs dcs = new EtcdDcs(clusterPrefix, OperatorStore.NAME, etcd3.get(), retryTimeout, retryTimeout);
            return new OperatorStore(
                    dcs, "etcd3 at " + String.join(",", etcd3.get().endpoints()) + " under " + clusterPrefix);
        }
        if (zookeeper.isPresent()) {
            // The session timeout is the ttl; the session holds no znode, since nothing is published under it.
            Dcs dcs = new ZooKeeperDcs(clusterPrefix, OperatorStore.NAME, zookeeper.get(), retryTimeout, retryTimeout);
            return new OperatorStore(
                    dcs, "zookeeper at " + zookeeper.get().connectString() + " under " + clusterPrefix);
        }
        throw new IllegalArgumentException("no DCS is configured: give an etcd3 or a zookeeper section");
    }
}
