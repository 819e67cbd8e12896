package org.bellwether.app.it;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark, not a test: a lost-write soak. For each replication mode (async, {@code synchronous_mode: on},
 * {@code synchronous_mode: quorum}) it injects faults one after another into one cluster at tuned timings (ttl 10,
 * loop_wait 2, retry_timeout 4), each through {@link FaultRunner} with a writer through HAProxy and one straight to
 * the old primary, and counts acknowledged writes, the ones the final primary lost, split-brain windows and the
 * median write outage per fault. A synchronous mode that loses an acknowledged write fails the benchmark.
 *
 * <p>{@code bench/run soak} runs every {@link Fault} once per mode; {@code bench/run soak 50} runs 50 per mode,
 * cycling through the faults; {@code --modes=sync,quorum} picks modes.
 */
public final class SoakBench {
    private SoakBench() {}

    public static void main(String[] args) {
        int perMode = Fault.values().length;
        List<ReplicationMode> modes = List.of(ReplicationMode.values());
        for (String arg : args) {
            if (arg.matches("\\d+")) {
                perMode = Integer.parseInt(arg);
            } else if (arg.startsWith("--modes=")) {
                modes = Arrays.stream(arg.substring("--modes=".length()).split(","))
                        .map(m -> ReplicationMode.valueOf(m.trim().toUpperCase(Locale.ROOT)))
                        .toList();
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "' (see SoakBench's javadoc)");
            }
        }
        List<SoakTally> tallies = new ArrayList<>();
        for (ReplicationMode mode : modes) {
            tallies.add(soak(mode, perMode));
        }
        System.out.println();
        tallies.forEach(t -> System.out.println(SoakReport.table(t)));
        tallies.forEach(t -> System.out.println(SoakReport.summary(t)));
        boolean broken = tallies.stream().anyMatch(t -> t.mode.promisesNoLoss() && t.lost() > 0);
        if (broken) {
            System.out.println("!!! FAILURE: a synchronous mode lost acknowledged writes (see the lines above)");
            System.exit(1);
        }
    }

    private static SoakTally soak(ReplicationMode mode, int faults) {
        SoakTally tally = new SoakTally(mode);
        FaultBed bed = null;
        try {
            for (int i = 0; i < faults; i++) {
                Fault fault = Fault.values()[i % Fault.values().length];
                System.out.printf("== soak %s: fault %d/%d: %s%n", mode.label(), i + 1, faults, fault);
                try {
                    if (bed == null) {
                        bed = FaultBed.start(
                                "soak-" + mode.label(),
                                TestCluster.Timing.FAST,
                                TestNode.Implementation.BELLWETHER,
                                mode);
                    }
                    Outcome outcome = new FaultRunner(bed).run(fault);
                    tally.add(outcome);
                    if (mode.promisesNoLoss() && !outcome.missing().isEmpty()) {
                        System.out.printf(
                                "!!! %s mode LOST %d acknowledged writes in %s%n",
                                mode.label(), outcome.missing().size(), fault);
                    }
                } catch (RuntimeException | AssertionError | SQLException e) {
                    String first =
                            String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                    tally.error(fault, first);
                    System.out.println("   run failed: " + first);
                    bed = recovered(bed);
                }
            }
        } finally {
            FaultBed.closeQuietly(bed);
        }
        return tally;
    }

    /** The bed made healthy for the next fault, or null (closed) when it cannot be: the next fault rebuilds it. */
    private static FaultBed recovered(FaultBed bed) {
        if (bed == null) {
            return null;
        }
        try {
            bed.ensureHealthy();
            return bed;
        } catch (RuntimeException | AssertionError e) {
            System.out.println("   cluster not healthy again, rebuilding it: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            FaultBed.closeQuietly(bed);
            return null;
        }
    }
}
