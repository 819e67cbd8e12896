package org.bellwether.agent.sim;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SyncState;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;
import org.bellwether.dcs.PatroniKeys;

/**
 * One agent's session with the simulated DCS. Every call spends the caller's time: it is sent at the caller's current
 * instant, applied when it reaches the store, and answered (or times out at the retry budget) later. A restarted agent
 * opens a new session with a new lease, as a new etcd client would. Errors name the call and the key as the real
 * adapters do ({@code renew leader lock for 'n1' at /service/sim/leader: ...}).
 */
final class SimDcs implements Dcs {
    @FunctionalInterface
    private interface Op<T> {
        T apply();
    }

    private final DcsCaller node;
    private final SimDcsServer server;
    private final DcsLink link;
    private final PatroniKeys keys;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long ttl = SimTime.seconds(30);
    private long budget = SimTime.seconds(10);
    private long lease;
    private long leaderLease;
    private Optional<Member> lastMember = Optional.empty();
    private long lastMemberLease;
    private Optional<Lsn> lastStatus = Optional.empty();
    private String lastStatusValue = "";
    private volatile boolean open = true;

    /** etcd's "requested lease not found": the call fails, the next one grants a new lease. */
    private static final class LeaseGone extends RuntimeException {
        LeaseGone() {
            super("requested lease not found", null, false, false);
        }
    }

