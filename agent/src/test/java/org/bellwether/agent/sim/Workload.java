package org.bellwether.agent.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.status.NodeStatus;

/**
 * A client that keeps writing. Each write goes where HAProxy would send it (a node whose REST status says it holds
 * the lock and runs a primary), and also to every other server that accepts writes, as clients holding old connections
 * or connecting directly would: a second primary then really takes writes, and the trace shows what was lost.
 *
 * <p>In synchronous mode a commit returns only once the standbys the primary waits for have flushed it
 * ({@link SyncStandbys}); until then it waits, and it fails if its server stops accepting writes first.
 *
 * <p>Acknowledged writes are kept per WAL history as the highest acknowledged LSN: enough to say how much of what
 * clients were told is durable is missing from the history the cluster ends on.
 */
final class Workload {
    private final SimWorld world;
    private final SplittableRandom rng;
    private final TreeMap<Integer, Long> maxAcked = new TreeMap<>();
    private final TreeMap<Integer, Incarnation> histories = new TreeMap<>();
    private boolean enabled = true;
    private long acknowledged;
    private long refused;
    private long unrouted;
    private Optional<Incarnation> lastWritten = Optional.empty();
    private long lastAcknowledgedAt = -1;
    private final List<Waiting> waiting = new ArrayList<>();

    /** A commit written on {@code server} whose client still waits for the synchronous standbys. */
    private record Waiting(SimPostgres server, int epoch, Incarnation history, long lsn) {}

    Workload(SimWorld world, SplittableRandom rng) {
        this.world = world;
        this.rng = rng;
    }

    void start() {
        world.schedule(world.now() + nextInterval(), this::tick);
    }

    private long nextInterval() {
        return SimTime.between(
                rng, world.config().writeIntervalMin(), world.config().writeIntervalMax());
    }

    private void tick() {
        world.schedule(world.now() + nextInterval(), this::tick);
        if (!enabled) {
            return;
        }
        int bytes = 1 + rng.nextInt(world.config().writeBytesMax());
        Optional<SimNode> routed = haproxyPick();
        if (routed.isEmpty()) {
            unrouted++;
        }
        routed.ifPresent(node -> write(node, bytes));
        for (SimNode node : world.nodes()) {
            if (routed.map(r -> r != node).orElse(true) && node.postgres().acceptsWrites()) {
                write(node, bytes);
            }
        }
    }

    /** What {@code GET /primary} says: the lock per the node's own status, and a primary PostgreSQL. */
    private Optional<SimNode> haproxyPick() {
        for (SimNode node : world.nodes()) {
            Optional<NodeStatus> status = node.answeringStatus();
            if (status.isPresent()
                    && status.get().local().isPrimary()
                    && status.get().cluster().flatMap(ClusterView::leaderName).equals(Optional.of(node.name()))
                    && node.believesItLeads()) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    private void write(SimNode node, int bytes) {
        SimPostgres postgres = node.postgres();
        if (!postgres.acceptsWrites()) {
            refused++;
            return;
        }
        long lsn = postgres.write(bytes);
        Waiting commit = new Waiting(postgres, postgres.epoch(), postgres.incarnation(), lsn);
        if (postgres.acknowledges(lsn)) {
            acknowledge(commit);
        } else {
            waiting.add(commit);
        }
    }

    /** After each replication tick: commits whose standbys caught up return; those whose server went away fail. */
    void releaseWaiting() {
        Iterator<Waiting> it = waiting.iterator();
        while (it.hasNext()) {
            Waiting commit = it.next();
            SimPostgres server = commit.server();
            if (server.epoch() != commit.epoch()
                    || !server.acceptsWrites()
                    || server.incarnation() != commit.history()) {
                it.remove();
                refused++;
            } else if (server.acknowledges(commit.lsn())) {
                it.remove();
                acknowledge(commit);
            }
        }
    }

    private void acknowledge(Waiting commit) {
        Incarnation history = commit.history();
        maxAcked.merge(history.id(), commit.lsn(), Math::max);
        histories.putIfAbsent(history.id(), history);
        lastWritten = Optional.of(history);
        lastAcknowledgedAt = world.now();
        acknowledged++;
    }

    /** When a client's commit last returned, on whichever server; -1 before the first. */
    long lastAcknowledgedAt() {
        return lastAcknowledgedAt;
    }

    long waitingCommits() {
        return waiting.size();
    }

    /** Bytes of acknowledged WAL, over every history written, that {@code survivor} does not contain. */
    long lostBytes(Incarnation survivor) {
        long lost = 0;
        for (var e : maxAcked.entrySet()) {
            long common = histories.get(e.getKey()).commonPrefixWith(survivor);
            lost += Math.max(0, e.getValue() - Math.min(common, e.getValue()));
        }
        return lost;
    }

    /** Acknowledged WAL of the most recently written history that {@code survivor} does not contain. */
    long lostFromLastWriter(Incarnation survivor) {
        return lastWritten
                .map(h -> Math.max(
                        0, maxAcked.get(h.id()) - Math.min(h.commonPrefixWith(survivor), maxAcked.get(h.id()))))
                .orElse(0L);
    }

    void enable(boolean on) {
        enabled = on;
    }

    long acknowledged() {
        return acknowledged;
    }

    long refused() {
        return refused;
    }

    long unrouted() {
        return unrouted;
    }
}
