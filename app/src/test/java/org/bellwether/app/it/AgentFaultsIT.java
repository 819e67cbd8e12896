package org.bellwether.app.it;

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
 * The primary's agent stops working while its PostgreSQL runs on: killed (SIGKILL) or frozen (SIGSTOP). Nothing
 * inside the agent can then stop PostgreSQL; the fencing guard must, before another node is promoted. A client
 * connected straight to the old primary (not through HAProxy) shows whether it did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentFaultsIT {
    private FaultBed bed;
    private FaultRunner runner;

    @BeforeAll
    void start() {
        bed = startBed();
        runner = new FaultRunner(bed);
    }

    /** The cluster the faults run on: etcd here, ZooKeeper in the subclass. */
    FaultBed startBed() {
        return FaultBed.start("it-agent", TestCluster.Timing.FAST, TestNode.Implementation.BELLWETHER);
    }

    @AfterAll
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    @Order(1)
    void primaryAgentKilled_guardStopsPostgresBeforeAnotherNodeIsPromoted() throws Exception {
        Outcome o = runner.run(Fault.AGENT_KILL);
        oldPrimaryFencedBeforePromotion(o);
        exactlyOnePrimary(o);
        failedOver(o);
        acknowledgedWritesKept(o);
        writeOutageWithin(o, Duration.ofSeconds(bed.timing.ttl() * 3L));
        everyNodeStreams(o);
    }

    @Test
    @Order(2)
    void primaryAgentFrozen_guardFencesAndTheThawedNodeRejoinsWithoutTakingTheLockBack() throws Exception {
        Outcome o = runner.run(Fault.AGENT_FREEZE);
        oldPrimaryFencedBeforePromotion(o);
        exactlyOnePrimary(o);
        failedOver(o);
        acknowledgedWritesKept(o);
        writeOutageWithin(o, Duration.ofSeconds(bed.timing.ttl() * 3L));
        everyNodeStreams(o);
    }
}
