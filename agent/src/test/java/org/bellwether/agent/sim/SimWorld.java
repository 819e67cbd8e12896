package org.bellwether.agent.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The simulated world: one thread, one clock, one queue of events ordered by (simulated time, sequence number), and
 * one seeded random source from which every component takes its own seed in a fixed order (TigerBeetle's
 * {@code .seed = prng.int(u64)}). Nothing here reads real time or starts a thread, so a seed replays exactly.
 */
final class SimWorld {
    private record Event(long at, long seq, Runnable action) {}

    private static final long EVENT_BUDGET = 2_000_000;
    private static final long LATE = 100 * SimTime.MS;
    private static final long JITTER = 20 * SimTime.MS;

    private final PriorityQueue<Event> queue =
            new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
    private final SimConfig config;
    private final SplittableRandom rng;
    private final Trace trace;
    private final Checkers checkers;
    private final SimDcsServer dcs;
    private final SimNetwork network = new SimNetwork();
    private final List<SimNode> nodes = new ArrayList<>();
    private final Workload workload;
    private final Replication replication;
    private final boolean stopOnViolation;
    private final ArrayDeque<Long> waits = new ArrayDeque<>();

    private int dcsOutages;
    private long lateResumes;
    private long preemptions;
    private long seq;
    private long processed;
    private long now;
    private boolean stopped;
    private int nextIncarnation = 1;

    SimWorld(long seed, SimConfig config, boolean keepTrace, boolean stopOnViolation) {
        this.config = config;
        this.rng = new SplittableRandom(seed);
        this.stopOnViolation = stopOnViolation;
        this.trace = new Trace(keepTrace);
        this.checkers = new Checkers(this);
        this.dcs = new SimDcsServer(dcsTimeline());
        for (int i = 1; i <= config.nodes(); i++) {
            nodes.add(new SimNode(this, i, new SplittableRandom(rng.nextLong())));
        }
        this.workload = new Workload(this, new SplittableRandom(rng.nextLong()));
        this.replication = new Replication(this);
    }

    /** Agents start (all at once in a swarm, n1 first in a scenario), replication and the workload begin. */
    void start() {
        for (SimNode node : nodes) {
            long at = config.startStagger() > 0
                    ? rng.nextLong(config.startStagger())
                    : (node.index() - 1) * 300 * SimTime.MS;
            schedule(at, node::startAgent);
        }
        every(config.replicationTick(), () -> {
            replication.tick();
            workload.releaseWaiting();
        });
        workload.start();
    }

    /** The DCS server runs on the world's clock and queue, and notes what it does in the trace. */
    private DcsTimeline dcsTimeline() {
        return new DcsTimeline() {
            @Override
            public long now() {
                return now;
            }

            @Override
            public void schedule(long at, Runnable action) {
                SimWorld.this.schedule(at, action);
            }

            @Override
            public void note(long at, String event) {
                trace.event(at, "dcs", event);
            }
        };
    }

    void schedule(long at, Runnable action) {
        queue.add(new Event(Math.max(at, now), seq++, action));
    }

    void every(long period, Runnable action) {
        schedule(now + period, () -> {
            action.run();
            every(period, action);
        });
    }

    /**
     * Runs every event due up to {@code until}, checking the safety invariants after each. Re-entrant: an agent in
     * the middle of a cycle calls it to let the world catch up with its own clock.
     */
    void runUntil(long until) {
        while (!stopped && !queue.isEmpty() && queue.peek().at() <= until) {
            runNext();
        }
        if (!stopped) {
            now = Math.max(now, until);
        }
    }

    /**
     * An agent mid-cycle waits for the world to reach {@code until}. Agents wait on one call stack: one nested in
     * another's wait must finish before the outer one resumes (see {@link #overshoots}).
     */
    void waitUntil(long until) {
        waits.push(until);
        try {
            runUntil(until);
        } finally {
            waits.pop();
        }
        if (now - until > LATE) {
            lateResumes++;
        }
    }

