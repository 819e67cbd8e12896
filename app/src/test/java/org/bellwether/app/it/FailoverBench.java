package org.bellwether.app.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Benchmark, not a test: for each {@link Fault}, the write outage a client behind HAProxy sees, the time until a new
 * leader answers {@code /primary}, and the time until the victim streams again, as medians over several runs, for
 * Bellwether and (where Debian's {@code patroni} is installed) Patroni 3.0.2 on the same configuration files, at tuned
 * timings (ttl 10, loop_wait 2, retry_timeout 4) and Patroni's defaults (30, 10, 10). Prints one table.
 *
 * <p>{@code bench/run failover} runs a short selection (node crash and agent kill, tuned timings, one run each:
 * a few minutes). {@code bench/run failover 3 full} runs every fault at both timings, three times each (hours).
 * Options: {@code --faults=NODE_CRASH,AGENT_KILL}, {@code --timings=fast,default}, {@code --impl=bellwether,patroni}.
 */
public final class FailoverBench {
    private static final List<Fault> QUICK = List.of(Fault.NODE_CRASH, Fault.AGENT_KILL);

    private record Setup(TestNode.Implementation implementation, TestCluster.Timing timing) {}

    /** The outcomes of one fault in one setup, and the runs that did not complete. */
    private static final class Results {
        final List<Outcome> outcomes = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
    }

    private FailoverBench() {}

    public static void main(String[] args) {
        int runs = 1;
        boolean full = false;
        List<Fault> faults = null;
        List<TestCluster.Timing> timings = null;
        List<TestNode.Implementation> implementations = null;
        for (String arg : args) {
            if (arg.matches("\\d+")) {
                runs = Integer.parseInt(arg);
            } else if (arg.equals("full")) {
                full = true;
            } else if (arg.startsWith("--faults=")) {
                faults = list(arg, Fault::valueOf);
            } else if (arg.startsWith("--timings=")) {
                timings = list(arg, t -> t.equals("DEFAULT") ? TestCluster.Timing.DEFAULT : TestCluster.Timing.FAST);
            } else if (arg.startsWith("--impl=")) {
                implementations = list(arg, TestNode.Implementation::valueOf);
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "' (see FailoverBench's javadoc)");
            }
        }
        faults = faults != null ? faults : full ? List.of(Fault.values()) : QUICK;
        timings = timings != null
                ? timings
                : full
                        ? List.of(TestCluster.Timing.FAST, TestCluster.Timing.DEFAULT)
                        : List.of(TestCluster.Timing.FAST);
        if (implementations == null) {
            implementations = TestNode.patroni().isPresent()
                    ? List.of(TestNode.Implementation.BELLWETHER, TestNode.Implementation.PATRONI)
                    : List.of(TestNode.Implementation.BELLWETHER);
        }
        Map<Setup, Map<Fault, Results>> all = new LinkedHashMap<>();
        for (TestCluster.Timing timing : timings) {
            for (TestNode.Implementation implementation : implementations) {
                Setup setup = new Setup(implementation, timing);
                all.put(setup, runSetup(setup, faults, runs));
            }
        }
        System.out.println();
        System.out.println(table(all, faults, timings, implementations, runs));
        if (!implementations.contains(TestNode.Implementation.PATRONI)) {
            System.out.println("(Patroni not run: no 'patroni' on PATH; Debian's package is 'patroni')");
        }
    }

    private static Map<Fault, Results> runSetup(Setup setup, List<Fault> faults, int runs) {
        Map<Fault, Results> results = new EnumMap<>(Fault.class);
        String scope = "bench-" + setup.implementation().name().toLowerCase(Locale.ROOT) + "-"
                + setup.timing().ttl();
        FaultBed bed = null;
        try {
            for (Fault fault : faults) {
                Results r = results.computeIfAbsent(fault, f -> new Results());
                for (int run = 1; run <= runs; run++) {
                    System.out.printf(
                            "== %s, ttl %d: %s, run %d/%d%n",
                            setup.implementation(), setup.timing().ttl(), fault, run, runs);
                    try {
                        if (bed == null) {
                            bed = FaultBed.start(scope, setup.timing(), setup.implementation());
                        }
                        r.outcomes.add(new FaultRunner(bed).run(fault));
                    } catch (Throwable e) {
                        String first = String.valueOf(e.getMessage())
                                .lines()
                                .findFirst()
                                .orElse("");
                        r.errors.add(first);
                        System.out.println("   run failed: " + first);
                        // A cluster a failed run left behind is not trusted with the next run.
                        FaultBed.closeQuietly(bed);
                        bed = null;
                    }
                }
            }
        } finally {
            FaultBed.closeQuietly(bed);
        }
        return results;
    }

    private static String table(
            Map<Setup, Map<Fault, Results>> all,
            List<Fault> faults,
            List<TestCluster.Timing> timings,
            List<TestNode.Implementation> implementations,
            int runs) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "Failover benchmark: medians over %d run(s); outage = longest gap between writes acknowledged through"
                        + " HAProxy; leader = fault until another node answers /primary; rejoin = restart/heal until"
                        + " the victim streams again%n",
                runs));
        String format = "%-58s %-9s %-11s %5s %9s %9s %9s %6s %10s%n";
        out.append(String.format(
                format, "fault", "timing", "agent", "runs", "outage", "leader", "rejoin", "lost", "acks-after"));
        for (TestCluster.Timing timing : timings) {
            for (Fault fault : faults) {
                Map<TestNode.Implementation, Results> row = new EnumMap<>(TestNode.Implementation.class);
                for (TestNode.Implementation impl : implementations) {
                    row.put(impl, all.get(new Setup(impl, timing)).get(fault));
                }
                for (TestNode.Implementation impl : implementations) {
                    Results r = row.get(impl);
                    out.append(String.format(
                            format,
                            fault.description,
                            timing.ttl() + "/" + timing.loopWait() + "/" + timing.retryTimeout(),
                            impl.name().toLowerCase(Locale.ROOT),
                            r.outcomes.size() + "/" + (r.outcomes.size() + r.errors.size()),
                            seconds(median(r, Outcome::writeOutage)),
                            seconds(median(r, Outcome::leaderChange)),
                            seconds(median(r, Outcome::rejoin)) + failedRejoins(r),
                            r.outcomes.stream()
                                    .mapToInt(o -> o.missing().size())
                                    .max()
                                    .orElse(0),
                            r.outcomes.stream()
                                    .mapToInt(o -> o.splitBrain().size())
                                    .max()
                                    .orElse(0)));
                }
                if (row.size() == 2) {
                    Results b = row.get(TestNode.Implementation.BELLWETHER);
                    Results p = row.get(TestNode.Implementation.PATRONI);
                    out.append(String.format(
                            format,
                            "",
                            "",
                            "patroni/bw",
                            "",
                            ratio(median(p, Outcome::writeOutage), median(b, Outcome::writeOutage)),
                            ratio(median(p, Outcome::leaderChange), median(b, Outcome::leaderChange)),
                            ratio(median(p, Outcome::rejoin), median(b, Outcome::rejoin)),
                            "",
                            ""));
                }
            }
        }
        out.append("lost = most acknowledged writes missing on the final primary in one run (async replication;"
                + " all within maximum_lag_on_failover unless a test says otherwise); acks-after = most writes the"
                + " old primary acknowledged to a directly connected client after the new primary's promotion"
                + " (split brain); rejoin '!' = runs in which the victim did not stream again (pg_rewind needed)\n");
        for (Map.Entry<Setup, Map<Fault, Results>> e : all.entrySet()) {
            e.getValue()
                    .forEach((fault, r) -> r.errors.forEach(err -> out.append(String.format(
                            "failed run: %s ttl %d %s: %s%n",
                            e.getKey().implementation(), e.getKey().timing().ttl(), fault, err))));
        }
        return out.toString();
    }

    private static Optional<Duration> median(Results r, Function<Outcome, Optional<Duration>> metric) {
        if (r == null) {
            return Optional.empty();
        }
        List<Duration> values = r.outcomes.stream()
                .map(metric)
                .flatMap(Optional::stream)
                .sorted()
                .toList();
        if (values.isEmpty()) {
            return Optional.empty();
        }
        int n = values.size();
        return Optional.of(
                n % 2 == 1
                        ? values.get(n / 2)
                        : values.get(n / 2 - 1).plus(values.get(n / 2)).dividedBy(2));
    }

    private static String failedRejoins(Results r) {
        long failed = r.outcomes.stream()
                .filter(o -> o.fault().rejoins && o.rejoin().isEmpty())
                .count();
        return failed == 0 ? "" : "!" + failed;
    }

    private static String seconds(Optional<Duration> d) {
        return d.map(x -> String.format("%.1f s", x.toMillis() / 1000.0)).orElse("-");
    }

    private static String ratio(Optional<Duration> patroni, Optional<Duration> bellwether) {
        if (patroni.isEmpty() || bellwether.isEmpty() || bellwether.get().isZero()) {
            return "-";
        }
        return String.format(
                "%.2fx", (double) patroni.get().toMillis() / bellwether.get().toMillis());
    }

    private static <T> List<T> list(String arg, Function<String, T> parse) {
        return Arrays.stream(arg.substring(arg.indexOf('=') + 1).split(","))
                .map(String::trim)
                .map(s -> parse.apply(s.toUpperCase(Locale.ROOT)))
                .toList();
    }
}
