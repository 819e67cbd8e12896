package org.bellwether.app.it;

/** The faults of {@link CrashFaultsIT} on nodes that use ZooKeeper as their DCS. */
class ZooKeeperCrashFaultsIT extends CrashFaultsIT {
    @Override
    FaultBed startBed() {
        return FaultBed.startOnZooKeeper("it-zk-crash", TestCluster.Timing.FAST);
    }
}
