package org.bellwether.agent.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One seed, start to end: draw a cluster and a fault plan, let the cluster form, run the faults (the safety phase,
 * where every invariant is checked after every event), heal everything, and require convergence within
 * {@code 10 * ttl} (the liveness phase).
 */
final class SimRun {
    static final long BOOTSTRAP_BUDGET = SimTime.seconds(60);

    /**
     * How to run a seed: which fault plan, whether to keep the trace text, whether a replica left forked for want of
     * pg_rewind fails the run, and whether agents run their fencing guard.
     */
    record Options(
            FaultPlan.Plan plan,
            boolean keepTrace,
            boolean forksFatal,
            boolean fence,
            boolean failsafeEverywhere,
            int clockDriftPpm) {
        /**
         * From {@code -Dsim.plan}, {@code -Dsim.strictForks}, {@code -Dsim.fence}, {@code -Dsim.failsafe} (true: every
         * seed runs with failsafe_mode, not a quarter of them), {@code -Dsim.clockDrift} (parts per million each
         * machine's clock may be off, 5000 for ten times what NTP may slew; 0 by default, because every seed then
         * takes another course, and the CI seeds should stay the ones they were); the plan rotates by seed by default.
         */
        static Options fromSystemProperties(long seed) {
            String plan = System.getProperty("sim.plan");
            return new Options(
                    plan == null ? defaultPlan(seed) : FaultPlan.Plan.named(plan),
                    false,
                    Boolean.getBoolean("sim.strictForks"),
                    !"false".equals(System.getProperty("sim.fence")),
                    Boolean.getBoolean("sim.failsafe"),
                    Integer.getInteger("sim.clockDrift", 0));
        }

        Options tracing() {
            return new Options(plan, true, forksFatal, fence, failsafeEverywhere, clockDriftPpm);
        }

        String flags(long seed) {
            StringBuilder out = new StringBuilder();
            if (plan != defaultPlan(seed)) {
                out.append(" -Dsim.plan=").append(plan.word);
            }
            if (forksFatal) {
                out.append(" -Dsim.strictForks=true");
            }
            if (!fence) {
                out.append(" -Dsim.fence=false");
            }
            if (failsafeEverywhere) {
                out.append(" -Dsim.failsafe=true");
            }
            if (clockDriftPpm != 0) {
                out.append(" -Dsim.clockDrift=").append(clockDriftPpm);
            }
            return out.toString();
        }
    }

    /** The outcome of one seed. {@code trace} holds text lines only when the run was asked to keep them. */
    record Result(
            long seed,
            Options options,
            SimConfig config,
            FaultPlan faults,
            List<Checkers.Violation> violations,
            List<Checkers.Fork> forks,
            int forkedAtEnd,
            Optional<Long> convergedAfterHeal,
            long lostAckedBytes,
            long maxLostOnPromotion,
            int promotions,
            int failsafeCycles,
            long simulatedNanos,
            long events,
            long lateResumes,
            long preemptions,
            long traceHash,
            List<String> trace) {

        boolean failed() {
            return !violations.isEmpty();
        }

        String replayCommand() {
            return "./mvnw -pl agent test -Dtest=SimulationTest -Dsim.seed=" + seed + options.flags(seed);
        }

        String summary() {
            StringBuilder out = new StringBuilder();
            out.append("seed ").append(seed).append(": ").append(config).append('\n');
            out.append("  faults: ").append(faults).append('\n');
            for (Checkers.Violation v : violations) {
                out.append("  VIOLATION ").append(v).append('\n');
            }
            for (Checkers.Fork f : forks) {
                out.append("  fork at ")
                        .append(SimTime.format(f.at()))
                        .append(": ")
                        .append(f.detail())
                        .append('\n');
            }
            out.append("  converged after heal: ")
                    .append(convergedAfterHeal.map(SimTime::format).orElse("no"))
                    .append(", promotions ")
                    .append(promotions)
                    .append(", lost acknowledged bytes ")
                    .append(lostAckedBytes)
                    .append('\n');
            out.append("  replay: ").append(replayCommand());
            return out.toString();
        }
    }

    private SimRun() {}

    /** Which plan a seed runs when none is named: the CI plans in turn, chosen by the seed. */
    static FaultPlan.Plan defaultPlan(long seed) {
        List<FaultPlan.Plan> ci = ciPlans();
        return ci.get((int) Math.floorMod(seed, (long) ci.size()));
    }

    static List<FaultPlan.Plan> ciPlans() {
        List<FaultPlan.Plan> plans = new ArrayList<>();
        for (FaultPlan.Plan plan : FaultPlan.Plan.values()) {
            if (plan != FaultPlan.Plan.AGENT_STOP) {
                plans.add(plan);
            }
        }
        return plans;
    }

    static Result run(long seed, Options options) {
        boolean forksFatal = options.forksFatal();
        SplittableRandom master = new SplittableRandom(seed);
        SimConfig config = SimConfig.swarm(new SplittableRandom(master.nextLong()))
                .withFence(options.fence())
                .withClockDrift(options.clockDriftPpm());
        if (options.failsafeEverywhere()) {
            config = config.withFailsafeMode(true);
        }
        SimWorld world = new SimWorld(master.nextLong(), config, options.keepTrace(), true);
        SplittableRandom faultRng = new SplittableRandom(master.nextLong());
        FaultPlan faults = FaultPlan.derive(options.plan(), faultRng, config);
        world.start();
        Optional<Long> formed = world.runUntilConverged(BOOTSTRAP_BUDGET, false);
        Optional<Long> converged = Optional.empty();
        if (formed.isEmpty() && !world.isStopped()) {
            world.checkers()
                    .violate(
                            "no-bootstrap",
                            "the cluster did not form within " + SimTime.format(BOOTSTRAP_BUDGET) + ": "
                                    + world.checkers().notConverged(false).orElse("?"));
        } else if (!world.isStopped()) {
            long start = world.now();
            faults.schedule(world, start, faultRng);
            world.runUntil(start + faults.length());
            if (!world.isStopped()) {
                world.healEverything();
                long healed = world.now();
                converged = world.runUntilConverged(healed + 10 * config.ttl(), !forksFatal)
                        .map(t -> t - healed);
                if (converged.isEmpty() && !world.isStopped()) {
                    world.checkers()
                            .violate(
                                    "no-convergence",
                                    "not converged " + SimTime.format(10 * config.ttl()) + " after healing: "
                                            + world.checkers()
                                                    .notConverged(!forksFatal)
                                                    .orElse("?"));
                }
            }
        }
        return result(seed, options, config, faults, world, converged);
    }

    private static Result result(
            long seed, Options options, SimConfig config, FaultPlan faults, SimWorld world, Optional<Long> converged) {
        List<SimNode> writable = world.checkers().writable();
        long lost = writable.size() == 1
                ? world.workload().lostBytes(writable.get(0).postgres().incarnation())
                : 0;
        return new Result(
                seed,
                options,
                config,
                faults,
                List.copyOf(world.checkers().violations()),
                List.copyOf(world.checkers().forks()),
                world.checkers().forkedNodesNow(),
                converged,
                lost,
                world.checkers().maxLostOnPromotion(),
                world.checkers().promotions(),
                world.checkers().failsafeCycles(),
                world.now(),
                world.eventsProcessed(),
                world.lateResumes(),
                world.preemptions(),
                world.trace().hash(),
                List.copyOf(world.trace().lines()));
    }
}
