package org.bellwether.cli;

import java.time.Duration;
import java.util.Optional;
import org.bellwether.config.EtcdConfig;
import org.bellwether.config.ZooKeeperConfig;
import org.bellwether.dcs.ClusterStore;
import org.bellwether.dcs.DcsFactory;

/** How a session opens a cluster's keys: the DCS factory, or a fake in tests of the commands. */
@FunctionalInterface
interface StoreOpener {
    StoreOpener DCS = DcsFactory::openForOperator;

    ClusterStore open(
            String clusterPrefix, Optional<EtcdConfig> etcd3, Optional<ZooKeeperConfig> zookeeper, Duration timeout);
}
