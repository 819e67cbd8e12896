package org.bellwether.agent.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.bellwether.agent.AgentLoop;
import org.bellwether.agent.WriteFence;
import org.bellwether.agent.rest.FailsafeResource;
import org.bellwether.agent.rest.InProcessRoutes;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.Decision;
import org.bellwether.core.ha.NodeIdentity;
import org.bellwether.core.status.NodeStatus;

/**
 * One machine: a PostgreSQL server that lives as long as the machine, and an agent process that can be killed,
 * frozen and restarted. The agent runs the real {@link AgentLoop}, stepped the way {@code AgentRunner} steps it: a
 * cycle, then sleep until {@code loop_wait} after the cycle began, sooner when a DCS watch or a finished operation
 * wakes it.
 *
 * <p>A cycle runs atomically in the world, but on the node's own clock it takes time: every DCS, PostgreSQL and peer
 * call moves the node's cursor forward, and a request reaches the DCS at the cursor's instant.
 */
final class SimNode {
    enum Agent {
        RUNNING,
        FROZEN,
        DEAD
    }

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    /** The key prefix of the simulated cluster, as Patroni's {@code namespace} and {@code scope} would make it. */
    private static final String SIM_PREFIX = "/service/sim/";

    private static final long CYCLE_OVERHEAD = 500_000L;

    private final SimWorld world;
    private final int index;
    private final String name;
    private final SimPostgres postgres;
    private final DcsLink link;
    private final SplittableRandom rng;
    private final SimClock machineClock;

    private AgentLoop loop;
    private InProcessRoutes restApi;
    private SimDcs dcs;
    private SimOperations operations;
    private SimFence fence;
    private Agent agent = Agent.DEAD;
    private long cursor;
    private boolean inCycle;
    private int cycleToken;
    private long nextCycleAt = Long.MAX_VALUE;
    private long nextCycleBeforeFreeze;
    private boolean pendingWake;
    private boolean pendingStart;
    private boolean sideEffects;
    private long cycleStartedAt;
    private int generation;
    private Optional<Decision> lastDecision = Optional.empty();

    /** Unwinds the cycle of an agent that was killed (or whose machine crashed) in the middle of it. */
    static final class AgentStopped extends Error {
        AgentStopped() {
            super("agent stopped mid-cycle", null, false, false);
        }
    }

    /** Abandons a cycle that has only observed so far, to run it again as soon as that holds nobody up. */
    static final class Preempted extends Error {
        Preempted() {
            super("cycle preempted before acting", null, false, false);
        }
    }

    SimNode(SimWorld world, int index, SplittableRandom rng) {
        this.world = world;
        this.index = index;
        this.name = "n" + index;
        this.rng = rng;
        this.machineClock = SimClock.draw(rng, world.config().clockDriftPpm());
        this.link = new DcsLink(new SplittableRandom(rng.nextLong()));
        this.postgres = new SimPostgres(world, name, new SplittableRandom(rng.nextLong()));
        postgres.attach(this);
    }

    // ---- the agent process

    void startAgent() {
        if (agent != Agent.DEAD) {
            return;
        }
        if (inCycle) {
            // The dead agent's cycle has not unwound yet; the new process starts once it has.
            pendingStart = true;
            return;
        }
        generation++;
        dcs = new SimDcs(new NodeDcsCaller(this), world.dcs(), link, SIM_PREFIX);
        dcs.onChange(() -> wake(world.now()));
        operations = new SimOperations(this);
        fence = new SimFence(this, machineClock);
        NodeIdentity identity = new NodeIdentity(name, Tags.NONE, world.config().bootstrapDcs());
        AgentLoop.Addresses addresses = new AgentLoop.Addresses(
                "sim", "http://" + name + ":8008/patroni", "postgres://" + name + ":5432/postgres");
        InstantSource wall = () -> EPOCH.plusNanos(localNow());
        cursor = Math.max(cursor, world.now());
        loop = new AgentLoop(
                identity,
                addresses,
                dcs,
                postgres,
                new SimPeerFetcher(world, this),
                operations,
                world.config().fence() ? fence : WriteFence.NONE,
                clock(),
                wall);
        loop.useFailsafeCaller(new SimFailsafeCaller(world, this));
        restApi = new InProcessRoutes(new FailsafeResource(loop.failsafeInbox())::register);
        agent = Agent.RUNNING;
        pendingWake = false;
        lastDecision = Optional.empty();
        world.trace().event(world.now(), name, "agent started");
        scheduleCycle(world.now());
    }

