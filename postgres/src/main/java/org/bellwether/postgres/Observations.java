package org.bellwether.postgres;

import java.util.List;
import java.util.Optional;
import org.bellwether.core.HostPort;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.LocalPostgres.DataDirectory;
import org.bellwether.core.ha.LocalPostgres.RunState;

/**
 * Puts together what the files, pg_controldata and the server said into one {@link LocalPostgres}. Pure, so every
 * combination (stopped, starting, primary, replica without receiver) is a table test.
 */
final class Observations {
    private Observations() {}

    /**
     * Also carries pg_controldata's checkpoint and recovery points ({@link LocalPostgres#controlFile()}), for
     * rejoin decisions and for {@code checkpoint_after_promote}.
     *
     * @param initialized whether the data directory holds {@code PG_VERSION}
     * @param postmasterAlive whether {@code postmaster.pid} names a live process
     * @param server the server's answers, only asked for while the postmaster lives
     */
    static LocalPostgres compose(
            boolean initialized,
            boolean postmasterAlive,
            Optional<ControlData> control,
            Optional<ServerQuery.Snapshot> server) {
        return compose(initialized, postmasterAlive, control, false, server);
    }

    /** @param backupLabel whether a {@code backup_label} file is in the data directory (a clone not started yet) */
    static LocalPostgres compose(
            boolean initialized,
            boolean postmasterAlive,
            Optional<ControlData> control,
            boolean backupLabel,
            Optional<ServerQuery.Snapshot> server) {
        return withoutControlFile(initialized, postmasterAlive, control, server)
                .withControlFile(control.map(c -> c.controlFile(backupLabel)));
    }

    private static LocalPostgres withoutControlFile(
            boolean initialized,
            boolean postmasterAlive,
            Optional<ControlData> control,
            Optional<ServerQuery.Snapshot> server) {
        DataDirectory dataDirectory = initialized ? DataDirectory.INITIALIZED : DataDirectory.MISSING_OR_EMPTY;
        Optional<String> systemId = control.map(ControlData::systemIdentifier);
        Optional<String> state = control.map(ControlData::clusterState);
        if (!postmasterAlive || server.isEmpty()) {
            return new LocalPostgres(
                    dataDirectory,
                    postmasterAlive ? RunState.STARTING : RunState.STOPPED,
                    false,
                    systemId,
                    control.map(ControlData::timeline),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    Optional.empty(),
                    List.of(),
                    state,
                    Optional.empty(),
                    Optional.empty());
        }
        ServerQuery.Snapshot s = server.get();
        boolean replica = s.inRecovery();
        Optional<Timeline> timeline = (replica ? s.receivedTimeline() : s.walTimeline())
                .or(s::checkpointTimeline)
                .or(() -> control.map(ControlData::timeline));
        return new LocalPostgres(
                        dataDirectory,
                        RunState.RUNNING,
                        replica,
                        systemId,
                        timeline,
                        replica ? Optional.empty() : s.flushLsn(),
                        replica ? s.receiveLsn() : Optional.empty(),
                        replica ? s.replayLsn() : Optional.empty(),
                        replica
                                && s.receiverStatus()
                                        .filter("streaming"::equals)
                                        .isPresent(),
                        replica ? upstream(s.primaryConninfo()) : Optional.empty(),
                        s.replication(),
                        state,
                        Optional.of(s.serverVersion()),
                        s.postmasterStartTime())
                .withStandbyNames(s.standbyNames())
                .withSlots(s.slots());
    }

    /** The upstream a replica is configured to stream from, known even while it is disconnected. */
    static Optional<HostPort> upstream(String primaryConninfo) {
        if (primaryConninfo.isBlank()) {
            return Optional.empty();
        }
        try {
            return ConnInfo.parse(primaryConninfo).hostPort();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
