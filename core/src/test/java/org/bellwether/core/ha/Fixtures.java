package org.bellwether.core.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.HostPort;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;

/** Builders for observations in the shapes the tests need; every value not set is the ordinary one. */
final class Fixtures {
    static final String SELF = "n1";
    static final String SYSID = "7000000000000000001";

    private Fixtures() {}

    static Member member(String name, MemberRole role, String state) {
        return Member.of(
                name,
                "http://127.0.0.1:80" + name.substring(1) + "/patroni",
                "postgres://127.0.0.1:54" + name.substring(1) + "/postgres",
                state,
                role);
    }

    static Member memberAt(String name, MemberRole role, Lsn lsn) {
        Member m = member(name, role, "running");
        return new Member(
                m.name(),
                m.apiUrl(),
                m.connUrl(),
                m.state(),
                m.role(),
                m.version(),
                Optional.of(lsn),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(Timeline.FIRST),
                Tags.NONE,
                false,
                false,
                Optional.empty(),
                new TreeMap<>());
    }

    /** {@code m} with the given replication state and tags, and none of its other optional fields. */
    static Member withTags(Member m, Optional<String> replicationState, Tags tags) {
        return new Member(
                m.name(),
                m.apiUrl(),
                m.connUrl(),
                m.state(),
                m.role(),
                m.version(),
                m.xlogLocation(),
                m.receiveLsn(),
                m.replayLsn(),
                replicationState,
                m.timeline(),
                tags,
                false,
                false,
                Optional.empty(),
                new TreeMap<>());
    }

    static final class Cluster {
        Optional<String> initialize = Optional.of(SYSID);
        Optional<ClusterConfig> config = Optional.of(new ClusterConfig(new TreeMap<>(), 1));
        Optional<ClusterView.LeaderKey> leader = Optional.empty();
        Optional<SortedMap<String, String>> failsafe = Optional.empty();
        List<Member> members = new ArrayList<>();
        Optional<Lsn> optime = Optional.empty();
        List<HistoryEntry> history = new ArrayList<>();

        Cluster leader(String name) {
            leader = Optional.of(new ClusterView.LeaderKey(name, 7));
            return this;
        }

        Cluster noInitialize() {
            initialize = Optional.empty();
            return this;
        }

        Cluster initializing() {
            initialize = Optional.of("");
            return this;
        }

        Cluster noConfig() {
            config = Optional.empty();
            return this;
        }

        Cluster config(SortedMap<String, Object> raw) {
            config = Optional.of(new ClusterConfig(raw, 2));
            return this;
        }

        Cluster members(Member... all) {
            members.addAll(List.of(all));
            return this;
        }

        Cluster optime(long lsn) {
            optime = Optional.of(new Lsn(lsn));
            return this;
        }

        Cluster failsafe(SortedMap<String, String> members) {
            failsafe = Optional.of(members);
            return this;
        }

        Cluster promotedOnce() {
            history.add(new HistoryEntry(
                    Timeline.FIRST, new Lsn(100), "no recovery target specified", Optional.empty(), Optional.empty()));
            return this;
        }

        ClusterView build() {
            return new ClusterView(
                    initialize,
                    config,
                    leader,
                    members,
                    optime,
                    new TreeMap<>(),
                    history,
                    Optional.empty(),
                    Optional.empty(),
                    failsafe);
        }
    }

    static LocalPostgres primary(long lsn, int timeline) {
        return running(false, lsn, timeline, Optional.empty());
    }

    static LocalPostgres replica(long lsn, Optional<HostPort> upstream) {
        return running(true, lsn, 1, upstream);
    }

    static LocalPostgres running(boolean inRecovery, long lsn, int timeline, Optional<HostPort> upstream) {
        Optional<Lsn> position = Optional.of(new Lsn(lsn));
        return new LocalPostgres(
                LocalPostgres.DataDirectory.INITIALIZED,
                LocalPostgres.RunState.RUNNING,
                inRecovery,
                Optional.of(SYSID),
                Optional.of(new Timeline(timeline)),
                inRecovery ? Optional.empty() : position,
                inRecovery ? position : Optional.empty(),
                inRecovery ? position : Optional.empty(),
                inRecovery && upstream.isPresent(),
                upstream,
                List.of(),
                Optional.of(inRecovery ? "in archive recovery" : "in production"),
                Optional.of(150000),
                Optional.empty());
    }

    /** A primary whose walsenders stream to these members (application_name is the member's name). */
    static LocalPostgres primaryStreamingTo(long lsn, String... members) {
        return primaryWith(
                lsn,
                LocalPostgres.StandbyNames.UNSET,
                java.util.Arrays.stream(members)
                        .map(m -> walsender(m, "streaming", lsn))
                        .toArray(LocalPostgres.ReplicationConnection[]::new));
    }