    private void scheduleCycle(long at) {
        int mine = ++cycleToken;
        nextCycleAt = at;
        world.schedule(at, () -> {
            if (mine == cycleToken) {
                cycle();
            }
        });
    }

    private void cycle() {
        if (agent != Agent.RUNNING) {
            return;
        }
        nextCycleAt = Long.MAX_VALUE;
        cursor = Math.max(cursor, world.now());
        cycleStartedAt = cursor;
        sideEffects = false;
        inCycle = true;
        Decision decision = null;
        try {
            decision = loop.runCycle(false);
        } catch (Preempted e) {
            world.preempted();
            inCycle = false;
            cursor = cycleStartedAt;
            scheduleCycle(Math.max(world.earliestWait(), world.now()) + 1);
            return;
        } catch (AgentStopped e) {
            inCycle = false;
            world.trace()
                    .event(
                            world.now(),
                            name,
                            "cycle cut short: agent " + agent.name().toLowerCase());
            if (pendingStart) {
                pendingStart = false;
                startAgent();
            }
            return;
        } catch (RuntimeException e) {
            world.checkers().agentThrew(this, e);
        }
        operations.cycleDone();
        cursor += CYCLE_OVERHEAD;
        inCycle = false;
        lastDecision = Optional.ofNullable(decision);
        world.checkers().decided(decision);
        world.trace().cycle(this, cycleStartedAt, decision);
        if (decision != null && decision.next().terminal()) {
            world.trace().event(cursor, name, "agent exits: " + decision.reason());
            stopAgentProcess();
            return;
        }
        long next = pendingWake
                ? cursor
                : Math.max(cycleStartedAt + loop.settings().loopWait().toNanos(), cursor);
        pendingWake = false;
        scheduleCycle(next);
    }

    /**
     * Before the agent touches the world mid-cycle, the world catches up with the agent's clock, so that a cycle
     * taking seconds interleaves with everything else. An agent frozen meanwhile waits here for its thaw, as a
     * stopped process would; one killed meanwhile unwinds its cycle.
     */
    void sync() {
        if (!inCycle) {
            return;
        }
        waitFor(cursor);
    }

    /**
     * Lets the world run until {@code t}. Agents wait on one call stack, so this agent's wait may hold up an agent
     * suspended further out that wants to resume sooner. While this cycle has only observed, it is abandoned and run
     * again just after that agent resumes (a scheduling delay of a millisecond or so); after it has acted it cannot
     * be, and the outer agent resumes late (counted as a modelling artefact).
     */
    void waitFor(long t) {
        int mine = generation;
        waitForWorld(t);
        while (agent == Agent.FROZEN && !world.isStopped()) {
            world.runNext();
        }
        if (generation != mine || agent != Agent.RUNNING || world.isStopped()) {
            throw new AgentStopped();
        }
        cursor = Math.max(cursor, world.now());
    }

    /** As {@link #waitFor}, but whatever happens to the agent meanwhile: a request in flight arrives regardless. */
    void waitForWorld(long t) {
        if (world.overshoots(t) && !sideEffects) {
            throw new Preempted();
        }
        world.waitUntil(t);
    }

    /**
     * The cycle has decided and is about to act (a DCS write, a PostgreSQL call): from now on it must run to its end,
     * since the decision already changed the loop's memory. Only reading the DCS, observing PostgreSQL and the
     * operation, and asking the peers come before the decision.
     */
    void actingNow() {
        sideEffects = true;
    }

    /** Something worth a look happened: run the next cycle now, or right after the one under way. */
    void wake(long at) {
        if (agent == Agent.DEAD) {
            return;
        }
        if (agent == Agent.FROZEN || inCycle) {
            pendingWake = true;
            return;
        }
        if (agent != Agent.RUNNING) {
            return;
        }
        long when = Math.max(at, cursor);
        if (when < nextCycleAt) {
            scheduleCycle(when);
        }
    }

