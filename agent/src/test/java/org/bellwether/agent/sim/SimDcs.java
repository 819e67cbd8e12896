package org.bellwether.agent.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SyncState;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;

/**
 * One agent's session with the simulated DCS. Every call spends the node's time: it is sent at the node's current
 * instant, applied when it reaches the store, and answered (or times out at the retry budget) later. A restarted agent
 * opens a new session with a new lease, as a new etcd client would.
 */
final class SimDcs implements Dcs {
    @FunctionalInterface
    private interface Op<T> {
        T apply();
    }

    private final SimNode node;
    private final SimDcsServer server;
    private final DcsLink link;
    private final List<Runnable> listeners = new ArrayList<>();
    private long ttl = SimTime.seconds(30);
    private long budget = SimTime.seconds(10);
    private long lease;
    private long leaderLease;
    private Optional<Member> lastMember = Optional.empty();
    private long lastMemberLease;
    private Optional<Lsn> lastStatus = Optional.empty();
    private boolean open = true;

    /** etcd's "requested lease not found": the call fails, the next one grants a new lease. */
    private static final class LeaseGone extends RuntimeException {
        LeaseGone() {
            super("requested lease not found", null, false, false);
        }
    }

    SimDcs(SimNode node, SimDcsServer server, DcsLink link) {
        this.node = node;
        this.server = server;
        this.link = link;
        server.register(this);
    }

    /**
     * One round trip. The world first catches up with this node's clock; the request reaches the store at its
     * arrival time (other nodes' events up to then happen first) even if this agent freezes or dies meanwhile; the
     * answer is processed at its own time, when the agent may be frozen (it waits) or dead (its cycle ends there).
     */
    private <T> T call(String what, boolean write, Op<T> op) throws DcsException {
        if (write) {
            // Only a read belongs to the observing part of a cycle; any other call comes after the decision.
            node.actingNow();
        }
        node.sync();
        long sent = node.localNow();
        DcsLink.Outcome outcome = link.plan(sent, write, budget, server.stallUntil());
        T result = null;
        boolean ok = outcome.ok();
        long doneAt = outcome.doneAt();
        boolean leaseGone = false;
        if (outcome.delivered()) {
            node.waitForWorld(outcome.deliverAt());
            long appliedAt = Math.max(outcome.deliverAt(), node.world().now());
            server.advance(appliedAt);
            try {
                result = op.apply();
            } catch (LeaseGone e) {
                leaseGone = true;
            }
            if (ok) {
                // Held up behind other events: the answer is late by as much, and may come too late.
                doneAt = appliedAt + (outcome.doneAt() - outcome.deliverAt());
                if (doneAt > sent + budget) {
                    ok = false;
                    doneAt = sent + budget;
                }
            }
        }
        node.spendUntil(doneAt);
        node.sync();
        if (!ok) {
            String why =
                    outcome.delivered() ? "outcome unknown, the request may have been applied" : "deadline exceeded";
            throw new DcsException(what + " for '" + node.name() + "': " + why);
        }
        if (leaseGone) {
            throw new DcsException(what + " for '" + node.name() + "': requested lease not found");
        }
        return result;
    }

    @Override
    public ClusterView read() throws DcsException {
        return call("read cluster", false, () -> {
            ClusterView view = server.view();
            leaderLease = server.leaderLeaseOf(node.name());
            if (!server.member(node.name()).equals(lastMember) || server.memberLease(node.name()) != lastMemberLease) {
                lastMember = Optional.empty();
            }
            lastStatus = view.optime();
            return view;
        });
    }

    @Override
    public void configure(Duration ttl, Duration retryTimeout) {
        this.ttl = ttl.toNanos();
        this.budget = retryTimeout.toNanos();
    }

    /** This session's lease, kept alive once now, or granted when there is none or the DCS forgot it. */
    private long freshLease() {
        if (lease != 0 && server.keepAlive(lease, ttl)) {
            return lease;
        }
        lease = server.grant(ttl);
        return lease;
    }

    @Override
    public boolean takeInitializeKey(String value) throws DcsException {
        return call("take initialize key", true, () -> server.takeInitialize(value, this));
    }

    @Override
    public void writeInitialize(String systemId) throws DcsException {
        call("write initialize key", true, () -> {
            server.writeInitialize(systemId, this);
            return null;
        });
    }

