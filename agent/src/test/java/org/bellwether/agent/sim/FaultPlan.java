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
        DCS_STALL("dcs-stall", true),
        DCS_OUTAGE("dcs-outage", true);

        final String word;
        /** Whether it hits the DCS itself, every node at once, rather than the node it targets. */
        final boolean wholeDcs;

        Kind(String word) {
            this(word, false);
        }

        Kind(String word, boolean wholeDcs) {
            this.word = word;
            this.wholeDcs = wholeDcs;
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
                        Kind.DCS_STALL,
                        Kind.DCS_OUTAGE)),
        /**
         * The whole DCS out of reach for longer than ttl, where failsafe mode decides who may write; while it lasts,
         * nodes crash, freeze and lose each other.
         */
        DCS_OUTAGE(
                "dcs-outage",
                Kind.DCS_OUTAGE,
                EnumSet.of(
                        Kind.CRASH_NODE,
                        Kind.CRASH_POSTGRES,
                        Kind.KILL_AGENT,
                        Kind.FREEZE_AGENT,
                        Kind.PARTITION_DCS,
                        Kind.ISOLATE_NODE,
                        Kind.PARTITION_PAIR)),
        AGENT_STOP("agent-stop", EnumSet.of(Kind.KILL_AGENT, Kind.FREEZE_AGENT));

        final String word;
        final List<Kind> kinds;
        /** The fault every run of the plan has, the others starting while it lasts; empty for plans without one. */
        final Optional<Kind> backdrop;

        Plan(String word, EnumSet<Kind> kinds) {
            this.word = word;
            this.kinds = List.copyOf(kinds);
            this.backdrop = Optional.empty();
        }

        Plan(String word, Kind backdrop, EnumSet<Kind> during) {
            this.word = word;
            this.kinds = List.copyOf(during);
            this.backdrop = Optional.of(backdrop);
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
            String who = kind.wholeDcs
                    ? "dcs"
                    : target == Target.ANY ? "n" + any : target.name().toLowerCase(Locale.ROOT);
            return String.format(
                    Locale.ROOT, "%s %s @+%s for %s", kind.word, who, SimTime.format(at), SimTime.format(duration));
        }
    }

    /** One to three faults within the first {@code 2 * ttl} of the fault phase, each lasting up to {@code 2.5 * ttl}. */
    static FaultPlan derive(Plan plan, SplittableRandom rng, SimConfig config) {
        if (plan.backdrop.isPresent()) {
            return withBackdrop(plan, plan.backdrop.get(), rng, config);
        }
        int count = 1 + rng.nextInt(3);
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            faults.add(draw(plan, rng, config, rng.nextLong(2 * config.ttl())));
        }
        faults.sort(java.util.Comparator.comparingLong(Fault::at));
        return new FaultPlan(plan, faults);
    }

    /**
     * The backdrop within the first ttl, lasting from ttl plus a second to three times ttl (longer than any lease),
     * and up to two of the plan's other faults, each starting while the backdrop lasts.
     */
    private static FaultPlan withBackdrop(Plan plan, Kind backdrop, SplittableRandom rng, SimConfig config) {
        long start = rng.nextLong(config.ttl());
        long length = config.ttl() + SimTime.between(rng, SimTime.seconds(1), 2 * config.ttl());
        List<Fault> faults = new ArrayList<>();
        faults.add(new Fault(backdrop, Target.ANY, 1, start, length));
        int during = rng.nextInt(3);
        for (int i = 0; i < during; i++) {
            faults.add(draw(plan, rng, config, start + rng.nextLong(length)));
        }
        faults.sort(java.util.Comparator.comparingLong(Fault::at));
        return new FaultPlan(plan, faults);
    }

    /** One of the plan's faults, starting at {@code at}, lasting up to {@code 2.5 * ttl}. */
    private static Fault draw(Plan plan, SplittableRandom rng, SimConfig config, long at) {
        Kind kind = plan.kinds.get(rng.nextInt(plan.kinds.size()));
        Target target = Target.values()[rng.nextInt(Target.values().length)];
        long duration = SimTime.between(rng, SimTime.seconds(0.5), 5 * config.ttl() / 2);
        return new Fault(kind, target, 1 + rng.nextInt(config.nodes()), at, duration);
    }

    boolean hasWholeDcsOutage() {
        return faults.stream().anyMatch(f -> f.kind == Kind.DCS_OUTAGE);
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
        String who = fault.kind.wholeDcs ? "dcs" : node.name();
        world.trace().event(world.now(), who, "FAULT " + fault.kind.word + " for " + SimTime.format(fault.duration));
        Runnable heal = Faults.apply(world, fault.kind, node, fault.duration, rng);
        world.schedule(world.now() + fault.duration, () -> {
            world.trace().event(world.now(), who, "HEAL " + fault.kind.word);
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
