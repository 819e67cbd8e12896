package org.bellwether.agent.sim;

import java.util.SplittableRandom;

/** What each fault does to the world, and what undoes it. */
final class Faults {
    private Faults() {}

    /** Applies {@code kind} to {@code node}; returns what heals it. */
    static Runnable apply(SimWorld world, FaultPlan.Kind kind, SimNode node, long duration, SplittableRandom rng) {
        switch (kind) {
            case CRASH_NODE:
                node.crash();
                return node::startAgent;
            case CRASH_POSTGRES:
                node.postgres().kill();
                world.trace().event(world.now(), node.name(), "PostgreSQL killed");
                return () -> {};
            case KILL_AGENT:
                node.killAgent();
                return node::startAgent;
            case FREEZE_AGENT:
                node.freeze();
                return node::thaw;
            case PARTITION_DCS:
                node.link().partition();
                return node::healDcsLink;
            case ISOLATE_NODE:
                for (SimNode other : world.nodes()) {
                    world.network().cut(node.name(), other.name());
                }
                return () -> world.nodes().forEach(o -> world.network().heal(node.name(), o.name()));
            case PARTITION_PAIR:
                SimNode other = world.nodes().get(rng.nextInt(world.nodes().size()));
                world.network().cut(node.name(), other.name());
                return () -> world.network().heal(node.name(), other.name());
            case DCS_SLOW:
                long budget = world.config().retryTimeout();
                node.link().slow(SimTime.between(rng, budget / 4, 2 * budget));
                return node.link()::heal;
            case DCS_AMBIGUOUS:
                node.link().ambiguous(0.3 + 0.5 * rng.nextDouble());
                return node.link()::heal;
            case DCS_STALL:
                long end = world.now() + Math.min(duration, 2 * world.config().retryTimeout());
                world.dcs().stall(world.now(), end);
                return () -> {};
            case DCS_OUTAGE:
                // Half the outages begin just after the DCS applies the leader's next renewal or WAL position: its
                // cycle goes on, counting on the renewed lock, until its next call is the first to time out.
                java.util.Optional<String> leader = world.dcs().leaderName();
                if (leader.isPresent() && rng.nextBoolean()) {
                    world.dcsOutageAfter(leader.get(), rng.nextBoolean() ? "renewal" : "status");
                } else {
                    world.dcsOutageBegins();
                }
                return world::dcsOutageEnds;
        }
        throw new IllegalStateException("unhandled fault " + kind);
    }
}
