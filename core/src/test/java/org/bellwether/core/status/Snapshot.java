package org.bellwether.core.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SyncState;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.slots.SlotReport;

/** Builds {@link NodeStatus} snapshots for table tests, judged at {@link #NOW}. */
final class Snapshot {
    static final Duration NOW = Duration.ofSeconds(10_000);
    static final String NAME = "node1";

    private boolean running = true;
    private boolean inRecovery;
    private boolean streaming = true;
    private String state = "running";
    private Optional<Duration> lockDeadline = Optional.empty();
    private boolean dcsRead = true;
    private final TreeMap<String, Object> config = new TreeMap<>();
    private final TreeMap<String, Object> tags = new TreeMap<>();
    private long optime;
    private long replay;
    private long receive;
    private List<String> syncStandbys = List.of();
    private Duration lastCycleAgo = Duration.ofSeconds(1);

    static Snapshot primary() {
        return new Snapshot().position(5_000_000, 0, 0);
    }

    static Snapshot primaryWithLock() {
        return primary().withLock();
    }

    static Snapshot replica() {
        Snapshot s = new Snapshot().position(5_000_000, 5_000_000, 5_000_000);
        s.inRecovery = true;
        return s;
    }

    static Snapshot stopped() {
        Snapshot s = replica();
        s.running = false;
        s.state = "stopped";
        return s;
    }

    /** A primary whose PostgreSQL is being stopped (a switchover's shutdown), still running for now. */
    Snapshot stopping() {
        state = "stopping";
        return this;
    }

    /** A primary observed running whose stop has finished since (the operation says so, the observation not yet). */
    Snapshot stoppedSinceObserved() {
        state = "stopped";
        return this;
    }

    Snapshot withLock() {
        lockDeadline = Optional.of(NOW.plusSeconds(10));
        return this;
    }

    Snapshot lockExpiredAgo(Duration ago) {
        lockDeadline = Optional.of(NOW.minus(ago));
        return this;
    }

    /** The leader's optime, and this node's replayed and received positions. */
    Snapshot position(long optime, long replay, long receive) {
        this.optime = optime;
        this.replay = replay;
        this.receive = receive;
        return this;
    }

    Snapshot notStreaming() {
        streaming = false;
        return this;
    }

    Snapshot withoutDcs() {
        dcsRead = false;
        return this;
    }

    Snapshot config(String key, Object value) {
        config.put(key, value);
        return this;
    }

    Snapshot standbyCluster() {
        return config("standby_cluster", Map.of("host", "remote", "port", 5432));
    }

    Snapshot paused() {
        return config("pause", true);
    }

    Snapshot syncMode(String mode, String... standbys) {
        syncStandbys = List.of(standbys);
        return config("synchronous_mode", mode);
    }

    Snapshot tag(String key, Object value) {
        tags.put(key, value);
        return this;
    }

    Snapshot lastCycleAgo(Duration ago) {
        lastCycleAgo = ago;
        return this;
    }

    NodeStatus build() {
        LocalPostgres local = new LocalPostgres(
                LocalPostgres.DataDirectory.INITIALIZED,
                running ? LocalPostgres.RunState.RUNNING : LocalPostgres.RunState.STOPPED,
                inRecovery,
                Optional.of("7000000000000000001"),
                running ? Optional.of(new Timeline(2)) : Optional.empty(),
                running && !inRecovery ? Optional.of(new Lsn(optime)) : Optional.empty(),
                running && inRecovery ? Optional.of(new Lsn(receive)) : Optional.empty(),
                running && inRecovery ? Optional.of(new Lsn(replay)) : Optional.empty(),
                running && inRecovery && streaming,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.of(160004),
                Optional.empty());
        return new NodeStatus(
                "demo",
                NAME,
                "http://127.0.0.1:8008/patroni",
                "postgres://127.0.0.1:5432/postgres",
                state,
                local,
                dcsRead ? Optional.of(cluster()) : Optional.empty(),
                Optional.empty(),
                lockDeadline,
                NOW.minus(lastCycleAgo),
                HaSettings.from(config),
                Tags.of(tags),
                Optional.empty(),
                "4.0.0",
                false,
                false,
                SlotReport.NONE);
    }

    private ClusterView cluster() {
        MemberRole role = inRecovery ? MemberRole.REPLICA : MemberRole.PRIMARY;
        Member self =
                Member.of(NAME, "http://127.0.0.1:8008/patroni", "postgres://127.0.0.1:5432/postgres", state, role);
        return new ClusterView(
                Optional.of("7000000000000000001"),
                Optional.of(new ClusterConfig(config, 1)),
                lockDeadline.isPresent() ? Optional.of(new ClusterView.LeaderKey(NAME, 1)) : Optional.empty(),
                List.of(self),
                optime > 0 ? Optional.of(new Lsn(optime)) : Optional.empty(),
                new TreeMap<>(),
                List.of(),
                Optional.empty(),
                syncStandbys.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new SyncState(Optional.of("leader"), syncStandbys, 1, 1)),
                Optional.empty());
    }
}
