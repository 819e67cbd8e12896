package org.bellwether.agent.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SyncState;

/**
 * The DCS itself: one linearizable store for the cluster's keys, applying requests one at a time in arrival order on
 * its own clock. Leases expire on this clock, never on a node's. Only changes that Patroni watches for (leader,
 * initialize, config, failover, sync, history) wake the nodes; member and status keys change every cycle and would
 * wake everybody all the time.
 *
 * <p>Keys on a lease (the leader key, member keys) go when the lease expires, as in etcd.
 *
 * <p>The server runs on a {@link DcsTimeline}: the simulated world's, or real time for the DCS contract test, where
 * callers on several threads meet here; {@link #apply} and the server's own scheduled work hold its monitor.
 */
final class SimDcsServer {
    private record Leader(String name, long modRevision, long leaseId) {}

    private record Lease(long ttl, long expiresAt) {}

    private record Versioned<T>(T value, long modRevision) {}

    private record MemberEntry(Member member, long leaseId) {}

    private final DcsTimeline timeline;
    private final List<SimDcs> clients = new ArrayList<>();
    private final TreeMap<Long, Lease> leases = new TreeMap<>();
    private final TreeMap<String, MemberEntry> members = new TreeMap<>();
    private long revision = 1;
    private long nextLeaseId = 1;
    private long serverNow;
    private long stallStart = -1;
    private long stallEnd = -1;
    private Optional<Versioned<String>> initialize = Optional.empty();
    private Optional<Versioned<SortedMap<String, Object>>> config = Optional.empty();
    private Optional<Leader> leader = Optional.empty();
    private Optional<Lsn> optime = Optional.empty();
    private SortedMap<String, Lsn> slots = new TreeMap<>();
    private List<String> retainSlots = List.of();
    private Optional<Incarnation> optimeHistory = Optional.empty();
    private List<HistoryEntry> history = List.of();
    private Optional<FailoverIntent> failover = Optional.empty();
    private Optional<SyncState> sync = Optional.empty();
    private Optional<SortedMap<String, String>> failsafe = Optional.empty();
    private boolean cutOff;
    /** The node and request ({@code renewal}, {@code status}) that is the last one applied before a cut-off, if any. */
    private Optional<String> cutOffAfter = Optional.empty();

    SimDcsServer(DcsTimeline timeline) {
        this.timeline = timeline;
    }

    DcsTimeline timeline() {
        return timeline;
    }

    /** One request, applied when it reaches the store at {@code at}: the store catches up with its clock first. */
    synchronized <T> T apply(long at, java.util.function.Supplier<T> request) {
        advance(at);
        return request.get();
    }

    synchronized void register(SimDcs client) {
        clients.add(client);
    }

