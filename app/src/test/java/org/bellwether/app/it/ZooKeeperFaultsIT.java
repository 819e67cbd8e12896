package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The nodes' own faults on a cluster whose DCS is ZooKeeper (ttl 10, loop_wait 2, retry_timeout 4), with the same
 * writers and expectations as on etcd ({@link LostWriteSchedule}), where the DCS matters: the whole primary node
 * crashes; the primary's agent is frozen (its ZooKeeper session expires); the ZooKeeper server stops for longer than
 * ttl, without and then with {@code failsafe_mode}.
 */
class ZooKeeperFaultsIT extends FaultSchedule {
    @Override
    FaultBed startBed() {
        return FaultBed.startOnZooKeeper("it-zk-faults", TestCluster.Timing.FAST);
    }

    @Test
    @Order(1)
    void primaryNodeCrash_aReplicaTakesOverAndTheOldPrimaryRejoins() throws Exception {
        check(Fault.NODE_CRASH);
    }

    @Test
    @Order(2)
    void primaryAgentFrozen_guardFencesAndTheThawedNodeRejoins() throws Exception {
        check(Fault.AGENT_FREEZE);
    }

    @Test
    @Order(3)
    void zooKeeperDown_primaryStopsTakingWritesUntilItIsBack() throws Exception {
        check(Fault.DCS_DOWN);
    }

    @Test
    @Order(4)
    void zooKeeperDownWithFailsafeMode_primaryKeepsTakingWrites() throws Exception {
        setFailsafeMode(true);
        try {
            FaultAssertions.asExpected(runner.run(Fault.DCS_DOWN), bed.timing, bed.mode, true);
        } finally {
            setFailsafeMode(false);
        }
    }

    /** Sets {@code failsafe_mode} and waits until the leader has written the {@code failsafe} key it guards with. */
    private void setFailsafeMode(boolean on) {
        TestNode leader = bed.ensureHealthy();
        Rest.Reply reply = Rest.call(leader, "PATCH", "/config", "{\"failsafe_mode\": " + on + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        if (on) {
            bed.cluster.await(
                    bed.failoverBound(),
                    "GET /failsafe on " + leader.name + " listing every member",
                    () -> leader.getJson("/failsafe").map(JsonNode::size).orElse(0) == bed.cluster.nodes.size());
        }
    }
}
