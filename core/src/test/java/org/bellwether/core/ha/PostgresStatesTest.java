package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.bellwether.core.status.PostgresStates;
import org.junit.jupiter.api.Test;

class PostgresStatesTest {
    private static final LocalPostgres OBSERVED_RUNNING = Fixtures.primary(100, 1);

    private static Optional<Operation> stop(Operation.Phase phase) {
        return Optional.of(new Operation(Action.Kind.STOP, phase, Duration.ZERO, Optional.empty()));
    }

    @Test
    void withoutOperation_theObservationDecides() {
        assertThat(PostgresStates.describe(OBSERVED_RUNNING, Optional.empty())).isEqualTo("running");
    }

    @Test
    void aStopUnderWay_isStopping() {
        assertThat(PostgresStates.describe(OBSERVED_RUNNING, stop(Operation.Phase.RUNNING)))
                .isEqualTo("stopping");
    }

    @Test
    void aStopThatEndedAfterTheObservation_isStopped() {
        assertThat(PostgresStates.describe(OBSERVED_RUNNING, stop(Operation.Phase.SUCCEEDED)))
                .isEqualTo("stopped");
    }
}
