package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.junit.jupiter.api.Test;

class ControlDataTest {
    /** pg_controldata of PostgreSQL 15 (Debian), run with LC_ALL=C, after initdb. */
    static final String PG15_SHUT_DOWN = """
            pg_control version number:            1300
            Catalog version number:               202209061
            Database system identifier:           7712437883701369762
            Database cluster state:               shut down
            pg_control last modified:             Thu Nov 26 11:17:57 2026
            Latest checkpoint location:           0/1500700
            Latest checkpoint's REDO location:    0/1500700
            Latest checkpoint's REDO WAL file:    000000010000000000000001
            Latest checkpoint's TimeLineID:       1
            Latest checkpoint's PrevTimeLineID:   1
            Latest checkpoint's full_page_writes: on
            Latest checkpoint's NextXID:          0:724
            Latest checkpoint's NextOID:          13572
            Latest checkpoint's oldestCommitTsXid:0
            Time of latest checkpoint:            Thu Nov 26 11:17:57 2026
            Minimum recovery ending location:     0/0
            Min recovery ending loc's timeline:   0
            wal_level setting:                    replica
            wal_log_hints setting:                off
            max_connections setting:              100
            Bytes per WAL segment:                16777216
            Data page checksum version:           0
            Mock authentication nonce:            62e040f678817f4a3234ce098bfe1fe6d84d66ec882a3ab871b2e200516e0ce2
            """;

    @Test
    void freshCluster_parsesIdentityStateCheckpointAndTimeline() {
        ControlData data = ControlData.parse(PG15_SHUT_DOWN);

        assertThat(data.systemIdentifier()).isEqualTo("7712437883701369762");
        assertThat(data.clusterState()).isEqualTo("shut down");
        assertThat(data.latestCheckpoint()).isEqualTo(Lsn.parse("0/1500700"));
        assertThat(data.timeline()).isEqualTo(Timeline.FIRST);
        assertThat(data.walLogHints()).isFalse();
        assertThat(data.dataChecksumVersion()).isZero();
        assertThat(data.cleanlyShutDown()).isTrue();
        assertThat(data.rewindable()).isFalse();
    }

    @Test
    void valuesContainingColons_keepEverythingAfterTheFirstColon() {
        ControlData data = ControlData.parse(PG15_SHUT_DOWN);

        assertThat(data.field("Latest checkpoint's NextXID")).contains("0:724");
        assertThat(data.field("Time of latest checkpoint")).contains("Thu Nov 26 11:17:57 2026");
        assertThat(data.field("Latest checkpoint's oldestCommitTsXid")).contains("0");
        assertThat(data.field(ControlData.MIN_RECOVERY_END_TIMELINE)).contains("0");
    }

    @Test
    void promotedReplicaWithChecksums_isRewindableAndOnItsTimeline() {
        String text = PG15_SHUT_DOWN
                .replace("shut down\n", "in production\n")
                .replace("TimeLineID:       1", "TimeLineID:       3")
                .replace(
                        "Latest checkpoint location:           0/1500700",
                        "Latest checkpoint location:           1A/FF000028")
                .replace("Data page checksum version:           0", "Data page checksum version:           1");

        ControlData data = ControlData.parse(text);

        assertThat(data.clusterState()).isEqualTo("in production");
        assertThat(data.cleanlyShutDown()).isFalse();
        assertThat(data.timeline()).isEqualTo(new Timeline(3));
        assertThat(data.latestCheckpoint()).isEqualTo(new Lsn(0x1AFF000028L));
        assertThat(data.rewindable()).isTrue();
    }

    @Test
    void walLogHintsOn_isRewindable() {
        ControlData data = ControlData.parse(PG15_SHUT_DOWN.replace(
                "wal_log_hints setting:                off", "wal_log_hints setting:                on"));

        assertThat(data.walLogHints()).isTrue();
        assertThat(data.rewindable()).isTrue();
    }

    @Test
    void missingField_isRejectedWithItsLabel() {
        String text = PG15_SHUT_DOWN.replace("Database system identifier:           7712437883701369762\n", "");

        assertThatThrownBy(() -> ControlData.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Database system identifier");
    }

    @Test
    void translatedOrGarbledOutput_isRejected() {
        assertThatThrownBy(() -> ControlData.parse("pg_controldata: error: could not open file"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
