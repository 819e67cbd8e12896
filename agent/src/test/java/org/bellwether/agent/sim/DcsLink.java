package org.bellwether.agent.sim;

import java.util.SplittableRandom;

/**
 * One node's connection to the DCS, with its faults. It decides, for each call, whether the request reaches the store,
 * when, and whether the caller hears back within its time budget. A request that arrives but whose answer comes too
 * late is applied and reported as failed: the ambiguous write the {@code Dcs} contract warns about. Synchronized for the
 * DCS contract test, where a test thread sets faults while calls and watch deliveries run on others.
 */
final class DcsLink {
    /** What happens to one call: whether and when it is applied, whether and when the caller gets an answer. */
    record Outcome(boolean delivered, long deliverAt, boolean ok, long doneAt) {
        /** The request never arrives; the caller gives up when its budget runs out. */
        static Outcome lost(long sentAt, long budget) {
            return new Outcome(false, 0, false, sentAt + budget);
        }
    }

    private static final long BASE_MIN = 300_000L;
    private static final long BASE_MAX = 2 * SimTime.MS;

    private final SplittableRandom rng;
    private boolean partitioned;
    private long slowExtraMax;
    private double ambiguousWrites;

    DcsLink(SplittableRandom rng) {
        this.rng = rng;
    }

    synchronized Outcome plan(long sentAt, boolean write, long budget, long stallUntil) {
        if (partitioned) {
            return Outcome.lost(sentAt, budget);
        }
        long arrival = sentAt + oneWay();
        if (stallUntil > arrival) {
            // An election inside the DCS: requests wait for the new leader, as etcd clients retry internally.
            arrival = stallUntil;
        }
        long answer = arrival + oneWay();
        long deadline = sentAt + budget;
        if (answer > deadline) {
            return new Outcome(arrival < deadline, arrival, false, deadline);
        }
        if (write && ambiguousWrites > 0 && rng.nextDouble() < ambiguousWrites) {
            return new Outcome(true, arrival, false, answer);
        }
        return new Outcome(true, arrival, true, answer);
    }

    private long oneWay() {
        long base = SimTime.between(rng, BASE_MIN, BASE_MAX);
        return slowExtraMax > 0 ? base + rng.nextLong(slowExtraMax + 1) : base;
    }

    /** Watch events reach the node only over a working link; a slow link delays them too. */
    synchronized boolean deliversWatches() {
        return !partitioned;
    }

    synchronized long watchDelay() {
        return oneWay();
    }

    synchronized void partition() {
        partitioned = true;
    }

    synchronized void slow(long extraMax) {
        slowExtraMax = extraMax;
    }

    synchronized void ambiguous(double probability) {
        ambiguousWrites = probability;
    }

    synchronized void heal() {
        partitioned = false;
        slowExtraMax = 0;
        ambiguousWrites = 0;
    }

    synchronized boolean isClean() {
        return !partitioned && slowExtraMax == 0 && ambiguousWrites == 0;
    }

    @Override
    public synchronized String toString() {
        if (isClean()) {
            return "ok";
        }
        if (partitioned) {
            return "partitioned";
        }
        return "slow<=" + SimTime.format(slowExtraMax) + (ambiguousWrites > 0 ? " ambiguous=" + ambiguousWrites : "");
    }
}
