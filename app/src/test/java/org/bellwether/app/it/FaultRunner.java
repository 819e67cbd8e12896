package org.bellwether.app.it;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injects one {@link Fault} into a healthy {@link FaultBed} under a write workload, waits for the cluster to deal
 * with it, heals the fault (restart, SIGCONT, reconnect), waits for the victim to rejoin, and measures everything an
 * {@link Outcome} holds. Every wait is bounded; a failover or convergence that does not happen in time fails with the
 * agents' log tails.
 */
final class FaultRunner {
    private static final AtomicLong ID_BLOCKS = new AtomicLong();
    private static final Duration WRITE_PAUSE = Duration.ofMillis(10);

    private final FaultBed bed;
    private final TestCluster cluster;

    FaultRunner(FaultBed bed) {
        this.bed = bed;
        this.cluster = bed.cluster;
    }

    /** What the fault step leaves for the rest of the run: who was hit, and when the fault was healed. */
    private record Injected(TestNode victim, Instant healedAt) {}

    Outcome run(Fault fault) throws SQLException {
        TestNode leader = bed.ensureHealthy();
        long base = ID_BLOCKS.incrementAndGet() * 10_000_000L;
        try (Writers writers = Writers.start(bed.haproxy.port(), cluster.nodes, base, WRITE_PAUSE);
                LeaderWatch watch = new LeaderWatch(cluster.nodes)) {
            cluster.await(
                    Duration.ofSeconds(30),
                    "writes acknowledged through HAProxy and directly by " + leader.name,
                    () -> writers.proxiedAcks().size() >= 20
                            && writers.directAcks(leader).size() >= 20);
            // Read just before the fault: a replica that was still rejoining when the cluster was found healthy
            // may have joined the quorum during the warm-up, and may then rightly be promoted.
            List<String> synchronousAtFault = FaultBed.synchronousStandbys(leader);
            Instant faultAt = Instant.now();
            Injected injected = inject(fault, leader, writers, faultAt, synchronousAtFault);
            TestNode finalLeader = cluster.awaitLeader(bed.failoverBound());
            Optional<Duration> rejoin = Optional.empty();
            String trouble = "";
            if (fault.rejoins || fault == Fault.POSTGRES_CRASH) {
                List<TestNode> rejoining = fault.rejoins ? List.of(injected.victim()) : bed.replicasOf(finalLeader);
                rejoin = bed.awaitRejoin(
                        rejoining,
                        finalLeader,
                        injected.healedAt(),
                        Duration.ofSeconds(4L * bed.timing.loopWait() + 20));
                if (rejoin.isEmpty()) {
                    trouble = rejoining.stream()
                            .filter(n -> n != finalLeader && !Replication.streamsFrom(n, finalLeader))
                            .map(n -> n.name + ": " + String.join(" | ", Replication.walReceiverTrouble(n, 2)))
                            .reduce((a, b) -> a + "; " + b)
                            .orElse("");
                }
            }
            // The other replicas follow the new leader too (a replica that received more than the promoted one is
            // rewound first); they are given the same bound before "every node streams" is judged.
            List<TestNode> others = bed.replicasOf(finalLeader);
            if (bed.awaitRejoin(others, finalLeader, Instant.now(), Duration.ofSeconds(4L * bed.timing.loopWait() + 20))
                    .isEmpty()) {
                System.out.println("[fault] replicas of " + finalLeader.name + " not all streaming after the bound");
            }
            Instant settled = Instant.now();
            cluster.await(
                    bed.failoverBound(),
                    "a write acknowledged through HAProxy after the cluster settled",
                    () -> writers.firstProxiedAckAfter(settled).isPresent());
            writers.close();
            watch.close();
            return measure(
                    fault, injected, leader, finalLeader, faultAt, synchronousAtFault, rejoin, trouble, writers, watch);
        }
    }

