package org.bellwether.agent.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SyncState;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;

/**
 * The cluster's keys in memory, for the write endpoints: reads return the current view; {@code failover} and
 * {@code config} writes honour compare-and-set on a version that grows with every write. {@code afterFailoverWrite}
 * lets a test play the loop (a new leader appears, or the request is withdrawn).
 */
final class FakeDcs implements Dcs {
    private ClusterView view;
    private long revision = 100;
    final List<FailoverIntent> failoverWrites = new ArrayList<>();
    final List<SortedMap<String, Object>> configWrites = new ArrayList<>();
    volatile UnaryOperator<ClusterView> afterFailoverWrite = v -> v;
    /** Another writer always gets there first: every compare-and-set on {@code config} fails. */
    volatile boolean loseConfigRaces;

    FakeDcs(ClusterView view) {
        this.view = view;
    }

    synchronized void set(ClusterView next) {
        view = next;
    }

    synchronized void change(UnaryOperator<ClusterView> change) {
        view = change.apply(view);
    }

    @Override
    public synchronized ClusterView read() {
        return view;
    }

    @Override
    public synchronized boolean writeFailover(FailoverIntent intent, OptionalLong expectedVersion) {
        long current = view.failover().map(FailoverIntent::version).orElse(0L);
        if (expectedVersion.isPresent() && expectedVersion.getAsLong() != current) {
            return false;
        }
        failoverWrites.add(intent);
        FailoverIntent stored =
                new FailoverIntent(intent.leader(), intent.candidate(), intent.scheduledAt(), ++revision);
        view = with(view, Optional.of(stored), view.config(), view.leader());
        UnaryOperator<ClusterView> then = afterFailoverWrite;
        Thread loop = new Thread(() -> {
            sleep(100);
            change(then);
        });
        loop.setDaemon(true);
        loop.start();
        return true;
    }

    @Override
    public synchronized boolean writeConfig(SortedMap<String, Object> config, OptionalLong expectedVersion) {
        long current = view.config().map(ClusterConfig::version).orElse(0L);
        if (loseConfigRaces || expectedVersion.isPresent() && expectedVersion.getAsLong() != current) {
            return false;
        }
        configWrites.add(new TreeMap<>(config));
        view = with(view, view.failover(), Optional.of(new ClusterConfig(config, ++revision)), view.leader());
        return true;
    }

    static ClusterView with(
            ClusterView c,
            Optional<FailoverIntent> failover,
            Optional<ClusterConfig> config,
            Optional<ClusterView.LeaderKey> leader) {
        return new ClusterView(
                c.initialize(),
                config,
                leader,
                c.members(),
                c.optime(),
                c.slots(),
                c.history(),
                failover,
                c.sync(),
                c.failsafe());
    }

    /** The loop's doing: {@code name} holds the lock now and the request is cleared. */
    static UnaryOperator<ClusterView> newLeader(String name) {
        return v -> with(v, Optional.empty(), v.config(), Optional.of(new ClusterView.LeaderKey(name, 999)));
    }

    /** The leader refused the request and cleared it. */
    static UnaryOperator<ClusterView> withdrawn() {
        return v -> with(v, Optional.empty(), v.config(), v.leader());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- not used by the write endpoints ----

    @Override
    public void configure(Duration ttl, Duration retryTimeout) {}

    @Override
    public boolean takeInitializeKey(String value) throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void writeInitialize(String systemId) throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public boolean replaceInitialize(String systemId, long expectedVersion) throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public boolean deleteLeaderKey(long expectedVersion) throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void cancelInitialize() throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public boolean acquireLeaderLock() throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public boolean renewLeaderLock() throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void releaseLeaderLock() throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void publishMember(Member member) throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void writeStatus(Lsn optime, SortedMap<String, Lsn> slots, java.util.List<String> retainSlots)
            throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void writeHistory(List<HistoryEntry> history) throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void writeFailsafe(java.util.SortedMap<String, String> members) throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void deleteFailover() throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public boolean writeSync(SyncState sync, OptionalLong expectedVersion) throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void onChange(Runnable listener) {}

    @Override
    public void deleteCluster() throws DcsException {
        throw new DcsException("not in this fake");
    }

    @Override
    public void close() {}
}
