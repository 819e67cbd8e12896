package org.bellwether.agent.sim;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The DCS contract that etcd and ZooKeeper pass, run against the simulator's DCS ({@link SimDcs} sessions on one
 * {@link SimDcsServer}), so that the simulation stays honest: what the simulated agents rely on is what the real
 * backends do. The server runs on real time here, and the faults are the simulator's own: a cut is a partitioned
 * {@link DcsLink}, lost replies are its ambiguous writes, and a server restart is a DCS election ({@code stall}).
 */
class SimDcsContractTest extends DcsContract {
    /** An election's length: requests wait it out, leases survive it (etcd refreshes them on a new leader). */
    private static final Duration RESTART = Duration.ofMillis(400);

    private final RealTimeDcsTimeline timeline = new RealTimeDcsTimeline();
    private final SimDcsServer server = new SimDcsServer(timeline);
    private final SimDcsRaw raw = new SimDcsRaw(server);
    private final Map<Dcs, DcsLink> links = new IdentityHashMap<>();
    private final SplittableRandom rng = new SplittableRandom(42);

    @AfterEach
    void stopServer() {
        timeline.close();
    }

    @Override
    protected Dcs newAdapter(String prefix, String name, Duration ttl, Duration retryTimeout) {
        DcsLink link = new DcsLink(rng.split());
        SimDcs dcs = new SimDcs(new RealTimeDcsCaller(name, timeline), server, link, prefix);
        dcs.configure(ttl, retryTimeout);
        links.put(dcs, link);
        return dcs;
    }

    @Override
    protected void cut(Dcs node) {
        links.get(node).partition();
    }

    @Override
    protected void dropReplies(Dcs node) {
        links.get(node).ambiguous(1.0);
    }

    @Override
    protected void heal(Dcs node) {
        links.get(node).heal();
    }

    @Override
    protected void restartServers() throws Exception {
        long now = timeline.now();
        server.stall(now, now + RESTART.toNanos());
        timeline.sleepUntil(now + RESTART.toNanos());
    }

    @Override
    protected Map<String, String> rawValues(String prefix) {
        return raw.values();
    }

    @Override
    protected void writeRaw(String prefix, String relative, String value) {
        raw.write(relative, value);
    }

    @Override
    protected boolean livesWith(String prefix, String relative, Dcs node) {
        SimDcs session = (SimDcs) node;
        return raw.livesOn(relative, session.nodeName(), session.lease());
    }

    // The simulated server expires a lease at its ttl exactly (checked on every call and at the instant it is due),
    // so shorter times than the real backends' keep the test fast without making it flaky.

    @Override
    protected Duration ttl() {
        return Duration.ofSeconds(5);
    }

    @Override
    protected Duration shortTtl() {
        return Duration.ofSeconds(1);
    }

    @Override
    protected Duration retry() {
        return Duration.ofSeconds(1);
    }

    @Override
    protected Duration expirySlack() {
        return Duration.ofMillis(500);
    }
}