    private Injected inject(
            Fault fault, TestNode leader, Writers writers, Instant faultAt, List<String> synchronousAtFault) {
        switch (fault) {
            case NODE_CRASH -> {
                leader.crash();
                awaitFailover(leader, writers, faultAt);
                Instant healed = Instant.now();
                leader.startAgent();
                return new Injected(leader, healed);
            }
            case POSTGRES_CRASH -> {
                leader.killPostgres();
                cluster.await(
                        bed.failoverBound(),
                        "a write acknowledged through HAProxy after PostgreSQL was killed",
                        () -> writers.firstProxiedAckAfter(faultAt).isPresent());
                return new Injected(leader, faultAt);
            }
            case AGENT_FREEZE -> {
                leader.signalAgent("STOP");
                try {
                    awaitFailover(leader, writers, faultAt);
                } finally {
                    leader.signalAgent("CONT");
                }
                return new Injected(leader, Instant.now());
            }
            case AGENT_KILL -> {
                leader.killAgent();
                awaitFailover(leader, writers, faultAt);
                Instant healed = Instant.now();
                leader.startAgent();
                return new Injected(leader, healed);
            }
            case DCS_PARTITION, FULL_PARTITION -> {
                NodeLinks links = leader.links.orElseThrow();
                links.partitionFromDcs();
                if (fault == Fault.FULL_PARTITION) {
                    links.cutFromPeers();
                }
                try {
                    awaitFailover(leader, writers, faultAt);
                } finally {
                    links.heal();
                }
                return new Injected(leader, Instant.now());
            }
            case ETCD_MEMBER_LOSS, ETCD_LEADER_LOSS -> {
                int member = fault == Fault.ETCD_LEADER_LOSS ? etcdLeader() : etcdFollower();
                bed.etcd.kill(member);
                // Long enough for a lock that was not renewed to expire and for the loss to show in the writes.
                Instant until = faultAt.plusSeconds(bed.timing.ttl() + 2L * bed.timing.loopWait());
                cluster.await(
                        bed.failoverBound(),
                        "writes through HAProxy continuing after etcd member " + member + " was lost",
                        () -> Instant.now().isAfter(until)
                                && writers.firstProxiedAckAfter(until).isPresent());
                bed.etcd.start(member);
                bed.etcd.awaitHealthy(Duration.ofSeconds(30));
                return new Injected(leader, Instant.now());
            }
            case REPLICA_CRASH -> {
                TestNode replica = bed.replicasOf(leader).get(0);
                replica.crash();
                cluster.await(
                        bed.failoverBound(),
                        leader.name + " noticing that " + replica.name + " is gone, writes continuing",
                        () -> TestCluster.streamingReplicas(leader) == 1
                                && writers.firstProxiedAckAfter(faultAt).isPresent());
                Instant healed = Instant.now();
                replica.startAgent();
                return new Injected(replica, healed);
            }
            case DCS_DOWN -> {
                bed.stopDcs();
                // Long enough for the leader's lock to run out: without failsafe mode it must stop taking writes.
                FaultBed.pause(Duration.ofSeconds(bed.timing.ttl() + bed.timing.loopWait())
                        .toMillis());
                Instant healed = Instant.now();
                bed.restartDcs();
                return new Injected(leader, healed);
            }
            case SWITCHOVER -> {
                TestNode candidate = synchronousAtFault.isEmpty()
                        ? bed.replicasOf(leader).get(0)
                        : cluster.node(synchronousAtFault.get(0));
                Rest.Reply reply = Rest.call(
                        leader,
                        "POST",
                        "/switchover",
                        "{\"leader\": \"" + leader.name + "\", \"candidate\": \"" + candidate.name + "\"}");
                if (reply.status() != 200) {
                    throw new AssertionError(
                            "switchover to " + candidate.name + " answered " + reply.status() + ": " + reply.body());
                }
                awaitFailover(leader, writers, faultAt);
                return new Injected(leader, Instant.now());
            }
        }
        throw new IllegalStateException("unknown fault " + fault);
    }