    /** One {@code pg_stat_replication} row of an asynchronous standby. */
    static LocalPostgres.ReplicationConnection walsender(String member, String state, long flushed) {
        Optional<Lsn> position = Optional.of(new Lsn(flushed));
        return new LocalPostgres.ReplicationConnection(
                "replicator", member, "127.0.0.1", state, "async", 0, position, position);
    }

    /** A primary with these replication rows and this {@code synchronous_standby_names}. */
    static LocalPostgres primaryWith(
            long lsn, LocalPostgres.StandbyNames names, LocalPostgres.ReplicationConnection... rows) {
        LocalPostgres p = primary(lsn, 1);
        return new LocalPostgres(
                        p.dataDirectory(),
                        p.runState(),
                        p.inRecovery(),
                        p.systemId(),
                        p.timeline(),
                        p.writeLsn(),
                        p.receiveLsn(),
                        p.replayLsn(),
                        p.streaming(),
                        p.upstream(),
                        List.of(rows),
                        p.controlState(),
                        p.serverVersion(),
                        p.postmasterStartTime())
                .withStandbyNames(names);
    }

    /** The same cluster with nobody holding the leader lock. */
    static ClusterView unlocked(ClusterView c) {
        return new ClusterView(
                c.initialize(),
                c.config(),
                Optional.empty(),
                c.members(),
                c.optime(),
                c.slots(),
                c.history(),
                c.failover(),
                c.sync(),
                c.failsafe());
    }

    static LocalPostgres stopped(String controlState) {
        return new LocalPostgres(
                LocalPostgres.DataDirectory.INITIALIZED,
                LocalPostgres.RunState.STOPPED,
                false,
                Optional.of(SYSID),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                List.of(),
                Optional.of(controlState),
                Optional.empty(),
                Optional.empty());
    }

    static LocalPostgres withSystemId(LocalPostgres local, String systemId) {
        return new LocalPostgres(
                local.dataDirectory(),
                local.runState(),
                local.inRecovery(),
                Optional.of(systemId),
                local.timeline(),
                local.writeLsn(),
                local.receiveLsn(),
                local.replayLsn(),
                local.streaming(),
                local.upstream(),
                local.replication(),
                local.controlState(),
                local.serverVersion(),
                local.postmasterStartTime());
    }

    static NodeIdentity self(Tags tags) {
        TreeMap<String, Object> dcs = new TreeMap<>();
        dcs.put("ttl", 30);
        return new NodeIdentity(SELF, tags, dcs);
    }

    static Tags tags(String key, Object value) {
        TreeMap<String, Object> raw = new TreeMap<>();
        raw.put(key, value);
        return Tags.of(raw);
    }

    static Observation observe(ClusterView cluster, LocalPostgres local) {
        return observe(cluster, local, new TreeMap<>(), Tags.NONE);
    }

    static Observation observe(
            ClusterView cluster, LocalPostgres local, SortedMap<String, PeerStatus> peers, Tags tags) {
        return new Observation(
                self(tags),
                Duration.ofSeconds(100),
                Instant.parse("2026-01-01T00:00:00Z"),
                new DcsView.Available(cluster),
                local,
                Optional.empty(),
                peers,
                Optional.empty(),
                cluster.config().map(c -> c.settings()).orElse(HaSettings.defaults()),
                false);
    }

    static Observation withOperation(Observation obs, Operation operation) {
        return new Observation(
                obs.self(),
                obs.now(),
                obs.wallTime(),
                obs.dcs(),
                obs.local(),
                Optional.of(operation),
                obs.peers(),
                obs.lockDeadline(),
                obs.lastKnownSettings(),
                obs.shutdownRequested());
    }

    static Observation dcsDown(LocalPostgres local) {
        return new Observation(
                self(Tags.NONE),
                Duration.ofSeconds(100),
                Instant.parse("2026-01-01T00:00:00Z"),
                new DcsView.Unavailable("connection refused"),
                local,
                Optional.empty(),
                new TreeMap<>(),
                Optional.of(Duration.ofSeconds(110)),
                HaSettings.defaults(),
                false);
    }

    static PeerStatus peer(String name, boolean inRecovery, long lsn, Tags tags) {
        return new PeerStatus(
                name,
                true,
                inRecovery ? MemberRole.REPLICA : MemberRole.PRIMARY,
                inRecovery,
                Optional.of(new Lsn(lsn)),
                Optional.of(Timeline.FIRST),
                tags,
                false);
    }

    static SortedMap<String, PeerStatus> peers(PeerStatus... all) {
        SortedMap<String, PeerStatus> map = new TreeMap<>();
        for (PeerStatus p : all) {
            map.put(p.name(), p);
        }
        return map;
    }

    static List<Action.Kind> kinds(Decision decision) {
        return decision.plan().stream().map(Action::kind).toList();
    }
}
