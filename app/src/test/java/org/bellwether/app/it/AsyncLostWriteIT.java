package org.bellwether.app.it;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The lost-write schedule in asynchronous mode (Patroni's default), followed by the faults no mode changes: etcd's
 * raft leader lost, the primary's agent killed with PostgreSQL left running, and the primary cut off from etcd and
 * its replicas while its clients still reach it. (The loss of an etcd follower runs in the soak, {@code bench/run
 * soak}; the DCS tests cover switching to another etcd endpoint.)
 */
class AsyncLostWriteIT extends LostWriteSchedule {
    @Override
    ReplicationMode mode() {
        return ReplicationMode.ASYNC;
    }

    @Test
    @Order(8)
    void etcdLeaderLost_theLeaderStaysAndWritesGoOn() throws Exception {
        check(Fault.ETCD_LEADER_LOSS);
    }

    @Test
    @Order(9)
    void primaryAgentKilled_guardStopsPostgresBeforeAnotherNodeIsPromoted() throws Exception {
        check(Fault.AGENT_KILL);
    }

    @Test
    @Order(10)
    void primaryCutFromEtcdAndReplicas_stopsAcknowledgingBeforeItsLockCanExpire() throws Exception {
        check(Fault.FULL_PARTITION);
    }
}
