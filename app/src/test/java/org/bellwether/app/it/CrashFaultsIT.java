package org.bellwether.app.it;

import static org.bellwether.app.it.FaultAssertions.acknowledgedWritesKept;
import static org.bellwether.app.it.FaultAssertions.everyNodeStreams;
import static org.bellwether.app.it.FaultAssertions.exactlyOnePrimary;
import static org.bellwether.app.it.FaultAssertions.failedOver;
import static org.bellwether.app.it.FaultAssertions.writeOutageWithin;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Crashes under a write workload, on one three-node cluster (ttl 10, loop_wait 2, retry_timeout 4): a replica, the
 * primary's PostgreSQL alone, the whole primary node. The faults that heal most cleanly run first; the cluster is
 * brought back to three streaming nodes before each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashFaultsIT {
    private FaultBed bed;
    private FaultRunner runner;

    @BeforeAll
    void start() {
        bed = startBed();
        runner = new FaultRunner(bed);
    }

    /** The cluster the faults run on: etcd here, ZooKeeper in the subclass. */
    FaultBed startBed() {
        return FaultBed.start("it-crash", TestCluster.Timing.FAST, TestNode.Implementation.BELLWETHER);
    }

    @AfterAll
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    @Order(1)
    void replicaCrash_writesGoOnAndTheReplicaRejoinsAfterRestart() throws Exception {
        Outcome o = runner.run(Fault.REPLICA_CRASH);
        exactlyOnePrimary(o);
        org.assertj.core.api.Assertions.assertThat(o.finalLeader()).isEqualTo(o.oldLeader());
        acknowledgedWritesKept(o);
        writeOutageWithin(o, Duration.ofSeconds(bed.timing.loopWait()));
        everyNodeStreams(o);
    }

    @Test
    @Order(2)
    void primaryPostgresCrash_isRestartedWithoutLosingAcknowledgedWrites() throws Exception {
        Outcome o = runner.run(Fault.POSTGRES_CRASH);
        exactlyOnePrimary(o);
        acknowledgedWritesKept(o);
        writeOutageWithin(o, Duration.ofSeconds(bed.timing.ttl() * 3L));
        everyNodeStreams(o);
    }

    @Test
    @Order(3)
    void primaryNodeCrash_aReplicaTakesOverAndTheOldPrimaryRejoinsAfterRestart() throws Exception {
        Outcome o = runner.run(Fault.NODE_CRASH);
        exactlyOnePrimary(o);
        failedOver(o);
        acknowledgedWritesKept(o);
        writeOutageWithin(o, Duration.ofSeconds(bed.timing.ttl() * 3L));
        everyNodeStreams(o);
    }
}
