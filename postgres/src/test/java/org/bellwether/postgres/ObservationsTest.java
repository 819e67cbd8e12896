package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.HostPort;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.LocalPostgres.DataDirectory;
import org.bellwether.core.ha.LocalPostgres.ReplicationConnection;
import org.bellwether.core.ha.LocalPostgres.RunState;
import org.bellwether.core.ha.LocalPostgres.StandbyNames;
import org.bellwether.core.slots.ExistingSlot;
import org.junit.jupiter.api.Test;

class ObservationsTest {
    private static final ControlData CONTROL = ControlData.parse(ControlDataTest.PG15_SHUT_DOWN);
    private static final Instant STARTED = Instant.parse("2026-11-26T10:00:00Z");
    private static final ExistingSlot SLOT =
            ExistingSlot.logical("cdc", "app", "pgoutput", false, Lsn.parse("0/3000028"));

    @Test
    void emptyDirectory_isMissingAndStopped() {
        LocalPostgres local = Observations.compose(false, false, Optional.empty(), Optional.empty());

        assertThat(local).isEqualTo(LocalPostgres.emptyDataDirectory());
    }

    @Test
    void stopped_reportsControlDataOnly() {
        LocalPostgres local = Observations.compose(true, false, Optional.of(CONTROL), Optional.empty());

        assertThat(local.dataDirectory()).isEqualTo(DataDirectory.INITIALIZED);
        assertThat(local.runState()).isEqualTo(RunState.STOPPED);
        assertThat(local.slots()).isEmpty();
        assertThat(local.systemId()).contains("7712437883701369762");
        assertThat(local.controlState()).contains("shut down");
        assertThat(local.timeline()).contains(Timeline.FIRST);
        assertThat(local.walPosition()).isEmpty();
    }

    @Test
    void livePostmasterWithoutConnection_isStarting() {
        LocalPostgres local = Observations.compose(true, true, Optional.of(CONTROL), Optional.empty());

        assertThat(local.runState()).isEqualTo(RunState.STARTING);
        assertThat(local.isRunning()).isFalse();
    }

    @Test
    void primary_reportsFlushLsnWalTimelineAndReplicas() {
        ReplicationConnection row = new ReplicationConnection(
                "replicator",
                "node2",
                "127.0.0.1",
                "streaming",
                "async",
                0,
                Optional.of(Lsn.parse("0/3000000")),
                Optional.of(Lsn.parse("0/3000000")));
        ServerQuery.Snapshot s = new ServerQuery.Snapshot(
                false,
                Optional.of(Lsn.parse("0/3000060")),
                Optional.of(new Timeline(2)),
                Optional.empty(),
                Optional.empty(),
                150004,
                Optional.of(STARTED),
                Optional.of(Timeline.FIRST),
                Optional.empty(),
                Optional.empty(),
                "",
                new StandbyNames("n2", true),
                List.of(row),
                List.of(SLOT));

        LocalPostgres local = Observations.compose(true, true, Optional.of(CONTROL), Optional.of(s));

        assertThat(local.isPrimary()).isTrue();
        assertThat(local.timeline()).contains(new Timeline(2));
        assertThat(local.writeLsn()).contains(Lsn.parse("0/3000060"));
        assertThat(local.walPosition()).contains(Lsn.parse("0/3000060"));
        assertThat(local.upstream()).isEmpty();
        assertThat(local.replication()).containsExactly(row);
        assertThat(local.standbyNames()).isEqualTo(new StandbyNames("n2", true));
        assertThat(local.serverVersion()).contains(150004);
        assertThat(local.postmasterStartTime()).contains(STARTED);
        assertThat(local.slots()).containsExactly(SLOT);
    }

    @Test
    void streamingReplica_reportsReceiverTimelineLsnsAndUpstreamFromConninfo() {
        ServerQuery.Snapshot s = new ServerQuery.Snapshot(
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.of(Lsn.parse("0/5000000")),
                Optional.of(Lsn.parse("0/4000000")),
                150004,
                Optional.of(STARTED),
                Optional.of(Timeline.FIRST),
                Optional.of("streaming"),
                Optional.of(new Timeline(3)),
                "user=rep host=10.0.0.1 port=5433 application_name=n2",
                StandbyNames.UNSET,
                List.of(),
                List.of());

        LocalPostgres local = Observations.compose(true, true, Optional.of(CONTROL), Optional.of(s));

        assertThat(local.isReplica()).isTrue();
        assertThat(local.streaming()).isTrue();
        assertThat(local.timeline()).contains(new Timeline(3));
        assertThat(local.writeLsn()).isEmpty();
        assertThat(local.walPosition()).contains(Lsn.parse("0/5000000"));
        assertThat(local.upstream()).contains(new HostPort("10.0.0.1", 5433));
    }

    @Test
    void disconnectedReplica_stillKnowsItsUpstream_andFallsBackToCheckpointTimeline() {
        ServerQuery.Snapshot s = new ServerQuery.Snapshot(
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(Lsn.parse("0/4000000")),
                150004,
                Optional.of(STARTED),
                Optional.of(new Timeline(2)),
                Optional.empty(),
                Optional.empty(),
                "host=db1 port=5432",
                StandbyNames.UNSET,
                List.of(),
                List.of());

        LocalPostgres local = Observations.compose(true, true, Optional.of(CONTROL), Optional.of(s));

        assertThat(local.streaming()).isFalse();
        assertThat(local.timeline()).contains(new Timeline(2));
        assertThat(local.upstream()).contains(new HostPort("db1", 5432));
        assertThat(local.walPosition()).contains(Lsn.parse("0/4000000"));
    }

    @Test
    void replicaWithoutUpstream_hasNone() {
        assertThat(Observations.upstream("")).isEmpty();
        assertThat(Observations.upstream("host='broken")).isEmpty();
    }
}