    /** The DCS link works again; the watch is re-established, which wakes the loop once. */
    void healDcsLink() {
        link.heal();
        wake(world.now());
    }

    /** The DCS as a whole is back: over a working link the watch is re-established, which wakes the loop once. */
    void dcsReachable() {
        if (link.deliversWatches()) {
            wake(world.now());
        }
    }

    void freeze() {
        if (agent != Agent.RUNNING) {
            return;
        }
        agent = Agent.FROZEN;
        operations.freeze();
        world.trace().event(world.now(), name, "agent frozen (SIGSTOP)");
        if (inCycle) {
            return;
        }
        nextCycleBeforeFreeze = nextCycleAt;
        cycleToken++;
        nextCycleAt = Long.MAX_VALUE;
    }

    void thaw() {
        if (agent != Agent.FROZEN) {
            return;
        }
        agent = Agent.RUNNING;
        world.trace().event(world.now(), name, "agent thawed (SIGCONT)");
        if (!inCycle) {
            long at = pendingWake ? world.now() : Math.max(world.now(), nextCycleBeforeFreeze);
            pendingWake = false;
            scheduleCycle(Math.max(at, cursor));
        }
        operations.thaw();
    }

    /** The agent process dies; PostgreSQL, a separate process, keeps running. */
    void killAgent() {
        if (agent == Agent.DEAD) {
            return;
        }
        world.trace().event(world.now(), name, "agent killed");
        stopAgentProcess();
        operations.abandon();
        fence.agentGone();
    }

    /** The machine goes down: the agent and PostgreSQL with it. */
    void crash() {
        world.trace().event(world.now(), name, "machine crashed");
        if (agent != Agent.DEAD) {
            stopAgentProcess();
        }
        if (operations != null) {
            operations.cancel();
            fence.kill();
        }
        postgres.kill();
    }

    private void stopAgentProcess() {
        agent = Agent.DEAD;
        cycleToken++;
        nextCycleAt = Long.MAX_VALUE;
        dcs.close();
    }

    // ---- the node's clock: a cursor that runs ahead of the world during a cycle

    long localNow() {
        return inCycle ? cursor : Math.max(cursor, world.now());
    }

    void spend(long nanos) {
        if (inCycle) {
            cursor += nanos;
        }
    }

    void spendUntil(long t) {
        if (inCycle) {
            cursor = Math.max(cursor, t);
        }
    }

    /** The monotonic clock the agent reads: this machine's, never jumping, perhaps a little fast or slow. */
    Supplier<Duration> clock() {
        return () -> Duration.ofNanos(machineClock.read(localNow()));
    }

    // ---- what others see of this node

    /** The agent's status snapshot, if its REST API answers (it does not while frozen or dead). */
    Optional<NodeStatus> answeringStatus() {
        return agent == Agent.RUNNING ? Optional.of(loop.status()) : Optional.empty();
    }

    /**
     * The status this node's REST API answers a {@code POST} to {@code path} with, now and on its own clock; empty
     * when it does not answer (agent frozen or dead).
     */
    Optional<Integer> answerPost(String path, String body) {
        return agent == Agent.RUNNING
                ? Optional.of(restApi.call("POST", path, body, loop.status(), clock().get()))
                : Optional.empty();
    }

    /** The primary whose {@code POST /failsafe} this node's agent acknowledged within ttl, if any. */
    Optional<String> failsafeHeard() {
        return agent == Agent.DEAD
                ? Optional.empty()
                : loop.failsafeInbox()
                        .heardWithin(clock().get(), loop.settings().ttl());
    }

    /** Whether this node's own agent believes it holds the lock right now. */
    boolean believesItLeads() {
        return agent == Agent.RUNNING && loop.status().holdsLockAt(clock().get());
    }

    Optional<Decision> lastDecision() {
        return lastDecision;
    }

    Agent agent() {
        return agent;
    }

    SimWorld world() {
        return world;
    }

    int index() {
        return index;
    }

    String name() {
        return name;
    }

    SimPostgres postgres() {
        return postgres;
    }

    DcsLink link() {
        return link;
    }

    SplittableRandom rng() {
        return rng;
    }
}