    /**
     * Whether waiting until {@code until} would hold up an agent suspended further out, which wants to resume
     * earlier, by more than {@link #JITTER} (a delay any busy machine has). Without threads the simulator cannot
     * switch back to it; see {@code SimNode.waitFor}.
     */
    boolean overshoots(long until) {
        long earliest = earliestWait();
        return earliest != Long.MAX_VALUE && earliest + JITTER < until;
    }

    /**
     * Where the suspended agent that wants to resume first wants to (ignoring those already late: they resume as
     * soon as the stack unwinds to them, so preempting for them gains nothing and could loop).
     */
    long earliestWait() {
        long earliest = Long.MAX_VALUE;
        for (long outer : waits) {
            if (outer >= now) {
                earliest = Math.min(earliest, outer);
            }
        }
        return earliest;
    }

    /**
     * How often an agent resumed (or started a preempted cycle) more than {@link #LATE} after it wanted to, because
     * of another agent's cycle: a modelling artefact, like a scheduling hiccup on a busy machine.
     */
    void preempted() {
        preemptions++;
    }

    long preemptions() {
        return preemptions;
    }

    long lateResumes() {
        return lateResumes;
    }

    void runNext() {
        Event event = queue.poll();
        if (event == null) {
            stopped = true;
            return;
        }
        now = event.at();
        processed++;
        event.action().run();
        checkers.afterEvent();
        if (processed > EVENT_BUDGET) {
            // A bug in the simulator (or an agent that never sleeps) must fail the seed, not hang the build.
            checkers.violate("event-budget", "more than " + EVENT_BUDGET + " events: something runs in a loop");
            stopped = true;
        }
    }

    /** Runs until the cluster has converged (checked every quarter second) or {@code deadline}; when it converged. */
    Optional<Long> runUntilConverged(long deadline, boolean forksAllowed) {
        long step = 250 * SimTime.MS;
        while (!stopped && now < deadline) {
            runUntil(Math.min(deadline, now + step));
            if (!stopped && checkers.converged(forksAllowed)) {
                return Optional.of(now);
            }
        }
        return Optional.empty();
    }

    void violationRaised() {
        if (stopOnViolation) {
            stopped = true;
        }
    }

    boolean isStopped() {
        return stopped;
    }

    /** The whole DCS goes out of every node's reach; outages may overlap, and it is back when the last one ends. */
    void dcsOutageBegins() {
        if (dcsOutages++ == 0) {
            dcs.cutOff(true);
        }
    }

    /** As {@link #dcsOutageBegins()}, from just after the DCS applies {@code node}'s next {@code request}. */
    void dcsOutageAfter(String node, String request) {
        if (dcsOutages++ == 0) {
            dcs.cutOffAfter(node, request);
        }
    }

    void dcsOutageEnds() {
        if (dcsOutages > 0 && --dcsOutages == 0) {
            dcs.cutOff(false);
            // Each watch is re-established, which wakes its loop once, as after a node's own link heals.
            nodes.forEach(SimNode::dcsReachable);
        }
    }

    /** Every link healed, every agent running again: the start of the liveness phase. */
    void healEverything() {
        if (dcsOutages > 0) {
            dcsOutages = 1;
            dcsOutageEnds();
        }
        network.healAll();
        for (SimNode node : nodes) {
            node.healDcsLink();
            node.thaw();
            if (node.agent() == SimNode.Agent.DEAD) {
                node.startAgent();
            }
        }
        trace.event(now, "world", "all faults healed");
    }

    long eventsProcessed() {
        return processed;
    }

    int nextIncarnationId() {
        return nextIncarnation++;
    }

    long now() {
        return now;
    }

    SimConfig config() {
        return config;
    }

    Trace trace() {
        return trace;
    }

    Checkers checkers() {
        return checkers;
    }

    SimDcsServer dcs() {
        return dcs;
    }

    SimNetwork network() {
        return network;
    }

    List<SimNode> nodes() {
        return nodes;
    }

    Workload workload() {
        return workload;
    }

    SimNode node(String name) {
        for (SimNode node : nodes) {
            if (node.name().equals(name)) {
                return node;
            }
        }
        return null;
    }

    SimPostgres postgresOf(String name) {
        SimNode node = node(name);
        return node == null ? null : node.postgres();
    }
}
