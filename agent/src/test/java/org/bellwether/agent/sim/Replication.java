package org.bellwether.agent.sim;

import java.util.Optional;

/**
 * Streaming replication, one tick at a time: every running replica receives what its upstream had flushed at the
 * previous tick (so the lag is about one tick) and replays what it had received at the previous tick. Whether a
 * replica may stream is judged by PostgreSQL's own rules, on timeline numbers and switch points only; the simulator
 * then checks the truth on {@link Incarnation}s, and reports a replica that PostgreSQL let stream from a history that
 * is not its own.
 */
final class Replication {
    private final SimWorld world;

    Replication(SimWorld world) {
        this.world = world;
    }

    void tick() {
        for (SimNode node : world.nodes()) {
            stream(node.postgres());
        }
        for (SimNode node : world.nodes()) {
            node.postgres().replayTick();
            node.postgres().endTick();
        }
    }

    private void stream(SimPostgres replica) {
        if (!replica.isReceiving()) {
            replica.setStreaming(false);
            return;
        }
        Optional<SimPostgres> upstream = replica.upstream().map(u -> world.postgresOf(u.member()));
        if (upstream.isEmpty()
                || upstream.get() == replica
                || !upstream.get().canServe(replica.name())
                || !upstream.get().systemId().equals(replica.systemId())) {
            replica.setStreaming(false);
            return;
        }
        replica.setStreaming(follow(replica, upstream.get()));
    }

    /** PostgreSQL's walreceiver: may {@code replica} stream from {@code upstream}, and how far. */
    private boolean follow(SimPostgres replica, SimPostgres upstream) {
        Incarnation mine = replica.incarnation();
        Incarnation theirs = upstream.incarnation();
        long available = Math.min(upstream.lastTickFlush(), upstream.flush());
        int a = mine.timeline();
        int b = theirs.timeline();
        if (b < a) {
            return false;
        }
        if (b == a) {
            if (replica.flush() > available) {
                return false;
            }
        } else {
            Optional<Long> switchPoint = theirs.switchPointOf(a);
            if (switchPoint.isEmpty() || replica.flush() > switchPoint.get()) {
                String why = switchPoint
                        .map(sp -> "position " + new org.bellwether.core.Lsn(replica.flush())
                                + " is past the switch point " + new org.bellwether.core.Lsn(sp) + " of timeline " + a)
                        .orElse("timeline " + a + " is not in the upstream's history");
                world.checkers().forked(replica, upstream, why);
                return false;
            }
        }
        if (replica.flush() > mine.commonPrefixWith(theirs)) {
            world.checkers().silentFork(replica, upstream);
        }
        replica.received(theirs, available);
        return true;
    }
}
