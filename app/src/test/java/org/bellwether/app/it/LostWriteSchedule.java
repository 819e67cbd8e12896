package org.bellwether.app.it;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The lost-write checker's schedule in one replication mode: on one cluster (a three-member etcd, three nodes,
 * HAProxy; ttl 10, loop_wait 2, retry_timeout 4) each fault once, in order, while three clients write through
 * HAProxy and one writes straight to every node. After each fault, {@link FaultAssertions#asExpected}: exactly one
 * primary, no write acknowledged by two servers acting as primary at once, every node streaming from the leader
 * again, the acknowledged writes kept (every one of them in the synchronous modes, which may promote only a listed
 * synchronous standby; in asynchronous mode all but some within {@code maximum_lag_on_failover}), and what the fault
 * itself promises. The subclasses pick the mode.
 */
abstract class LostWriteSchedule extends FaultSchedule {
    abstract ReplicationMode mode();

    @Override
    FaultBed startBed() {
        return FaultBed.start(
                "it-lost-" + mode().label(), TestCluster.Timing.FAST, TestNode.Implementation.BELLWETHER, mode());
    }

    @Test
    @Order(1)
    void replicaLost_writesGoOnAndItRejoins() throws Exception {
        check(Fault.REPLICA_CRASH);
    }

    @Test
    @Order(2)
    void switchover_handsOverWithoutLosingAWrite() throws Exception {
        check(Fault.SWITCHOVER);
    }

    @Test
    @Order(3)
    void primaryPostgresCrash_isRestartedInPlace() throws Exception {
        check(Fault.POSTGRES_CRASH);
    }

    @Test
    @Order(4)
    void primaryNodeCrash_aReplicaTakesOverAndTheOldPrimaryRejoins() throws Exception {
        check(Fault.NODE_CRASH);
    }

    @Test
    @Order(5)
    void primaryAgentFrozen_guardFencesBeforeAnotherNodeIsPromoted() throws Exception {
        check(Fault.AGENT_FREEZE);
    }

    @Test
    @Order(6)
    void primaryCutFromDcs_demotesBeforeAReplicaTakesOver() throws Exception {
        check(Fault.DCS_PARTITION);
    }

    @Test
    @Order(7)
    void wholeDcsDown_primaryStopsTakingWritesUntilItIsBack() throws Exception {
        check(Fault.DCS_DOWN);
    }
}
