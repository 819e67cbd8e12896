package org.bellwether.core.ha;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.HostPort;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.slots.ExistingSlot;

/**
 * What the agent observed of its own PostgreSQL this cycle. {@code systemId} and {@code controlState} come from
 * {@code pg_controldata} and are known even while PostgreSQL is stopped; the LSNs and replication rows only while it
 * runs.
 *
 * <p>{@code controlFile} is the rest of pg_controldata that rejoin decisions need (empty when it could not be read);
 * {@code timelineHistory} is the content of the current timeline's {@code .history} file, read on a primary only.
 */
public record LocalPostgres(
        DataDirectory dataDirectory,
        RunState runState,
        boolean inRecovery,
        Optional<String> systemId,
        Optional<Timeline> timeline,
        Optional<Lsn> writeLsn,
        Optional<Lsn> receiveLsn,
        Optional<Lsn> replayLsn,
        boolean streaming,
        Optional<HostPort> upstream,
        List<ReplicationConnection> replication,
        Optional<String> controlState,
        Optional<Integer> serverVersion,
        Optional<Instant> postmasterStartTime,
        Optional<ControlFile> controlFile,
        List<HistoryEntry> timelineHistory,
        StandbyNames standbyNames,
        List<ExistingSlot> slots) {

    public LocalPostgres {
        replication = List.copyOf(replication);
        timelineHistory = List.copyOf(timelineHistory);
        slots = List.copyOf(slots);
    }

    /** Without the replication slots: what observers that do not read them report. */
    public LocalPostgres(
            DataDirectory dataDirectory,
            RunState runState,
            boolean inRecovery,
            Optional<String> systemId,
            Optional<Timeline> timeline,
            Optional<Lsn> writeLsn,
            Optional<Lsn> receiveLsn,
            Optional<Lsn> replayLsn,
            boolean streaming,
            Optional<HostPort> upstream,
            List<ReplicationConnection> replication,
            Optional<String> controlState,
            Optional<Integer> serverVersion,
            Optional<Instant> postmasterStartTime,
            Optional<ControlFile> controlFile,
            List<HistoryEntry> timelineHistory,
            StandbyNames standbyNames) {
        this(
                dataDirectory,
                runState,
                inRecovery,
                systemId,
                timeline,
                writeLsn,
                receiveLsn,
                replayLsn,
                streaming,
                upstream,
                replication,
                controlState,
                serverVersion,
                postmasterStartTime,
                controlFile,
                timelineHistory,
                standbyNames,
                List.of());
    }

    /** Without the synchronous standby setting: what observers that do not read it report. */
    public LocalPostgres(
            DataDirectory dataDirectory,
            RunState runState,
            boolean inRecovery,
            Optional<String> systemId,
            Optional<Timeline> timeline,
            Optional<Lsn> writeLsn,
            Optional<Lsn> receiveLsn,
            Optional<Lsn> replayLsn,
            boolean streaming,
            Optional<HostPort> upstream,
            List<ReplicationConnection> replication,
            Optional<String> controlState,
            Optional<Integer> serverVersion,
            Optional<Instant> postmasterStartTime,
            Optional<ControlFile> controlFile,
            List<HistoryEntry> timelineHistory) {
        this(
                dataDirectory,
                runState,
                inRecovery,
                systemId,
                timeline,
                writeLsn,
                receiveLsn,
                replayLsn,
                streaming,
                upstream,
                replication,
                controlState,
                serverVersion,
                postmasterStartTime,
                controlFile,
                timelineHistory,
                StandbyNames.UNSET);
    }

    /**
     * {@code synchronous_standby_names} as the running server uses it, and whether the agent set it (it comes from
     * postgresql.auto.conf, where the agent writes it with ALTER SYSTEM) rather than the configuration.
     */
    public record StandbyNames(String value, boolean setByAgent) {
        public static final StandbyNames UNSET = new StandbyNames("", false);
    }

    /** Without control file details and timeline history: what observers that do not read them report. */
    public LocalPostgres(
            DataDirectory dataDirectory,
            RunState runState,
            boolean inRecovery,
            Optional<String> systemId,
            Optional<Timeline> timeline,
            Optional<Lsn> writeLsn,
            Optional<Lsn> receiveLsn,
            Optional<Lsn> replayLsn,
            boolean streaming,
            Optional<HostPort> upstream,
            List<ReplicationConnection> replication,
            Optional<String> controlState,
            Optional<Integer> serverVersion,
            Optional<Instant> postmasterStartTime) {
        this(
                dataDirectory,
                runState,
                inRecovery,
                systemId,
                timeline,
                writeLsn,
                receiveLsn,
                replayLsn,
                streaming,
                upstream,
                replication,
                controlState,
                serverVersion,
                postmasterStartTime,
                Optional.empty(),
                List.of());
    }

    /**
     * The parts of {@code pg_controldata} that say where this data directory's history ends, and whether pg_rewind
     * can work on it.
     *
     * @param minRecoveryEnd {@code Minimum recovery ending location}; empty when {@code 0/0} (it never ran as a
     *     replica since its last checkpoint)
     * @param minRecoveryEndTimeline {@code Min recovery ending loc's timeline}; empty when 0
     * @param rewindable {@code wal_log_hints} on or data checksums enabled
     * @param backupLabel a {@code backup_label} file is present: a base backup (a fresh clone) that has not started
     *     yet, whose control file describes its source; its first start replays the backup's WAL
     */
    public record ControlFile(
            Lsn latestCheckpoint,
            Timeline checkpointTimeline,
            Optional<Lsn> minRecoveryEnd,
            Optional<Timeline> minRecoveryEndTimeline,
            boolean rewindable,
            boolean backupLabel) {}

    public LocalPostgres withControlFile(Optional<ControlFile> control) {
        return with(timeline, control, timelineHistory, standbyNames);
    }

    public LocalPostgres withTimeline(Optional<Timeline> value) {
        return with(value, controlFile, timelineHistory, standbyNames);
    }

    public LocalPostgres withTimelineHistory(List<HistoryEntry> history) {
        return with(timeline, controlFile, history, standbyNames);
    }

    public LocalPostgres withStandbyNames(StandbyNames value) {
        return with(timeline, controlFile, timelineHistory, value);
    }

    /** This state with the replication slots PostgreSQL reported (temporary ones left out). */
    public LocalPostgres withSlots(List<ExistingSlot> value) {
        return new LocalPostgres(
                dataDirectory,
                runState,
                inRecovery,
                systemId,
                timeline,
                writeLsn,
                receiveLsn,
                replayLsn,
                streaming,
                upstream,
                replication,
                controlState,
                serverVersion,
                postmasterStartTime,
                controlFile,
                timelineHistory,
                standbyNames,
                value);
    }

    /** This state with the parts read after the main query (or by other means) in place of this one's. */
    private LocalPostgres with(
            Optional<Timeline> tl, Optional<ControlFile> control, List<HistoryEntry> history, StandbyNames names) {
        return new LocalPostgres(
                dataDirectory,
                runState,
                inRecovery,
                systemId,
                tl,
                writeLsn,
                receiveLsn,
                replayLsn,
                streaming,
                upstream,
                replication,
                controlState,
                serverVersion,
                postmasterStartTime,
                control,
                history,
                names,
                slots);
    }

    /**
     * A primary whose last checkpoint is still on an older timeline: it was promoted and the first checkpoint after
     * the promotion has not finished. Until it has, pg_rewind against it would see the old timeline in its
     * pg_control and find nothing to rewind, so the leader says {@code checkpoint_after_promote: false} meanwhile.
     */
    public boolean awaitingCheckpointAfterPromote() {
        if (!isPrimary() || controlFile.isEmpty() || timeline.isEmpty()) {
            return false;
        }
        return controlFile.get().checkpointTimeline().isBefore(timeline.get());
    }

    /** Whether the data directory holds a cluster at all. */
    public enum DataDirectory {
        MISSING_OR_EMPTY,
        INITIALIZED
    }

    /** Whether the postmaster runs, and whether it answers queries yet. */
    public enum RunState {
        STOPPED,
        STARTING,
        RUNNING
    }

    public static LocalPostgres emptyDataDirectory() {
        return new LocalPostgres(
                DataDirectory.MISSING_OR_EMPTY,
                RunState.STOPPED,
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    public boolean isRunning() {
        return runState == RunState.RUNNING;
    }

    public boolean isPrimary() {
        return isRunning() && !inRecovery;
    }

    public boolean isReplica() {
        return isRunning() && inRecovery;
    }

    /** The WAL position this node would bring to a leader race. */
    public Optional<Lsn> walPosition() {
        if (!inRecovery) {
            return writeLsn;
        }
        if (receiveLsn.isEmpty()) {
            return replayLsn;
        }
        return replayLsn.map(r -> Lsn.max(r, receiveLsn.get())).or(() -> receiveLsn);
    }

    /** One row of {@code pg_stat_replication} on this node. */
    public record ReplicationConnection(
            String usename,
            String applicationName,
            String clientAddr,
            String state,
            String syncState,
            int syncPriority,
            Optional<Lsn> flushLsn,
            Optional<Lsn> replayLsn) {}
}
