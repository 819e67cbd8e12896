package org.bellwether.core.ha;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.HostPort;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;

/** Builders for the rejoin, restart and history tests: control files, leader timelines, settings. */
final class RejoinFixtures {
    static final HostPort N2_PG = new HostPort("127.0.0.1", 542);
    static final Upstream N2 = new Upstream("n2", N2_PG);
    /** Where timeline 1 ended when n2 was promoted. */
    static final long SWITCH = 5000;

    private RejoinFixtures() {}

    static HistoryEntry line(int timeline, long lsn) {
        return new HistoryEntry(
                new Timeline(timeline),
                new Lsn(lsn),
                "no recovery target specified",
                Optional.empty(),
                Optional.empty());
    }

    static HistoryEntry line(int timeline, long lsn, String timestamp, String leader) {
        return new HistoryEntry(
                new Timeline(timeline),
                new Lsn(lsn),
                "no recovery target specified",
                Optional.of(timestamp),
                Optional.of(leader));
    }

    /** n2 on timeline 2, promoted at {@link #SWITCH}. */
    static LeaderTimeline.Known n2OnTimeline2() {
        return new LeaderTimeline.Known("n2", new Timeline(2), List.of(line(1, SWITCH)));
    }

    static LocalPostgres.ControlFile control(int checkpointTimeline, long checkpoint, boolean rewindable) {
        return new LocalPostgres.ControlFile(
                new Lsn(checkpoint),
                new Timeline(checkpointTimeline),
                Optional.empty(),
                Optional.empty(),
                rewindable,
                false);
    }

    /** A former primary shut down cleanly, its last checkpoint at {@code checkpoint}. */
    static LocalPostgres stoppedPrimary(int timeline, long checkpoint) {
        return Fixtures.stopped("shut down").withControlFile(Optional.of(control(timeline, checkpoint, true)));
    }

    /** A replica shut down cleanly after replaying up to {@code replayed}. */
    static LocalPostgres stoppedReplica(int timeline, long replayed) {
        var control = new LocalPostgres.ControlFile(
                new Lsn(100),
                new Timeline(timeline),
                Optional.of(new Lsn(replayed)),
                Optional.of(new Timeline(timeline)),
                true,
                false);
        return Fixtures.stopped("shut down in recovery").withControlFile(Optional.of(control));
    }

    /** A primary that crashed: not shut down cleanly. */
    static LocalPostgres crashedPrimary() {
        return Fixtures.stopped("in production").withControlFile(Optional.of(control(1, 4000, true)));
    }

    static LocalPostgres notRewindable(LocalPostgres local) {
        var c = local.controlFile().orElseThrow();
        return local.withControlFile(Optional.of(new LocalPostgres.ControlFile(
                c.latestCheckpoint(),
                c.checkpointTimeline(),
                c.minRecoveryEnd(),
                c.minRecoveryEndTimeline(),
                false,
                c.backupLabel())));
    }

    /** A running replica on {@code timeline} that has WAL up to {@code lsn}. */
    static LocalPostgres runningReplica(int timeline, long lsn, Optional<HostPort> upstream, boolean streaming) {
        LocalPostgres r = Fixtures.running(true, lsn, timeline, upstream);
        return new LocalPostgres(
                        r.dataDirectory(),
                        r.runState(),
                        r.inRecovery(),
                        r.systemId(),
                        r.timeline(),
                        r.writeLsn(),
                        r.receiveLsn(),
                        r.replayLsn(),
                        streaming,
                        r.upstream(),
                        r.replication(),
                        r.controlState(),
                        r.serverVersion(),
                        r.postmasterStartTime())
                .withControlFile(Optional.of(control(timeline, 100, true)));
    }

    /** The leader's member key: n2, primary, running, on {@code timeline}. */
    static Member leaderMember(int timeline, Optional<Boolean> checkpointAfterPromote) {
        Member m = Fixtures.member("n2", MemberRole.PRIMARY, "running");
        return new Member(
                m.name(),
                m.apiUrl(),
                m.connUrl(),
                m.state(),
                m.role(),
                m.version(),
                Optional.of(new Lsn(9000)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new Timeline(timeline)),
                Tags.NONE,
                false,
                false,
                checkpointAfterPromote,
                new TreeMap<>());
    }

    /** Led by n2 on timeline 2, with {@code postgresql} settings from {@code flags} (e.g. use_pg_rewind). */
    static ClusterView ledByN2(Map<String, Object> flags, Optional<Boolean> checkpointAfterPromote) {
        TreeMap<String, Object> raw = new TreeMap<>();
        raw.put("postgresql", new TreeMap<>(flags));
        return new Fixtures.Cluster()
                .leader("n2")
                .config(raw)
                .members(leaderMember(2, checkpointAfterPromote))
                .build();
    }

    static ClusterView ledByN2(Map<String, Object> flags) {
        return ledByN2(flags, Optional.empty());
    }

    static Observation observe(ClusterView cluster, LocalPostgres local, Optional<LeaderTimeline> leader) {
        return withLeaderTimeline(Fixtures.observe(cluster, local), leader);
    }

    static Observation withLeaderTimeline(Observation obs, Optional<LeaderTimeline> leader) {
        return new Observation(
                obs.self(),
                obs.now(),
                obs.wallTime(),
                obs.dcs(),
                obs.local(),
                obs.operation(),
                obs.peers(),
                obs.lockDeadline(),
                obs.lastKnownSettings(),
                obs.shutdownRequested(),
                leader,
                obs.ops(),
                obs.watchdogFailed(),
                obs.failsafe());
    }

    /** With an operation, keeping the fetched leader timeline. */
    static Observation withOperation(Observation obs, Operation operation) {
        return withLeaderTimeline(Fixtures.withOperation(obs, operation), obs.leaderTimeline());
    }

    static Operation finished(Action.Kind kind, Operation.Phase phase) {
        return new Operation(
                kind, phase, Duration.ZERO, phase == Operation.Phase.FAILED ? Optional.of("boom") : Optional.empty());
    }
}
