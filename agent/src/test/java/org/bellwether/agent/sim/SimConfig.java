package org.bellwether.agent.sim;

import java.util.Locale;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.bellwether.core.SynchronousMode;

/**
 * The shape of one simulated cluster: how many nodes, Patroni's timing keys, and the pace of replication and of the
 * client workload. Swarm runs draw it from the seed; scenarios set it with {@code cluster nodes=3 ttl=10 ...}.
 *
 * @param startStagger agents start at random times within this window (0: n1, n2, ... one after another, so that
 *     scenarios know n1 bootstraps the cluster)
 * @param fence whether each agent runs its fencing guard (off only to show what the guard prevents)
 * @param synchronousMode {@code synchronous_mode} on or quorum: a write is acknowledged only once the standbys the
 *     primary waits for have it; {@code synchronousNodeCount} is {@code synchronous_node_count}
 * @param failsafeMode {@code failsafe_mode: true}: a primary cut off from the DCS stays primary while every member
 *     the {@code failsafe} key lists acknowledges its {@code POST /failsafe}
 * @param clockDriftPpm how far each machine's monotonic clock may run fast or slow, in parts per million (0 unless
 *     asked for: {@code -Dsim.clockDrift}, or {@code clock_drift=} in a scenario)
 */
record SimConfig(
        int nodes,
        int ttlSeconds,
        int loopWaitSeconds,
        int retryTimeoutSeconds,
        long maximumLagOnFailover,
        long replicationTick,
        long writeIntervalMin,
        long writeIntervalMax,
        int writeBytesMax,
        long startStagger,
        boolean fence,
        SynchronousMode synchronousMode,
        int synchronousNodeCount,
        boolean failsafeMode,
        int clockDriftPpm) {

    static SimConfig defaults() {
        return new SimConfig(
                3,
                10,
                2,
                4,
                1 << 20,
                100 * SimTime.MS,
                50 * SimTime.MS,
                200 * SimTime.MS,
                4096,
                0,
                true,
                SynchronousMode.OFF,
                1,
                false,
                0);
    }

    /** A cluster drawn from the seed: mostly three nodes, timings that keep {@code loop_wait + 2 * retry <= ttl}. */
    static SimConfig swarm(SplittableRandom rng) {
        int draw = rng.nextInt(20);
        int nodes = draw < 2 ? 2 : draw < 14 ? 3 : draw < 17 ? 4 : 5;
        int ttl = 8 + rng.nextInt(13);
        int loopWait = 1 + rng.nextInt(3);
        int retry = Math.max(1, (ttl - loopWait) / 2 - rng.nextInt(2));
        long[] lags = {16 << 10, 64 << 10, 256 << 10, 1 << 20};
        SynchronousMode[] modes = {
            SynchronousMode.OFF, SynchronousMode.OFF, SynchronousMode.OFF, SynchronousMode.OFF,
            SynchronousMode.ON, SynchronousMode.ON, SynchronousMode.QUORUM, SynchronousMode.QUORUM
        };
        return new SimConfig(
                nodes,
                ttl,
                loopWait,
                retry,
                lags[rng.nextInt(lags.length)],
                SimTime.between(rng, 100 * SimTime.MS, 300 * SimTime.MS),
                SimTime.between(rng, 50 * SimTime.MS, 150 * SimTime.MS),
                SimTime.between(rng, 200 * SimTime.MS, 500 * SimTime.MS),
                512 + rng.nextInt(16384),
                SimTime.seconds(2),
                true,
                // Drawn last, so the other draws of a seed stay what they were before synchronous mode existed.
                modes[rng.nextInt(modes.length)],
                1 + rng.nextInt(2),
                // After those, for the same reason: a quarter of the seeds, across all synchronous modes.
                rng.nextInt(4) == 0,
                0);
    }

    long ttl() {
        return ttlSeconds * SimTime.SECOND;
    }

    long loopWait() {
        return loopWaitSeconds * SimTime.SECOND;
    }

    long retryTimeout() {
        return retryTimeoutSeconds * SimTime.SECOND;
    }

    /** The {@code bootstrap.dcs} section every node carries; the node that bootstraps writes it as {@code config}. */
    SortedMap<String, Object> bootstrapDcs() {
        SortedMap<String, Object> dcs = new TreeMap<>();
        dcs.put("ttl", ttlSeconds);
        dcs.put("loop_wait", loopWaitSeconds);
        dcs.put("retry_timeout", retryTimeoutSeconds);
        dcs.put("maximum_lag_on_failover", maximumLagOnFailover);
        if (synchronous()) {
            dcs.put("synchronous_mode", synchronousMode.name().toLowerCase(Locale.ROOT));
            dcs.put("synchronous_node_count", synchronousNodeCount);
        }
        if (failsafeMode) {
            dcs.put("failsafe_mode", true);
        }
        return dcs;
    }

    SimConfig withNodes(int n) {
        return with(b -> b.nodes = n);
    }

    SimConfig withTiming(int ttl, int loopWait, int retry) {
        return with(b -> {
            b.ttlSeconds = ttl;
            b.loopWaitSeconds = loopWait;
            b.retryTimeoutSeconds = retry;
        });
    }

    SimConfig withMaximumLag(long bytes) {
        return with(b -> b.maximumLagOnFailover = bytes);
    }

    SimConfig withFence(boolean on) {
        return with(b -> b.fence = on);
    }

    SimConfig withSynchronousMode(SynchronousMode mode, int nodeCount) {
        return with(b -> {
            b.synchronousMode = mode;
            b.synchronousNodeCount = nodeCount;
        });
    }

    SimConfig withFailsafeMode(boolean on) {
        return with(b -> b.failsafeMode = on);
    }

    SimConfig withClockDrift(int ppm) {
        return with(b -> b.clockDriftPpm = ppm);
    }

    /** A copy with some settings changed: every wither goes through here, so adding a setting touches one place. */
    private SimConfig with(java.util.function.Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The settings of a config, to change some before building a new one. */
    private static final class Copy {
        int nodes;
        int ttlSeconds;
        int loopWaitSeconds;
        int retryTimeoutSeconds;
        long maximumLagOnFailover;
        final long replicationTick;
        final long writeIntervalMin;
        final long writeIntervalMax;
        final int writeBytesMax;
        final long startStagger;
        boolean fence;
        SynchronousMode synchronousMode;
        int synchronousNodeCount;
        boolean failsafeMode;
        int clockDriftPpm;

        Copy(SimConfig c) {
            nodes = c.nodes;
            ttlSeconds = c.ttlSeconds;
            loopWaitSeconds = c.loopWaitSeconds;
            retryTimeoutSeconds = c.retryTimeoutSeconds;
            maximumLagOnFailover = c.maximumLagOnFailover;
            replicationTick = c.replicationTick;
            writeIntervalMin = c.writeIntervalMin;
            writeIntervalMax = c.writeIntervalMax;
            writeBytesMax = c.writeBytesMax;
            startStagger = c.startStagger;
            fence = c.fence;
            synchronousMode = c.synchronousMode;
            synchronousNodeCount = c.synchronousNodeCount;
            failsafeMode = c.failsafeMode;
            clockDriftPpm = c.clockDriftPpm;
        }

        SimConfig build() {
            return new SimConfig(
                    nodes,
                    ttlSeconds,
                    loopWaitSeconds,
                    retryTimeoutSeconds,
                    maximumLagOnFailover,
                    replicationTick,
                    writeIntervalMin,
                    writeIntervalMax,
                    writeBytesMax,
                    startStagger,
                    fence,
                    synchronousMode,
                    synchronousNodeCount,
                    failsafeMode,
                    clockDriftPpm);
        }
    }

    boolean synchronous() {
        return synchronousMode != SynchronousMode.OFF;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "nodes=%d ttl=%d loop_wait=%d retry_timeout=%d maximum_lag_on_failover=%d replication_tick=%s%s%s%s%s",
                nodes,
                ttlSeconds,
                loopWaitSeconds,
                retryTimeoutSeconds,
                maximumLagOnFailover,
                SimTime.format(replicationTick),
                fence ? "" : " fence=off",
                synchronous()
                        ? " synchronous_mode=" + synchronousMode.name().toLowerCase(Locale.ROOT)
                                + " synchronous_node_count=" + synchronousNodeCount
                        : "",
                failsafeMode ? " failsafe_mode=on" : "",
                clockDriftPpm > 0 ? " clock_drift=" + clockDriftPpm : "");
    }
}
