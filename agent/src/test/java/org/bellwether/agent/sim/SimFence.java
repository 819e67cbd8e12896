package org.bellwether.agent.sim;

import java.time.Duration;
import java.util.Optional;
import org.bellwether.agent.WriteFence;

/**
 * The fencing guard process of one agent run, as {@code FenceGuard} behaves: armed with the lock deadline after every
 * cycle, it stops PostgreSQL (immediate shutdown) when the deadline passes unrenewed. It runs in its own session, so
 * freezing or killing the agent does not stop it: a guard whose agent died still fences at its deadline, then exits.
 * A machine crash takes it down with everything else. The deadline is on the agent's monotonic clock, which the guard
 * shares (CLOCK_MONOTONIC).
 */
final class SimFence implements WriteFence {
    private static final long POLL = 20 * SimTime.MS;

    private final SimNode node;
    private final SimClock clock;
    private Optional<Long> armedAt = Optional.empty();
    private int token;
    private boolean exited;

    SimFence(SimNode node, SimClock clock) {
        this.node = node;
        this.clock = clock;
    }

    @Override
    public void holdUntil(Duration deadline) {
        if (exited) {
            return;
        }
        long at = clock.worldTimeAt(deadline.toNanos());
        if (armedAt.equals(Optional.of(at))) {
            return;
        }
        armedAt = Optional.of(at);
        int mine = ++token;
        // The guard polls every 20 ms: it notices the deadline within one poll.
        long noticed = at + node.rng().nextLong(POLL);
        node.world().schedule(noticed, () -> {
            if (mine == token && !exited) {
                fire();
            }
        });
    }

    private void fire() {
        armedAt = Optional.empty();
        SimPostgres postgres = node.postgres();
        if (!postgres.isRunning() && postgres.runState() == org.bellwether.core.ha.LocalPostgres.RunState.STOPPED) {
            node.world()
                    .trace()
                    .event(node.world().now(), node.name(), "fence: lock deadline passed, PostgreSQL not running");
            return;
        }
        node.world()
                .trace()
                .event(node.world().now(), node.name(), "fence: lock deadline passed unrenewed, immediate shutdown");
        postgres.immediateShutdown();
    }

    @Override
    public void release() {
        armedAt = Optional.empty();
        token++;
    }

    @Override
    public void close() {
        release();
        exited = true;
    }

    /** The agent died: with no more commands an armed guard still fences at its deadline, an idle one exits. */
    void agentGone() {
        if (armedAt.isEmpty()) {
            exited = true;
        }
    }

    /** The machine went down. */
    void kill() {
        token++;
        exited = true;
        armedAt = Optional.empty();
    }
}
