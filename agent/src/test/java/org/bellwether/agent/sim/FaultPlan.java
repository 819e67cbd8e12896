package org.bellwether.agent.sim;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A schedule of faults drawn from a seed. Each fault starts at an offset from the start of the fault phase, hits the
 * node that leads at that moment, a replica, or any node, and heals after its duration; at the end of the plan
 * everything heals and the liveness phase begins.
 */
record FaultPlan(Plan plan, List<Fault> faults) {
    enum Kind {
        CRASH_NODE("crash"),
        CRASH_POSTGRES("crash-postgres"),
        KILL_AGENT("kill-agent"),
        FREEZE_AGENT("freeze"),
        PARTITION_DCS("partition-dcs"),
        ISOLATE_NODE("isolate"),
        PARTITION_PAIR("partition"),
        DCS_SLOW("dcs-slow"),
        DCS_AMBIGUOUS("dcs-ambiguous"),
        DCS_STALL("dcs-stall");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    enum Target {
        LEADER,
        REPLICA,
        ANY
    }

    /**
     * Named families of faults. {@code survivable} is what the decision core is meant to survive today and what CI
     * runs; {@code agent-stop} stops the agent while PostgreSQL keeps running, which leaves a writable primary until a
     * fencing guard (watchdog or self-demotion at the lock deadline) exists: a known gap, run on demand.
     */
    enum Plan {
        CRASH("crash", EnumSet.of(Kind.CRASH_NODE, Kind.CRASH_POSTGRES)),
        DCS_PARTITION("dcs-partition", EnumSet.of(Kind.PARTITION_DCS)),
        NETWORK("network", EnumSet.of(Kind.ISOLATE_NODE, Kind.PARTITION_PAIR)),
        DCS_DEGRADED("dcs-degraded", EnumSet.of(Kind.DCS_SLOW, Kind.DCS_AMBIGUOUS, Kind.DCS_STALL)),
        MIXED(
                "mixed",
                EnumSet.of(
                        Kind.CRASH_NODE,
                        Kind.CRASH_POSTGRES,
                        Kind.PARTITION_DCS,
                        Kind.ISOLATE_NODE,
                        Kind.PARTITION_PAIR,
                        Kind.DCS_SLOW,
                        Kind.DCS_AMBIGUOUS,
                        Kind.DCS_STALL)),
        AGENT_STOP("agent-stop", EnumSet.of(Kind.KILL_AGENT, Kind.FREEZE_AGENT));

        final String word;
        final List<Kind> kinds;

        Plan(String word, EnumSet<Kind> kinds) {
            this.word = word;
            this.kinds = List.copyOf(kinds);
        }

        static Plan named(String word) {
            for (Plan plan : values()) {
                if (plan.word.equals(word)) {
                    return plan;
                }
            }
            throw new IllegalArgumentException("no fault plan named '" + word + "'");
        }
    }

    record Fault(Kind kind, Target target, int any, long at, long duration) {
        @Override
        public String toString() {
            String who = target == Target.ANY ? "n" + any : target.name().toLowerCase(Locale.ROOT);
            return String.format(
                    Locale.ROOT, "%s %s @+%s for %s", kind.word, who, SimTime.format(at), SimTime.format(duration));
        }
    }

    /** One to three faults within the first {@code 2 * ttl} of the fault phase, each lasting up to {@code 2.5 * ttl}. */
    static FaultPlan derive(Plan plan, SplittableRandom rng, SimConfig config) {
        int count = 1 + rng.nextInt(3);
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Kind kind = plan.kinds.get(rng.nextInt(plan.kinds.size()));
            Target target = Target.values()[rng.nextInt(Target.values().length)];
            long at = rng.nextLong(2 * config.ttl());
            long duration = SimTime.between(rng, SimTime.seconds(0.5), 5 * config.ttl() / 2);
            faults.add(new Fault(kind, target, 1 + rng.nextInt(config.nodes()), at, duration));
        }
        faults.sort(java.util.Comparator.comparingLong(Fault::at));
        return new FaultPlan(plan, faults);
    }

    long length() {
        return faults.stream().mapToLong(f -> f.at + f.duration).max().orElse(0);
    }

    /** Schedules every fault and its healing, relative to {@code start}. */
    void schedule(SimWorld world, long start, SplittableRandom rng) {
        for (Fault fault : faults) {
            world.schedule(start + fault.at, () -> inject(world, fault, rng));
        }
    }

    private static void inject(SimWorld world, Fault fault, SplittableRandom rng) {
        SimNode node = resolve(world, fault, rng);
        world.trace()
                .event(world.now(), node.name(), "FAULT " + fault.kind.word + " for " + SimTime.format(fault.duration));
        Runnable heal = Faults.apply(world, fault.kind, node, fault.duration, rng);
        world.schedule(world.now() + fault.duration, () -> {
            world.trace().event(world.now(), node.name(), "HEAL " + fault.kind.word);
            heal.run();
        });
    }

    private static SimNode resolve(SimWorld world, Fault fault, SplittableRandom rng) {
        Optional<SimNode> leader = world.dcs().leaderName().map(world::node);
        List<SimNode> nodes = world.nodes();
        switch (fault.target) {
            case LEADER:
                return leader.orElse(nodes.get(fault.any - 1));
            case REPLICA:
                List<SimNode> others = nodes.stream()
                        .filter(n -> leader.map(l -> l != n).orElse(true))
                        .toList();
                return others.get(rng.nextInt(others.size()));
            default:
                return nodes.get(fault.any - 1);
        }
    }

    @Override
    public String toString() {
        return plan.word + " " + faults;
    }
}
