package org.bellwether.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The swarm: many seeds, each a random cluster and fault plan, all invariants checked. {@code -Dsim.seeds=N} sets how
 * many (10,000 by default), {@code -Dsim.seed=N} replays one seed and prints its trace, {@code -Dsim.plan=NAME} picks
 * the fault plan (the CI plans rotate by seed otherwise), {@code -Dsim.strictForks=true} fails on replicas left
 * forked for want of pg_rewind, {@code -Dsim.fence=false} runs the agents without their fencing guard,
 * {@code -Dsim.failsafe=true} runs every seed with failsafe_mode, {@code -Dsim.clockDrift=5000} lets each machine's
 * clock run up to 0.5 % fast or slow.
 */
class SimulationTest {
    private static final int TRACE_TAIL = 400;

    @Test
    void swarm_keepsEveryInvariant() {
        String single = System.getProperty("sim.seed");
        if (single != null) {
            replay(Long.parseLong(single.trim()));
            return;
        }
        long seeds = Long.getLong("sim.seeds", 10_000);
        long first = Long.getLong("sim.firstSeed", 1);
        Stats stats = new Stats();
        List<SimRun.Result> failures = new ArrayList<>();
        long started = System.nanoTime();
        long cpuStarted =
                java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (long seed = first; seed < first + seeds; seed++) {
            SimRun.Result result = SimRun.run(seed, SimRun.Options.fromSystemProperties(seed));
            stats.add(result);
            if (result.failed()) {
                failures.add(result);
            }
        }
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStarted;
        System.out.println(stats.report(seeds, System.nanoTime() - started, cpu));
        failures.stream().limit(5).forEach(SimulationTest::explain);
        assertThat(failures.stream().map(SimRun.Result::summary).toList())
                .as("failing seeds (replay each with the command shown)")
                .isEmpty();
    }

    @Test
    void sameSeed_replaysTheSameTrace() {
        for (long seed = 1; seed <= 20; seed++) {
            SimRun.Options options = new SimRun.Options(SimRun.defaultPlan(seed), false, false, true, false, 0);
            long first = SimRun.run(seed, options).traceHash();
            long second = SimRun.run(seed, options.tracing()).traceHash();
            assertThat(second).as("trace hash of seed %d", seed).isEqualTo(first);
        }
    }

    private static void replay(long seed) {
        SimRun.Result result =
                SimRun.run(seed, SimRun.Options.fromSystemProperties(seed).tracing());
        result.trace().forEach(System.out::println);
        System.out.println(result.summary());
        assertThat(result.violations()).as(result.summary()).isEmpty();
    }

    private static void explain(SimRun.Result failure) {
        SimRun.Result traced = SimRun.run(failure.seed(), failure.options().tracing());
        List<String> lines = traced.trace();
        System.out.println("---- " + failure.summary());
        lines.subList(Math.max(0, lines.size() - TRACE_TAIL), lines.size()).forEach(System.out::println);
    }

    /** Totals over a swarm, per plan. */
    private static final class Stats {
        private final Map<FaultPlan.Plan, long[]> perPlan = new EnumMap<>(FaultPlan.Plan.class);
        private long simulated;
        private long events;
        private long lateResumes;
        private long preemptions;
        private long forks;
        private long forkedAtEnd;
        private long promotions;
        private long seedsLosingWrites;
        private long maxLost;
        private long slowestConvergence;
        private long syncSeeds;
        private long syncPromotions;
        private long syncSeedsLosingWrites;
        private long failsafeSeeds;
        private long failsafeOutageSeeds;
        private long failsafePromotions;
        private long failsafeCycles;
        private final java.util.TreeMap<String, List<Long>> byRule = new java.util.TreeMap<>();

        void add(SimRun.Result r) {
            long[] counts = perPlan.computeIfAbsent(r.faults().plan(), p -> new long[2]);
            counts[0]++;
            counts[1] += r.failed() ? 1 : 0;
            simulated += r.simulatedNanos();
            events += r.events();
            lateResumes += r.lateResumes();
            preemptions += r.preemptions();
            forks += r.forks().size();
            forkedAtEnd += r.forkedAtEnd();
            promotions += r.promotions();
            seedsLosingWrites += r.lostAckedBytes() > 0 ? 1 : 0;
            maxLost = Math.max(maxLost, r.maxLostOnPromotion());
            slowestConvergence =
                    Math.max(slowestConvergence, r.convergedAfterHeal().orElse(0L));
            if (r.config().synchronous()) {
                syncSeeds++;
                syncPromotions += r.promotions();
                syncSeedsLosingWrites += r.lostAckedBytes() > 0 || r.maxLostOnPromotion() > 0 ? 1 : 0;
            }
            if (r.config().failsafeMode()) {
                failsafeSeeds++;
                failsafeOutageSeeds += r.faults().hasWholeDcsOutage() ? 1 : 0;
                failsafePromotions += r.promotions();
                failsafeCycles += r.failsafeCycles();
            }
            if (r.failed()) {
                String rule = r.violations().get(0).rule() + " (" + r.faults().plan().word + ")";
                byRule.computeIfAbsent(rule, k -> new ArrayList<>()).add(r.seed());
            }
        }

        String report(long seeds, long wallNanos, long cpuNanos) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(
                    Locale.ROOT,
                    "simulation: %d seeds in %.1f s, %.1f s of CPU (%.1f simulated hours, %d events, %d preempted cycles, %d late resumes), %d promotions, %d forks (%d nodes left"
                            + " forked), %d seeds lost acknowledged writes (max %d bytes at one promotion),"
                            + " slowest convergence after heal %s%n",
                    seeds,
                    wallNanos / 1e9,
                    cpuNanos / 1e9,
                    simulated / 3.6e12,
                    events,
                    preemptions,
                    lateResumes,
                    promotions,
                    forks,
                    forkedAtEnd,
                    seedsLosingWrites,
                    maxLost,
                    SimTime.format(slowestConvergence)));
            out.append(String.format(
                    Locale.ROOT,
                    "  synchronous_mode on or quorum: %d seeds, %d promotions, %d seeds lost acknowledged writes%n",
                    syncSeeds,
                    syncPromotions,
                    syncSeedsLosingWrites));
            out.append(String.format(
                    Locale.ROOT,
                    "  failsafe_mode: %d seeds (%d with the whole DCS down), %d promotions, %d cycles a primary"
                            + " without the DCS stayed primary on its members' acknowledgements%n",
                    failsafeSeeds,
                    failsafeOutageSeeds,
                    failsafePromotions,
                    failsafeCycles));
            perPlan.forEach((plan, c) -> out.append(
                    String.format(Locale.ROOT, "  plan %-14s %6d seeds, %d failed%n", plan.word, c[0], c[1])));
            byRule.forEach((rule, failing) -> out.append(String.format(
                    Locale.ROOT,
                    "  %-40s %d seeds, e.g. %s%n",
                    rule,
                    failing.size(),
                    failing.subList(0, Math.min(8, failing.size())))));
            return out.toString();
        }
    }
}
