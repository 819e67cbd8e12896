package org.bellwether.core.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.PendingRestart;
import org.bellwether.core.SyncState;
import org.bellwether.core.Tags;

/** Builders for switchover, pause and request situations, on top of {@link Fixtures}. */
final class OpsFixtures {
    static final Instant WALL = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration NOW = Duration.ofSeconds(100);

    private OpsFixtures() {}

    static FailoverIntent switchover(String leader, String candidate) {
        return new FailoverIntent(Optional.ofNullable(leader), Optional.ofNullable(candidate), Optional.empty(), 42);
    }

    static FailoverIntent scheduled(String leader, String candidate, Instant at) {
        return new FailoverIntent(Optional.ofNullable(leader), Optional.ofNullable(candidate), Optional.of(at), 42);
    }

    static ClusterView withFailover(ClusterView c, FailoverIntent failover) {
        return new ClusterView(
                c.initialize(),
                c.config(),
                c.leader(),
                c.members(),
                c.optime(),
                c.slots(),
                c.history(),
                Optional.of(failover),
                c.sync(),
                c.failsafe());
    }

    static ClusterView withSync(ClusterView c, String leader, String... standbys) {
        return new ClusterView(
                c.initialize(),
                c.config(),
                c.leader(),
                c.members(),
                c.optime(),
                c.slots(),
                c.history(),
                c.failover(),
                Optional.of(new SyncState(Optional.of(leader), List.of(standbys), 0, 3)),
                c.failsafe());
    }

    /** n1 (self) leads unless {@code leader} says otherwise; n2 and n3 are replicas; the config is {@code config}. */
    static Fixtures.Cluster threeNodes(String leader, SortedMap<String, Object> config) {
        Fixtures.Cluster cluster = new Fixtures.Cluster()
                .members(
                        Fixtures.memberAt("n1", MemberRole.PRIMARY, new Lsn(1000)),
                        Fixtures.memberAt("n2", MemberRole.REPLICA, new Lsn(1000)),
                        Fixtures.memberAt("n3", MemberRole.REPLICA, new Lsn(1000)))
                .config(config)
                .optime(1000);
        return leader == null ? cluster : cluster.leader(leader);
    }

    static SortedMap<String, Object> config(Object... keyValues) {
        SortedMap<String, Object> raw = new TreeMap<>();
        raw.put("loop_wait", 10);
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put((String) keyValues[i], keyValues[i + 1]);
        }
        return raw;
    }

    static Member tagged(Member m, Tags tags) {
        return Fixtures.withTags(m, m.replicationState(), tags);
    }

    static Observation observe(
            ClusterView cluster, LocalPostgres local, SortedMap<String, PeerStatus> peers, Ops ops, Duration now) {
        Observation base = Fixtures.observe(cluster, local, peers, Tags.NONE);
        return new Observation(
                base.self(),
                now,
                WALL,
                base.dcs(),
                base.local(),
                base.operation(),
                base.peers(),
                base.lockDeadline(),
                base.lastKnownSettings(),
                false,
                base.leaderTimeline(),
                ops,
                false,
                FailsafeView.NONE);
    }

    static Observation observe(ClusterView cluster, LocalPostgres local, SortedMap<String, PeerStatus> peers) {
        return observe(cluster, local, peers, Ops.NONE, NOW);
    }

    static Ops request(NodeRequest.Body body) {
        return new Ops(Optional.of(new NodeRequest(7, body)), PendingRestart.NONE, Optional.empty());
    }

    static Ops checkpoint(long lsn) {
        return new Ops(Optional.empty(), PendingRestart.NONE, Optional.of(new Lsn(lsn)));
    }

    /** {@link Fixtures#withOperation} keeping {@code ops}. */
    static Observation withOperation(Observation obs, Operation operation) {
        return Fixtures.withOperation(obs, operation).withOps(obs.ops());
    }

    static Operation running(Action.Kind kind) {
        return new Operation(kind, Operation.Phase.RUNNING, NOW.minusSeconds(1), Optional.empty());
    }

    static HaMemory handingOver(String candidate, Duration since) {
        return HaMemory.INITIAL.withOps(OpsMemory.NONE.withHandover(
                Optional.of(new OpsMemory.Handover(Optional.ofNullable(candidate), since))));
    }
}
