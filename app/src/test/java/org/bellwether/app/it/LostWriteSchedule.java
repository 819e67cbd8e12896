package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.app.it.FaultAssertions.acknowledgedWritesKept;
import static org.bellwether.app.it.FaultAssertions.everyNodeStreams;
import static org.bellwether.app.it.FaultAssertions.exactlyOnePrimary;
import static org.bellwether.app.it.FaultAssertions.failedOver;
import static org.bellwether.app.it.FaultAssertions.nothingLostAndOnlyASynchronousStandbyPromoted;
import static org.bellwether.app.it.FaultAssertions.oldPrimaryFencedBeforePromotion;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lost-write checker's short schedule in one replication mode: on one cluster (a three-member etcd, three nodes,
 * HAProxy; ttl 10, loop_wait 2, retry_timeout 4) each fault once, in order, while three clients write through
 * HAProxy and one writes straight to every node. After each fault: exactly one primary, no write acknowledged by two
 * servers acting as primary at once, every node streaming from the leader again, and the acknowledged writes kept:
 * every one of them in the synchronous modes, which may promote only a listed synchronous standby; in asynchronous
 * mode all but some within {@code maximum_lag_on_failover}. The subclasses pick the mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class LostWriteSchedule {
    private FaultBed bed;
    private FaultRunner runner;

    abstract ReplicationMode mode();

    @BeforeAll
    void start() {
        bed = FaultBed.start(
                "it-lost-" + mode().label(), TestCluster.Timing.FAST, TestNode.Implementation.BELLWETHER, mode());
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
    void replicaLost() throws Exception {
        Outcome o = checked(Fault.REPLICA_CRASH);
        assertThat(o.finalLeader()).as(o.summary()).isEqualTo(o.oldLeader());
    }

    @Test
    @Order(2)
    void switchover() throws Exception {
        Outcome o = checked(Fault.SWITCHOVER);
        failedOver(o);
        oldPrimaryFencedBeforePromotion(o);
    }

    @Test
    @Order(3)
    void primaryPostgresCrash() throws Exception {
        checked(Fault.POSTGRES_CRASH);
    }

    @Test
    @Order(4)
    void primaryNodeCrash() throws Exception {
        failedOver(checked(Fault.NODE_CRASH));
    }

    @Test
    @Order(5)
    void primaryAgentFrozen() throws Exception {
        Outcome o = checked(Fault.AGENT_FREEZE);
        failedOver(o);
        oldPrimaryFencedBeforePromotion(o);
    }

    @Test
    @Order(6)
    void primaryCutFromDcs() throws Exception {
        Outcome o = checked(Fault.DCS_PARTITION);
        failedOver(o);
        oldPrimaryFencedBeforePromotion(o);
    }

    @Test
    @Order(7)
    void wholeDcsDown() throws Exception {
        Outcome o = checked(Fault.DCS_DOWN);
        // Without failsafe mode a primary that cannot renew its lock stops taking writes before the lock could expire,
        // and takes none until the DCS is back.
        assertThat(o.directAckedAfterFault().orElse(Duration.ZERO))
                .as("old primary acknowledging writes after the whole DCS went down\n%s", o.summary())
                .isLessThan(Duration.ofSeconds(bed.timing.ttl()));
    }

    /** Runs the fault and asserts what holds after every fault in this mode. */
    private Outcome checked(Fault fault) throws Exception {
        Outcome o = runner.run(fault);
        exactlyOnePrimary(o);
        if (mode().promisesNoLoss()) {
            nothingLostAndOnlyASynchronousStandbyPromoted(o);
        }
        acknowledgedWritesKept(o);
        everyNodeStreams(o);
        return o;
    }
}