    /** Waits for another node to lead and for a write through HAProxy to be acknowledged by another server. */
    private void awaitFailover(TestNode old, Writers writers, Instant faultAt) {
        cluster.await(
                bed.failoverBound(),
                "a node other than " + old.name + " answering /primary",
                () -> cluster.leaders().stream().anyMatch(n -> n != old));
        cluster.await(
                bed.failoverBound(),
                "a write acknowledged through HAProxy by a server other than " + old.name,
                () -> writers.proxiedAcks().stream()
                        .anyMatch(a -> a.at().isAfter(faultAt) && a.serverPort() != old.pgPort));
    }

    private Outcome measure(
            Fault fault,
            Injected injected,
            TestNode oldLeader,
            TestNode finalLeader,
            Instant faultAt,
            List<String> synchronousAtFault,
            Optional<Duration> rejoin,
            String trouble,
            Writers writers,
            LeaderWatch watch)
            throws SQLException {
        List<WriteWorkload.Ack> missing = writers.missingOn(finalLeader);
        List<WriteWorkload.Ack> beyond = writers.beyondLagLimit(missing, FaultBed.MAXIMUM_LAG_ON_FAILOVER);
        Optional<Instant> oldShutDown = Replication.shutDownAfter(oldLeader, faultAt);
        Optional<Instant> promotedAt = finalLeader == oldLeader
                ? Optional.empty()
                : Replication.timeline(finalLeader).flatMap(tl -> Replication.promotedAt(finalLeader, tl));
        List<String> notStreaming = bed.replicasOf(finalLeader).stream()
                .filter(n -> !Replication.streamsFrom(n, finalLeader))
                .map(n -> n.name + " (" + String.join(" | ", Replication.walReceiverTrouble(n, 2)) + ")")
                .toList();
        Optional<Duration> leaderChange = cluster.nodes.stream()
                .filter(n -> n != oldLeader)
                .flatMap(n -> watch.firstPrimary(n.name, faultAt).stream())
                .min(Instant::compareTo)
                .map(t -> Duration.between(faultAt, t));
        List<WriteWorkload.Ack> directToOld = writers.directAcks(oldLeader).stream()
                .filter(a -> a.at().isBefore(injected.healedAt()))
                .toList();
        Outcome outcome = new Outcome(
                fault,
                injected.victim().name,
                oldLeader.name,
                finalLeader.name,
                faultAt,
                synchronousAtFault,
                writers.unavailability(faultAt),
                leaderChange,
                rejoin,
                trouble,
                writers.allAcks().size(),
                missing,
                beyond,
                promotedAt,
                oldShutDown,
                directToOld.isEmpty() ? Optional.empty() : Optional.of(directToOld.get(directToOld.size() - 1)),
                SplitBrain.acks(writers.allAcks(), SplitBrain.promotions(cluster.nodes)),
                Replication.runningPrimaries(cluster.nodes).stream()
                        .map(n -> n.name)
                        .toList(),
                notStreaming,
                watch.overlappingPrimaries(),
                watch.answeredPrimarySince(injected.victim().name, injected.healedAt())
                        && injected.victim() != finalLeader,
                oldShutDown.filter(t -> finalLeader != oldLeader).flatMap(t -> watch.firstPrimary(oldLeader.name, t)),
                Replication.shutDownsBetween(oldLeader, faultAt, injected.healedAt()));
        System.out.println(outcome.summary());
        return outcome;
    }

    private int etcdLeader() {
        return bed.etcd.leaderIndex().orElseThrow(() -> new AssertionError("etcd reports no raft leader"));
    }

    /** Member 0 unless it leads: every node's etcd3.hosts lists it first, so the agents are likely talking to it. */
    private int etcdFollower() {
        int leader = etcdLeader();
        return leader == 0 ? 1 : 0;
    }
}