    SimDcs(DcsCaller node, SimDcsServer server, DcsLink link, String prefix) {
        this.node = node;
        this.server = server;
        this.link = link;
        this.keys = new PatroniKeys(prefix);
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
            node.acting();
        }
        node.catchUp();
        long sent = node.now();
        DcsLink.Outcome outcome = server.isCutOff()
                ? DcsLink.Outcome.lost(sent, budget)
                : link.plan(sent, write, budget, server.stallUntil());
        T result = null;
        boolean ok = outcome.ok();
        long doneAt = outcome.doneAt();
        boolean leaseGone = false;
        if (outcome.delivered()) {
            node.awaitArrival(outcome.deliverAt());
            long appliedAt = Math.max(outcome.deliverAt(), server.timeline().now());
            try {
                result = server.apply(appliedAt, op::apply);
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
        node.catchUp();
        if (!ok) {
            String why =
                    outcome.delivered() ? "outcome unknown, the request may have been applied" : "deadline exceeded";
            throw new DcsException(what + ": " + why);
        }
        if (leaseGone) {
            throw new DcsException(what + ": requested lease not found");
        }
        return result;
    }

    @Override
    public ClusterView read() throws DcsException {
        return call("read cluster at " + keys.prefix(), false, () -> {
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
        return call(
                "take initialize key at " + keys.key(PatroniKeys.INITIALIZE),
                true,
                () -> server.takeInitialize(value, this));
    }

    @Override
    public void writeInitialize(String systemId) throws DcsException {
        call("write initialize key at " + keys.key(PatroniKeys.INITIALIZE), true, () -> {
            server.writeInitialize(systemId, this);
            return null;
        });
    }

    @Override
    public boolean replaceInitialize(String systemId, long expectedVersion) throws DcsException {
        return call(
                "write initialize key at " + keys.key(PatroniKeys.INITIALIZE) + " if at version " + expectedVersion,
                true,
                () -> server.replaceInitialize(systemId, expectedVersion, this));
    }

    @Override
    public boolean deleteLeaderKey(long expectedVersion) throws DcsException {
        return call(
                "delete leader key at " + keys.key(PatroniKeys.LEADER) + " if at version " + expectedVersion,
                true,
                () -> {
                    boolean deleted = server.deleteLeaderKey(expectedVersion, this);
                    if (deleted) {
                        leaderLease = 0;
                    }
                    return deleted;
                });
    }

    @Override
    public void cancelInitialize() throws DcsException {
        call("delete initialize key at " + keys.key(PatroniKeys.INITIALIZE), true, () -> {
            server.cancelInitialize(this);
            return null;
        });
    }

    @Override
    public boolean writeConfig(SortedMap<String, Object> config, OptionalLong expectedVersion) throws DcsException {
        return call(
                "write config at " + keys.key(PatroniKeys.CONFIG),
                true,
                () -> server.writeConfig(config, expectedVersion, this));
    }

    @Override
    public boolean acquireLeaderLock() throws DcsException {
        return call(lockWhat("acquire"), true, () -> {
            long id = freshLease();
            boolean held = server.acquire(node.name(), id, this) || server.leaderLeaseOf(node.name()) == id;
            leaderLease = held ? id : 0;
            return held;
        });
    }

    /** As the etcd adapter: keepalive first, then check the key still names this node, moving it if needed. */
    @Override
    public boolean renewLeaderLock() throws DcsException {
        return call(lockWhat("renew"), true, () -> {
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
            server.applied(node.name(), "renewal");
            return true;
        });
    }

    @Override
    public void releaseLeaderLock() throws DcsException {
        call(lockWhat("release"), true, () -> {
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
        call("publish member '" + node.name() + "' at " + keys.member(node.name()), true, () -> {
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
    public void writeStatus(Lsn optime, SortedMap<String, Lsn> slots, java.util.List<String> retainSlots)
            throws DcsException {
        // As the real adapters do: written when any part changed, not only the position.
        String value = optime + " " + slots + " " + retainSlots;
        if (lastStatus.equals(Optional.of(optime)) && value.equals(lastStatusValue)) {
            return;
        }
        call("write status at " + keys.key(PatroniKeys.STATUS), true, () -> {
            server.writeStatus(optime, slots, retainSlots, node.walHistory(), this);
            lastStatus = Optional.of(optime);
            lastStatusValue = value;
            server.applied(node.name(), "status");
            return null;
        });
    }

    @Override
    public void writeHistory(List<HistoryEntry> history) throws DcsException {
        call("write history at " + keys.key(PatroniKeys.HISTORY), true, () -> {
            server.writeHistory(history, this);
            return null;
        });
    }

    @Override
    public void writeFailsafe(SortedMap<String, String> members) throws DcsException {
        call("write failsafe at " + keys.key(PatroniKeys.FAILSAFE), true, () -> {
            server.writeFailsafe(members, this);
            return null;
        });
    }

    @Override
    public boolean writeFailover(FailoverIntent intent, OptionalLong expectedVersion) throws DcsException {
        return call(
                "write failover key at " + keys.key(PatroniKeys.FAILOVER),
                true,
                () -> server.writeFailover(intent, expectedVersion, this));
    }

    @Override
    public void deleteFailover() throws DcsException {
        call("delete failover key at " + keys.key(PatroniKeys.FAILOVER), true, () -> {
            server.deleteFailover(this);
            return null;
        });
    }

    @Override
    public boolean writeSync(SyncState sync, OptionalLong expectedVersion) throws DcsException {
        return call(
                "write sync key at " + keys.key(PatroniKeys.SYNC),
                true,
                () -> server.writeSync(sync, expectedVersion, this));
    }

    /**
     * A new watch wakes its listener once, as the etcd and ZooKeeper adapters' watches do when they are in place: the
     * caller reads what it may have missed before watching.
     */
    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
        if (deliversWatches()) {
            server.timeline().schedule(node.now() + link.watchDelay(), () -> {
                if (open) {
                    listener.run();
                }
            });
        }
    }

    private boolean deliversWatches() {
        return link.deliversWatches() && !server.isCutOff();
    }

    private String lockWhat(String verb) {
        return verb + " leader lock for '" + node.name() + "' at " + keys.key(PatroniKeys.LEADER);
    }

    @Override
    public void deleteCluster() throws DcsException {
        call("delete cluster at " + keys.prefix(), true, () -> {
            server.deleteCluster(this);
            return null;
        });
    }

    String nodeName() {
        return node.name();
    }

    /** The lease this session keeps alive (0 before its first grant): the one its keys live on. */
    long lease() {
        return lease;
    }

    /** The store changed at {@code at}: the watch reaches this session over its link, if the link carries it. */
    void deliverChange(long at) {
        if (!open || listeners.isEmpty() || !deliversWatches()) {
            return;
        }
        List<Runnable> targets = List.copyOf(listeners);
        server.timeline().schedule(at + link.watchDelay(), () -> {
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