    @Override
    public void cancelInitialize() throws DcsException {
        call("delete initialize key", true, () -> {
            server.cancelInitialize(this);
            return null;
        });
    }

    @Override
    public boolean writeConfig(SortedMap<String, Object> config, OptionalLong expectedVersion) throws DcsException {
        return call("write config", true, () -> server.writeConfig(config, expectedVersion, this));
    }

    @Override
    public boolean acquireLeaderLock() throws DcsException {
        return call("acquire leader lock", true, () -> {
            long id = freshLease();
            boolean held = server.acquire(node.name(), id, this) || server.leaderLeaseOf(node.name()) == id;
            leaderLease = held ? id : 0;
            return held;
        });
    }

    /** As the etcd adapter: keepalive first, then check the key still names this node, moving it if needed. */
    @Override
    public boolean renewLeaderLock() throws DcsException {
        return call("renew leader lock", true, () -> {
            long id = freshLease();
            if (!server.hasLeader()) {
                // Re-create the key only when the lease it was on expired and took it along.
                boolean leaseExpired = leaderLease != 0 && leaderLease != id;
                boolean held = leaseExpired && server.acquire(node.name(), id, this);
                leaderLease = held ? id : 0;
                return held;
            }
            long on = server.leaderLeaseOf(node.name());
            if (on == 0) {
                leaderLease = 0;
                return false;
            }
            if (on != id) {
                server.moveLeader(node.name(), id);
            }
            leaderLease = id;
            return true;
        });
    }

    @Override
    public void releaseLeaderLock() throws DcsException {
        call("release leader lock", true, () -> {
            server.release(node.name(), this);
            leaderLease = 0;
            return null;
        });
    }

    /** Keeps the lease alive only while it does not carry the leader key: the lock ends when renewals stop. */
    @Override
    public void publishMember(Member member) throws DcsException {
        boolean leading = lease != 0 && lease == leaderLease;
        if (leading && lastMember.equals(Optional.of(member)) && lastMemberLease == lease) {
            return;
        }
        call("publish member key", true, () -> {
            long id = leading ? lease : freshLease();
            if (lastMember.equals(Optional.of(member)) && lastMemberLease == id) {
                return null;
            }
            if (!server.putMember(member, id)) {
                lease = 0;
                throw new LeaseGone();
            }
            lastMember = Optional.of(member);
            lastMemberLease = id;
            return null;
        });
    }

    @Override
    public void writeStatus(Lsn optime, SortedMap<String, Lsn> slots) throws DcsException {
        if (lastStatus.equals(Optional.of(optime))) {
            return;
        }
        call("write status", true, () -> {
            server.writeStatus(optime, node.postgres().history(), this);
            lastStatus = Optional.of(optime);
            return null;
        });
    }

    @Override
    public void writeHistory(List<HistoryEntry> history) throws DcsException {
        call("write history", true, () -> {
            server.writeHistory(history, this);
            return null;
        });
    }

    @Override
    public void writeFailsafe(SortedMap<String, String> members) throws DcsException {
        // The simulated clusters run without failsafe_mode: their leaders never write this key.
        throw new DcsException("failsafe is not simulated");
    }

    @Override
    public boolean writeFailover(FailoverIntent intent, OptionalLong expectedVersion) throws DcsException {
        return call("write failover key", true, () -> server.writeFailover(intent, expectedVersion, this));
    }

    @Override
    public void deleteFailover() throws DcsException {
        call("delete failover key", true, () -> {
            server.deleteFailover(this);
            return null;
        });
    }

    @Override
    public boolean writeSync(SyncState sync, OptionalLong expectedVersion) throws DcsException {
        return call("write sync key", true, () -> server.writeSync(sync, expectedVersion, this));
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void deleteCluster() throws DcsException {
        call("delete cluster", true, () -> {
            server.deleteCluster(this);
            return null;
        });
    }

    String nodeName() {
        return node.name();
    }

    /** The store changed at {@code at}: the watch reaches this session over its link, if the link carries it. */
    void deliverChange(long at) {
        if (!open || listeners.isEmpty() || !link.deliversWatches()) {
            return;
        }
        List<Runnable> targets = List.copyOf(listeners);
        node.world().schedule(at + link.watchDelay(), () -> {
            if (open) {
                targets.forEach(Runnable::run);
            }
        });
    }

    @Override
    public void close() {
        open = false;
    }
}
