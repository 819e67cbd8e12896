package org.bellwether.app.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults run in order on one {@link FaultBed} that a subclass starts, each judged by {@link
 * FaultAssertions#asExpected}. The bed is brought back to a leader and streaming replicas before each fault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FaultSchedule {
    FaultBed bed;
    FaultRunner runner;

    abstract FaultBed startBed();

    @BeforeAll
    void start() {
        bed = startBed();
        runner = new FaultRunner(bed);
    }

    @AfterAll
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    /** Runs {@code fault} on this cluster and asserts what users may expect of it. */
    void check(Fault fault) throws Exception {
        FaultAssertions.asExpected(runner.run(fault), bed.timing, bed.mode);
    }
}
