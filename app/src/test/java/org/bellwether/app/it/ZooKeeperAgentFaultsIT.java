package org.bellwether.app.it;

/** The faults of {@link AgentFaultsIT} on nodes that use ZooKeeper as their DCS. */
class ZooKeeperAgentFaultsIT extends AgentFaultsIT {
    @Override
    FaultBed startBed() {
        return FaultBed.startOnZooKeeper("it-zk-agent", TestCluster.Timing.FAST);
    }
}
