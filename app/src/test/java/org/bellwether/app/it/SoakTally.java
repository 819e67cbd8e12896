package org.bellwether.app.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a soak saw in one replication mode: the outcome of every fault run, grouped by fault, and the runs that threw
 * (the cluster did not recover in time). Sums and medians for {@link SoakBench}'s table.
 */
final class SoakTally {
    final ReplicationMode mode;
    private final Map<Fault, List<Outcome>> outcomes = new EnumMap<>(Fault.class);
    private final Map<Fault, List<String>> errors = new EnumMap<>(Fault.class);

    SoakTally(ReplicationMode mode) {
        this.mode = mode;
    }

    void add(Outcome outcome) {
        outcomes.computeIfAbsent(outcome.fault(), f -> new ArrayList<>()).add(outcome);
    }

    void error(Fault fault, String message) {
        errors.computeIfAbsent(fault, f -> new ArrayList<>()).add(message);
    }

    List<Fault> faultsSeen() {
        return List.of(Fault.values()).stream()
                .filter(f -> outcomes.containsKey(f) || errors.containsKey(f))
                .toList();
    }

    List<Outcome> outcomes(Fault fault) {
        return outcomes.getOrDefault(fault, List.of());
    }

    List<String> errors(Fault fault) {
        return errors.getOrDefault(fault, List.of());
    }

    private List<Outcome> all() {
        return outcomes.values().stream().flatMap(List::stream).toList();
    }

    int faults() {
        return all().size() + errors();
    }

    int errors() {
        return errors.values().stream().mapToInt(List::size).sum();
    }

    static long acknowledged(List<Outcome> runs) {
        return runs.stream().mapToLong(Outcome::acknowledged).sum();
    }

    static long lost(List<Outcome> runs) {
        return runs.stream().mapToLong(o -> o.missing().size()).sum();
    }

    static long lostBeyondLag(List<Outcome> runs) {
        return runs.stream().mapToLong(o -> o.missingBeyondLag().size()).sum();
    }

    static long overlappingPrimaries(List<Outcome> runs) {
        return runs.stream().mapToLong(o -> o.overlappingPrimaries().size()).sum();
    }

    /** Runs in which a server acknowledged a write after another one was promoted (see {@link SplitBrain}). */
    static long splitBrainWrites(List<Outcome> runs) {
        return runs.stream().filter(o -> !o.splitBrain().isEmpty()).count();
    }

    /** Both kinds of split brain a client could see: two /primary answers at once, or two servers taking writes. */
    static long splitBrainWindows(List<Outcome> runs) {
        return overlappingPrimaries(runs) + splitBrainWrites(runs);
    }

    long acknowledged() {
        return acknowledged(all());
    }

    long lost() {
        return lost(all());
    }

    long lostBeyondLag() {
        return lostBeyondLag(all());
    }

    long splitBrainWindows() {
        return splitBrainWindows(all());
    }

    static Optional<Duration> medianOutage(List<Outcome> runs) {
        List<Duration> values = runs.stream()
                .map(Outcome::writeOutage)
                .flatMap(Optional::stream)
                .sorted()
                .toList();
        int n = values.size();
        if (n == 0) {
            return Optional.empty();
        }
        return Optional.of(
                n % 2 == 1
                        ? values.get(n / 2)
                        : values.get(n / 2 - 1).plus(values.get(n / 2)).dividedBy(2));
    }
}
