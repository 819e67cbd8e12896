package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.app.it.FaultAssertions.acknowledgedWritesKept;
import static org.bellwether.app.it.FaultAssertions.everyNodeStreams;
import static org.bellwether.app.it.FaultAssertions.exactlyOnePrimary;
import static org.bellwether.app.it.FaultAssertions.failedOver;
import static org.bellwether.app.it.FaultAssertions.oldPrimaryFencedBeforePromotion;
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
 * Network faults on one cluster: etcd loses a member (a follower, then its raft leader), which must not cost the
 * cluster its leader; then the primary is partitioned from etcd (blackholed: requests hang), first while its
 * replicas still reach it, then cut from them too while its clients still reach it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkFaultsIT {
    private FaultBed bed;
    private FaultRunner runner;

    @BeforeAll
    void start() {
        bed = FaultBed.start("it-network", TestCluster.Timing.FAST, TestNode.Implementation.BELLWETHER);
        runner = new FaultRunner(bed);
    }

    @AfterAll
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    @Order(1)
    void etcdFollowerLost_theLeaderStaysAndWritesGoOn() throws Exception {
        Outcome o = runner.run(Fault.ETCD_MEMBER_LOSS);
        exactlyOnePrimary(o);
        assertThat(o.finalLeader()).as(o.summary()).isEqualTo(o.oldLeader());
        acknowledgedWritesKept(o);
        writeOutageWithin(o, Duration.ofSeconds(bed.timing.loopWait() + bed.timing.retryTimeout()));
        everyNodeStreams(o);
    }

    @Test
    @Order(2)
    void etcdLeaderLost_theLeaderStaysAndWritesGoOn() throws Exception {
        Outcome o = runner.run(Fault.ETCD_LEADER_LOSS);
        exactlyOnePrimary(o);
        assertThat(o.finalLeader()).as(o.summary()).isEqualTo(o.oldLeader());
        acknowledgedWritesKept(o);
        writeOutageWithin(o, Duration.ofSeconds(bed.timing.loopWait() + bed.timing.retryTimeout()));
        everyNodeStreams(o);
    }

    @Test
    @Order(3)
    void primaryPartitionedFromEtcd_demotesAReplicaTakesOverAndItRejoins() throws Exception {
        Outcome o = runner.run(Fault.DCS_PARTITION);
        oldPrimaryFencedBeforePromotion(o);
        demotedOnceAndKeptRunningAsReplica(o);
        exactlyOnePrimary(o);
        failedOver(o);
        acknowledgedWritesKept(o);
        writeOutageWithin(o, Duration.ofSeconds(bed.timing.ttl() * 3L));
        everyNodeStreams(o);
    }

    @Test
    @Order(4)
    void primaryPartitionedFromEtcdAndReplicas_stopsAcknowledgingBeforeItsLockCanExpire() throws Exception {
        Outcome o = runner.run(Fault.FULL_PARTITION);
        oldPrimaryFencedBeforePromotion(o);
        demotedOnceAndKeptRunningAsReplica(o);
        assertThat(o.directAckedAfterFault().orElse(Duration.ZERO))
                .as("old primary acknowledging writes from its clients after losing etcd and replicas\n%s", o.summary())
                .isLessThan(Duration.ofSeconds(bed.timing.ttl()));
        exactlyOnePrimary(o);
        failedOver(o);
        acknowledgedWritesKept(o);
        writeOutageWithin(o, Duration.ofSeconds(bed.timing.ttl() * 3L));
        everyNodeStreams(o);
    }

    /** A partitioned primary demotes to a read-only replica and stays one (readable) until the partition heals. */
    private static void demotedOnceAndKeptRunningAsReplica(Outcome o) {
        assertThat(o.oldShutDownsBeforeHeal())
                .as("shutdowns of the old primary's PostgreSQL during the partition\n%s", o.summary())
                .isEqualTo(1);
    }
}
