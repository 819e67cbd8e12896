package org.bellwether.agent.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SyncState;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.slots.SlotReport;
import org.bellwether.core.status.NodeStatus;

/**
 * Hand-built snapshots of one three-node cluster seen from different nodes: node1 leads (primary, lock valid until
 * {@link #LOCK_DEADLINE}), node2 streams and is the synchronous standby, node3 lags 64 MB behind, node4 is tagged
 * noloadbalance, node5 is stopped.
 */
public final class Snapshots {
    public static final Duration NOW = Duration.ofSeconds(5_000);
    static final Duration TTL = Duration.ofSeconds(30);
    public static final Duration LOCK_DEADLINE = NOW.plusSeconds(20);
    static final long OPTIME = 100L << 20;
    static final Instant STARTED = Instant.parse("2024-05-01T10:00:00.250Z");
    static final Instant DCS_SEEN = Instant.parse("2024-05-01T12:00:00Z");
    static final Map<String, Object> CONFIG = Map.of("ttl", 30, "loop_wait", 10, "synchronous_mode", true);

    private Snapshots() {}

    public static NodeStatus primaryWithLock() {
        LocalPostgres local = local(false, Optional.of(new Lsn(OPTIME)), Optional.empty(), Optional.empty(), false);
        local = withReplication(local);
        return status("node1", "running", local, Optional.of(LOCK_DEADLINE), Tags.NONE, cluster(CONFIG));
    }

    public static NodeStatus streamingReplica() {
        LocalPostgres local = local(true, Optional.empty(), lsn(OPTIME), lsn(OPTIME - 100), true);
        return status("node2", "running", local, Optional.empty(), Tags.NONE, cluster(CONFIG));
    }

    static NodeStatus laggingReplica() {
        LocalPostgres local = local(true, Optional.empty(), lsn(OPTIME), lsn(OPTIME - (64L << 20)), true);
        return status("node3", "running", local, Optional.empty(), Tags.NONE, cluster(CONFIG));
    }

    static NodeStatus noLoadBalanceReplica() {
        LocalPostgres local = local(true, Optional.empty(), lsn(OPTIME), lsn(OPTIME), true);
        Tags tags = Tags.of(new TreeMap<>(Map.of("noloadbalance", true, "zone", "b")));
        return status("node4", "running", local, Optional.empty(), tags, cluster(CONFIG));
    }

