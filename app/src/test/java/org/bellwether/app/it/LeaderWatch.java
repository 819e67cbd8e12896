package org.bellwether.app.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks every node {@code OPTIONS /primary} every 100 ms, as a load balancer does, and keeps every answer with its
 * time: when a new leader first answered 200, and whether two nodes ever answered 200 over overlapping stretches.
 * One thread per node, so a frozen node's slow answers do not delay the others.
 */
final class LeaderWatch implements AutoCloseable {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofMillis(800);

    /** One answer: {@code status} 0 when the node did not answer in time. */
    record Sample(String node, Instant asked, Instant answered, int status) {}

    /**
     * A stretch of consecutive 200 answers from one node. It runs from the first answer's arrival to the last
     * question's departure, the part the node surely spent saying 200 (a lone answer: its whole round trip), so
     * slow answers never make two leaders look simultaneous when they were not.
     */
    record Run(String node, Instant from, Instant to) {
        boolean overlaps(Run other) {
            return from.isBefore(other.to) && other.from.isBefore(to);
        }
    }

    private final List<Sample> samples = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    LeaderWatch(List<TestNode> nodes) {
        for (TestNode node : nodes) {
            Thread t = new Thread(() -> poll(node), "leader-watch-" + node.name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void poll(TestNode node) {
        while (running) {
            Instant asked = Instant.now();
            int status = node.status("OPTIONS", "/primary", TIMEOUT);
            synchronized (samples) {
                samples.add(new Sample(node.name, asked, Instant.now(), status));
            }
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** When {@code node} was first asked and answered 200 at or after {@code since}. */
    Optional<Instant> firstPrimary(String node, Instant since) {
        return samples().stream()
                .filter(s ->
                        s.node().equals(node) && s.status() == 200 && !s.asked().isBefore(since))
                .map(Sample::answered)
                .min(Instant::compareTo);
    }

    /** Whether {@code node} answered 200 to a question asked at or after {@code since}. */
    boolean answeredPrimarySince(String node, Instant since) {
        return firstPrimary(node, since).isPresent();
    }

    /** Stretches in which two different nodes both answered 200: a load balancer could have sent writes to both. */
    List<String> overlappingPrimaries() {
        List<Run> runs = runs();
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                Run a = runs.get(i);
                Run b = runs.get(j);
                if (!a.node().equals(b.node()) && a.overlaps(b)) {
                    overlaps.add(a + " overlaps " + b);
                }
            }
        }
        return overlaps;
    }

    private List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        List<Sample> all = samples();
        for (String node : all.stream().map(Sample::node).distinct().toList()) {
            List<Sample> stretch = new ArrayList<>();
            for (Sample s : all.stream().filter(x -> x.node().equals(node)).toList()) {
                if (s.status() == 200) {
                    stretch.add(s);
                } else {
                    addRun(runs, stretch);
                }
            }
            addRun(runs, stretch);
        }
        return runs;
    }

    private static void addRun(List<Run> runs, List<Sample> stretch) {
        if (stretch.isEmpty()) {
            return;
        }
        Sample first = stretch.get(0);
        Sample last = stretch.get(stretch.size() - 1);
        runs.add(
                stretch.size() == 1
                        ? new Run(first.node(), first.asked(), first.answered())
                        : new Run(first.node(), first.answered(), last.asked()));
        stretch.clear();
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
