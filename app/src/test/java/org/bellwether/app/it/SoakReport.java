package org.bellwether.app.it;

import java.util.List;

/** {@link SoakBench}'s printout: one table per replication mode, and one summary line per mode. */
final class SoakReport {
    private static final String ROW = "%-18s %7s %9s %8s %6s %10s %11s %10s %6s%n";

    private SoakReport() {}

    static String table(SoakTally tally) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Lost-write soak, %s replication (%s)%n", tally.mode.label(), promise(tally.mode)));
        out.append(String.format(
                ROW,
                "fault",
                "runs",
                "outage",
                "acked",
                "lost",
                "beyond-lag",
                "overlapping",
                "split-writes",
                "errors"));
        for (Fault fault : tally.faultsSeen()) {
            List<Outcome> runs = tally.outcomes(fault);
            int errors = tally.errors(fault).size();
            out.append(String.format(
                    ROW,
                    fault,
                    runs.size() + "/" + (runs.size() + errors),
                    Outcome.seconds(SoakTally.medianOutage(runs)),
                    SoakTally.acknowledged(runs),
                    SoakTally.lost(runs),
                    SoakTally.lostBeyondLag(runs),
                    SoakTally.overlappingPrimaries(runs),
                    SoakTally.splitBrainWrites(runs),
                    errors));
        }
        out.append("outage = median longest gap between writes acknowledged through HAProxy; acked = through"
                + " HAProxy and straight to every node; lost = acknowledged writes missing on the final primary; beyond-lag ="
                + " of those, further behind than maximum_lag_on_failover; overlapping = stretches in which two nodes"
                + " answered /primary; split-writes = runs in which a server acknowledged a write after another one"
                + " was promoted\n");
        for (Fault fault : tally.faultsSeen()) {
            tally.errors(fault)
                    .forEach(e -> out.append("error: ")
                            .append(fault)
                            .append(": ")
                            .append(e)
                            .append('\n'));
        }
        return out.toString();
    }

    static String summary(SoakTally tally) {
        String verdict = tally.mode.promisesNoLoss() && tally.lost() > 0 ? "   !!! LOST ACKNOWLEDGED WRITES" : "";
        return String.format(
                "mode %s, faults %d, acked %d, lost %d, lost beyond lag %d, split-brain windows %d, errors %d%s",
                tally.mode.label(),
                tally.faults(),
                tally.acknowledged(),
                tally.lost(),
                tally.lostBeyondLag(),
                tally.splitBrainWindows(),
                tally.errors(),
                verdict);
    }

    private static String promise(ReplicationMode mode) {
        return mode.promisesNoLoss()
                ? "synchronous_mode: " + mode.synchronousMode + ", any lost write is a failure"
                : "losses up to maximum_lag_on_failover allowed";
    }
}