    /** Moves the store's clock to {@code t} (never back) and expires what ran out meanwhile. */
    void advance(long t) {
        serverNow = Math.max(serverNow, t);
        if (stallEnd >= 0 && serverNow >= stallEnd) {
            // etcd's new leader refreshes every lease to a full ttl, so an election never expires a healthy lease.
            for (Map.Entry<Long, Lease> e : leases.entrySet()) {
                e.setValue(new Lease(e.getValue().ttl, stallEnd + e.getValue().ttl));
            }
            stallStart = -1;
            stallEnd = -1;
        }
        if (stallStart >= 0 && serverNow >= stallStart) {
            return;
        }
        Optional<Leader> lost = Optional.empty();
        Iterator<Map.Entry<Long, Lease>> it = leases.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Lease> e = it.next();
            if (e.getValue().expiresAt <= serverNow) {
                // Read the key first: removing from a TreeMap may reuse this entry for its successor.
                long id = e.getKey();
                it.remove();
                if (leader.isPresent() && leader.get().leaseId == id) {
                    lost = leader;
                    leader = Optional.empty();
                }
            }
        }
        members.values().removeIf(m -> !leases.containsKey(m.leaseId));
        if (lost.isPresent()) {
            revision++;
            timeline.note(serverNow, "leader key of " + lost.get().name + " expired with lease " + lost.get().leaseId);
            changed(null);
        }
    }

    long now() {
        return serverNow;
    }

    /** From {@code start} until {@code end} the DCS elects a new leader: requests wait, no lease expires. */
    synchronized void stall(long start, long end) {
        stallStart = start;
        stallEnd = end;
        timeline.schedule(end, () -> {
            synchronized (this) {
                advance(timeline.now());
            }
        });
    }

    synchronized long stallUntil() {
        return stallEnd;
    }

    /** One pending check per lease: a keepalive only moves the expiry, and the check follows it when it fires. */
    private void watchExpiry(long leaseId, long at) {
        timeline.schedule(at, () -> {
            synchronized (this) {
                long now = timeline.now();
                advance(now);
                Lease lease = leases.get(leaseId);
                if (lease != null) {
                    // Still here though due: the DCS is electing a leader and expires nothing until it has one.
                    watchExpiry(
                            leaseId, lease.expiresAt > now ? lease.expiresAt : Math.max(stallEnd, now + SimTime.MS));
                }
            }
        });
    }

    private void changed(SimDcs writer) {
        for (SimDcs client : clients) {
            if (client != writer) {
                client.deliverChange(serverNow);
            }
        }
    }

    /** {@code status} wakes only the nodes that do not lead: the leader writes it itself after every renewal. */
    private void statusChanged(SimDcs writer) {
        for (SimDcs client : clients) {
            if (client != writer
                    && !leader.map(l -> l.name.equals(client.nodeName())).orElse(false)) {
                client.deliverChange(serverNow);
            }
        }
    }

    /** The store as a read shows it; a leader key that names no possible node is shown as such, as the codec does. */
    ClusterView view() {
        List<Member> live = members.values().stream().map(MemberEntry::member).toList();
        Optional<ClusterView.LeaderKey> key = leader.map(l -> new ClusterView.LeaderKey(l.name, l.modRevision));
        return new ClusterView(
                initialize.map(Versioned::value),
                config.map(c -> new ClusterConfig(c.value(), c.modRevision())),
                key.filter(k -> Member.isValidName(k.name())),
                live,
                optime,
                slots,
                history,
                failover,
                sync,
                failsafe,
                initialize.map(Versioned::modRevision).orElse(0L),
                key.filter(k -> !Member.isValidName(k.name())),
                List.of(),
                retainSlots);
    }

    boolean takeInitialize(String value, SimDcs writer) {
        if (initialize.isPresent()) {
            return false;
        }
        initialize = Optional.of(new Versioned<>(value, ++revision));
        changed(writer);
        return true;
    }

    void writeInitialize(String value, SimDcs writer) {
        initialize = Optional.of(new Versioned<>(value, ++revision));
        changed(writer);
    }

    boolean replaceInitialize(String value, long expected, SimDcs writer) {
        if (!versionMatches(OptionalLong.of(expected), initialize.map(Versioned::modRevision))) {
            return false;
        }
        writeInitialize(value, writer);
        return true;
    }

    void cancelInitialize(SimDcs writer) {
        initialize = Optional.empty();
        revision++;
        changed(writer);
    }

    /**
     * A compare-and-set's condition, as the port's contract states it for every versioned key: version 0 expects the
     * key to be absent, any other the key at that version, and no version writes unconditionally.
     */
    private static boolean versionMatches(OptionalLong expected, Optional<Long> current) {
        return expected.isEmpty() || current.orElse(0L) == expected.getAsLong();
    }

    boolean writeConfig(SortedMap<String, Object> value, OptionalLong expected, SimDcs writer) {
        if (!versionMatches(expected, config.map(Versioned::modRevision))) {
            return false;
        }
        config = Optional.of(new Versioned<>(new TreeMap<>(value), ++revision));
        changed(writer);
        return true;
    }

    /** Keeps a lease alive; a lease that expired is gone for good, as in etcd. */
    boolean keepAlive(long leaseId, long ttl) {
        Lease lease = leases.get(leaseId);
        if (lease == null) {
            return false;
        }
        leases.put(leaseId, new Lease(ttl, serverNow + ttl));
        return true;
    }

    long grant(long ttl) {
        long id = nextLeaseId++;
        leases.put(id, new Lease(ttl, serverNow + ttl));
        timeline.note(serverNow, "lease " + id + " granted until " + SimTime.format(serverNow + ttl));
        watchExpiry(id, serverNow + ttl);
        return id;
    }

    boolean acquire(String name, long leaseId, SimDcs writer) {
        if (leader.isPresent()) {
            return false;
        }
        leader = Optional.of(new Leader(name, ++revision, leaseId));
        timeline.note(serverNow, "leader key created by " + name + " on lease " + leaseId);
        changed(writer);
        return true;
    }

    /** The lease the leader key hangs on, if the key names {@code name}; 0 otherwise. */
    long leaderLeaseOf(String name) {
        return leader.filter(l -> l.name.equals(name)).map(Leader::leaseId).orElse(0L);
    }

    boolean hasLeader() {
        return leader.isPresent();
    }

    boolean hasLease(long leaseId) {
        return leases.containsKey(leaseId);
    }

    /** Moves the leader key, which names {@code name}, onto {@code leaseId} (a restarted agent's new lease). */
    void moveLeader(String name, long leaseId) {
        leader = Optional.of(new Leader(name, ++revision, leaseId));
        timeline.note(serverNow, "leader key of " + name + " moved to lease " + leaseId);
    }

    void release(String name, SimDcs writer) {
        if (leader.isPresent() && leader.get().name.equals(name)) {
            leader = Optional.empty();
            revision++;
            timeline.note(serverNow, "leader key released by " + name);
            changed(writer);
        }
    }

    /** Deletes the leader key, whatever it names, if it is still at {@code expected} (a mod revision: never reused). */
    boolean deleteLeaderKey(long expected, SimDcs writer) {
        if (leader.isEmpty() || leader.get().modRevision != expected) {
            return false;
        }
        timeline.note(serverNow, "leader key '" + leader.get().name + "' deleted at version " + expected);
        leader = Optional.empty();
        revision++;
        changed(writer);
        return true;
    }

    /** Overwrites the leader key as a plain client's put does: {@code leaseId} 0 detaches it from every lease. */
    void putLeader(String name, long leaseId) {
        leader = Optional.of(new Leader(name, ++revision, leaseId));
        timeline.note(serverNow, "leader key overwritten with '" + name + "' on lease " + leaseId);
        changed(null);
    }

    /** Puts a member key on {@code leaseId}; false when etcd would answer "requested lease not found". */
    boolean putMember(Member member, long leaseId) {
        if (!leases.containsKey(leaseId)) {
            return false;
        }
        members.put(member.name(), new MemberEntry(member, leaseId));
        revision++;
        return true;
    }

    Optional<Member> member(String name) {
        return Optional.ofNullable(members.get(name)).map(MemberEntry::member);
    }

    long memberLease(String name) {
        return Optional.ofNullable(members.get(name)).map(MemberEntry::leaseId).orElse(0L);
    }

    void writeStatus(Lsn lsn, SortedMap<String, Lsn> slotPositions, Optional<Incarnation> history, SimDcs writer) {
        writeStatus(lsn, slotPositions, List.of(), history, writer);
    }

    void writeStatus(
            Lsn lsn,
            SortedMap<String, Lsn> slotPositions,
            List<String> retain,
            Optional<Incarnation> history,
            SimDcs writer) {
        optime = Optional.of(lsn);
        slots = new TreeMap<>(slotPositions);
        retainSlots = List.copyOf(retain);
        optimeHistory = history;
        revision++;
        statusChanged(writer);
    }

    /** The last {@code status.optime} and the WAL history of the node that wrote it (for the lag checker). */
    Optional<Lsn> optime() {
        return optime;
    }

    Optional<Incarnation> optimeHistory() {
        return optimeHistory;
    }

    void writeHistory(List<HistoryEntry> entries, SimDcs writer) {
        history = List.copyOf(entries);
        revision++;
        changed(writer);
    }

    boolean writeFailover(FailoverIntent intent, OptionalLong expected, SimDcs writer) {
        if (!versionMatches(expected, failover.map(FailoverIntent::version))) {
            return false;
        }
        long rev = ++revision;
        failover = Optional.of(new FailoverIntent(intent.leader(), intent.candidate(), intent.scheduledAt(), rev));
        changed(writer);
        return true;
    }

    void deleteFailover(SimDcs writer) {
        failover = Optional.empty();
        revision++;
        changed(writer);
    }

    boolean writeSync(SyncState state, OptionalLong expected, SimDcs writer) {
        if (!versionMatches(expected, sync.map(SyncState::version))) {
            return false;
        }
        long rev = ++revision;
        sync = Optional.of(new SyncState(state.leader(), state.syncStandbys(), state.quorum(), rev));
        changed(writer);
        return true;
    }

    /** A plain key, on no lease, as Patroni keeps it: it outlives the leader that wrote it. */
    void writeFailsafe(SortedMap<String, String> members, SimDcs writer) {
        failsafe = Optional.of(java.util.Collections.unmodifiableSortedMap(new TreeMap<>(members)));
        revision++;
        changed(writer);
    }

    void deleteCluster(SimDcs writer) {
        initialize = Optional.empty();
        config = Optional.empty();
        leader = Optional.empty();
        members.clear();
        optime = Optional.empty();
        slots = new TreeMap<>();
        history = List.of();
        failover = Optional.empty();
        sync = Optional.empty();
        failsafe = Optional.empty();
        revision++;
        changed(writer);
    }

    /**
     * The whole DCS cut off from every node at once (its own network down, or every client's route to it): requests
     * and watches do not get through. The store itself runs on, so leases expire on its clock as they would.
     */
    synchronized void cutOff(boolean cut) {
        cutOff = cut;
        cutOffAfter = Optional.empty();
        timeline.note(timeline.now(), cut ? "cut off from every node" : "reachable again");
    }

    /**
     * Every node loses the store right after it applies {@code node}'s next {@code request} ({@code renewal} of the
     * leader lock, {@code status} write); that request is still answered, and the node's next call is the first to
     * time out.
     */
    synchronized void cutOffAfter(String node, String request) {
        cutOffAfter = Optional.of(node + " " + request);
    }

    /** Called as {@code node}'s {@code request} is applied. */
    synchronized void applied(String node, String request) {
        if (cutOffAfter.equals(Optional.of(node + " " + request))) {
            cutOff(true);
        }
    }

    synchronized boolean isCutOff() {
        return cutOff;
    }

    Optional<SyncState> sync() {
        return sync;
    }

    Optional<String> leaderName() {
        return leader.map(Leader::name);
    }
}
