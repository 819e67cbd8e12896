package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.LocalPostgres;
import org.junit.jupiter.api.Test;

/** The part of pg_controldata that rejoin decisions read. */
class ControlFileTest {
    @Test
    void formerPrimary_hasNoMinimumRecoveryPoint() {
        LocalPostgres.ControlFile control =
                ControlData.parse(ControlDataTest.PG15_SHUT_DOWN).controlFile(false);

        assertThat(control.latestCheckpoint()).isEqualTo(Lsn.parse("0/1500700"));
        assertThat(control.checkpointTimeline()).isEqualTo(Timeline.FIRST);
        assertThat(control.minRecoveryEnd()).isEmpty();
        assertThat(control.minRecoveryEndTimeline()).isEmpty();
        assertThat(control.rewindable()).isFalse();
    }

    @Test
    void replicaWithChecksums_reportsItsRecoveryPointAndIsRewindable() {
        String text = ControlDataTest.PG15_SHUT_DOWN
                .replace("shut down\n", "shut down in recovery\n")
                .replace("Minimum recovery ending location:     0/0", "Minimum recovery ending location:     0/3000A8")
                .replace("Min recovery ending loc's timeline:   0", "Min recovery ending loc's timeline:   2")
                .replace("Data page checksum version:           0", "Data page checksum version:           1");

        LocalPostgres.ControlFile control = ControlData.parse(text).controlFile(false);

        assertThat(control.minRecoveryEnd()).contains(Lsn.parse("0/3000A8"));
        assertThat(control.minRecoveryEndTimeline()).contains(new Timeline(2));
        assertThat(control.rewindable()).isTrue();
    }

    @Test
    void observation_carriesTheControlFile() {
        ControlData data = ControlData.parse(ControlDataTest.PG15_SHUT_DOWN);
        LocalPostgres local = Observations.compose(true, false, Optional.of(data), Optional.empty());
        assertThat(local.controlFile()).contains(data.controlFile(false));
        assertThat(local.timelineHistory()).isEmpty();
    }
}