    static NodeStatus stopped() {
        LocalPostgres local = new LocalPostgres(
                LocalPostgres.DataDirectory.INITIALIZED,
                LocalPostgres.RunState.STOPPED,
                false,
                Optional.of("7300000000000000001"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                List.of(),
                Optional.of("shut down in recovery"),
                Optional.empty(),
                Optional.empty());
        return status("node5", "stopped", local, Optional.empty(), Tags.NONE, cluster(CONFIG));
    }

    static NodeStatus withoutConfig(NodeStatus status) {
        return withCluster(status, cluster(null));
    }

    static NodeStatus withoutDcs(NodeStatus status) {
        return withCluster(status, null);
    }

    /** The same node in a cluster with {@code failsafe_mode: true}. */
    static NodeStatus failsafeMode(NodeStatus status) {
        Map<String, Object> config = new TreeMap<>(CONFIG);
        config.put("failsafe_mode", true);
        return withCluster(status, cluster(config));
    }

    public static NodeStatus paused(NodeStatus status) {
        Map<String, Object> config = new TreeMap<>(CONFIG);
        config.put("pause", true);
        return withCluster(status, cluster(config));
    }

    /** The same node with {@code report} as the last decision's slot report. */
    static NodeStatus withSlots(NodeStatus s, SlotReport report) {
        return new NodeStatus(
                s.scope(),
                s.name(),
                s.apiUrl(),
                s.connUrl(),
                s.postgresState(),
                s.local(),
                s.cluster(),
                s.dcsLastSeen(),
                s.lockDeadline(),
                s.lastCycleAt(),
                s.settings(),
                s.tags(),
                s.lastReason(),
                s.version(),
                s.watchdogFailed(),
                s.failsafeActive(),
                report);
    }

    static NodeStatus withCluster(NodeStatus s, ClusterView cluster) {
        return new NodeStatus(
                s.scope(),
                s.name(),
                s.apiUrl(),
                s.connUrl(),
                s.postgresState(),
                s.local(),
                Optional.ofNullable(cluster),
                s.dcsLastSeen(),
                s.lockDeadline(),
                s.lastCycleAt(),
                cluster == null
                        ? s.settings()
                        : cluster.config().map(ClusterConfig::settings).orElse(s.settings()),
                s.tags(),
                s.lastReason(),
                s.version(),
                s.watchdogFailed(),
                s.failsafeActive(),
                s.slots());
    }

    private static NodeStatus status(
            String name,
            String state,
            LocalPostgres local,
            Optional<Duration> lockDeadline,
            Tags tags,
            ClusterView cluster) {
        return new NodeStatus(
                "demo",
                name,
                apiUrl(name),
                connUrl(name),
                state,
                local,
                Optional.of(cluster),
                Optional.of(DCS_SEEN),
                lockDeadline,
                NOW.minusSeconds(2),
                HaSettings.from(CONFIG),
                tags,
                Optional.empty(),
                "4.0.3",
                false,
                false,
                SlotReport.NONE);
    }

    private static LocalPostgres local(
            boolean inRecovery, Optional<Lsn> write, Optional<Lsn> receive, Optional<Lsn> replay, boolean streaming) {
        return new LocalPostgres(
                LocalPostgres.DataDirectory.INITIALIZED,
                LocalPostgres.RunState.RUNNING,
                inRecovery,
                Optional.of("7300000000000000001"),
                Optional.of(new Timeline(3)),
                write,
                receive,
                replay,
                streaming,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.of(160004),
                Optional.of(STARTED));
    }

    private static LocalPostgres withReplication(LocalPostgres l) {
        List<LocalPostgres.ReplicationConnection> rows = List.of(new LocalPostgres.ReplicationConnection(
                "replicator", "node2", "127.0.0.2", "streaming", "sync", 1, lsn(OPTIME), lsn(OPTIME - 100)));
        return new LocalPostgres(
                l.dataDirectory(),
                l.runState(),
                l.inRecovery(),
                l.systemId(),
                l.timeline(),
                l.writeLsn(),
                l.receiveLsn(),
                l.replayLsn(),
                l.streaming(),
                l.upstream(),
                rows,
                l.controlState(),
                l.serverVersion(),
                l.postmasterStartTime());
    }

    /** The cluster as every node read it; {@code config == null} means the config key is absent. */
    static ClusterView cluster(Map<String, Object> config) {
        List<Member> members = List.of(
                member("node3", MemberRole.REPLICA, "running", lsn(OPTIME), lsn(OPTIME - (64L << 20)), Tags.NONE),
                member("node1", MemberRole.PRIMARY, "running", Optional.empty(), Optional.empty(), Tags.NONE),
                member("node2", MemberRole.REPLICA, "running", lsn(OPTIME), lsn(OPTIME - 100), Tags.NONE),
                member(
                        "node4",
                        MemberRole.REPLICA,
                        "running",
                        lsn(OPTIME),
                        lsn(OPTIME),
                        Tags.of(new TreeMap<>(Map.of("noloadbalance", true, "zone", "b")))),
                member("node5", MemberRole.REPLICA, "stopped", Optional.empty(), Optional.empty(), Tags.NONE));
        return new ClusterView(
                Optional.of("7300000000000000001"),
                Optional.ofNullable(config).map(c -> new ClusterConfig(new TreeMap<>(c), 7)),
                Optional.of(new ClusterView.LeaderKey("node1", 3)),
                members,
                Optional.of(new Lsn(OPTIME)),
                new TreeMap<>(),
                List.of(
                        new HistoryEntry(
                                new Timeline(1),
                                new Lsn(50331808),
                                "no recovery target specified",
                                Optional.empty(),
                                Optional.empty()),
                        new HistoryEntry(
                                new Timeline(2),
                                new Lsn(83886240),
                                "no recovery target specified",
                                Optional.of("2024-05-01T11:00:00.000000+00:00"),
                                Optional.of("node1"))),
                Optional.empty(),
                Optional.of(new SyncState(Optional.of("node1"), List.of("node2"), 1, 5)),
                Optional.empty());
    }

    private static Member member(
            String name, MemberRole role, String state, Optional<Lsn> receive, Optional<Lsn> replay, Tags tags) {
        boolean primary = role == MemberRole.PRIMARY;
        Optional<Lsn> xlog = primary
                ? Optional.of(new Lsn(OPTIME))
                : receive.isPresent() ? Optional.of(Lsn.max(receive.get(), replay.orElse(Lsn.ZERO))) : Optional.empty();
        SortedMap<String, Object> extra = new TreeMap<>();
        return new Member(
                name,
                Optional.of(apiUrl(name)),
                Optional.of(connUrl(name)),
                state,
                role,
                Optional.of("4.0.3"),
                xlog,
                receive,
                replay,
                primary || receive.isEmpty() ? Optional.empty() : Optional.of("streaming"),
                Optional.of(new Timeline(3)),
                tags,
                false,
                false,
                Optional.empty(),
                extra);
    }

    private static Optional<Lsn> lsn(long value) {
        return Optional.of(new Lsn(value));
    }

    static String apiUrl(String name) {
        return "http://127.0.0." + name.charAt(4) + ":8008/patroni";
    }

    private static String connUrl(String name) {
        return "postgres://127.0.0." + name.charAt(4) + ":5432/postgres";
    }
}
