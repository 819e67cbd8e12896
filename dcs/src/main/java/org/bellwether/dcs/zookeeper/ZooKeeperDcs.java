package org.bellwether.dcs.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.bellwether.config.ZooKeeperConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SyncState;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;
import org.bellwether.dcs.PatroniCodec;
import org.bellwether.dcs.PatroniKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DCS on ZooKeeper, in Patroni's layout: one znode per key under {@code /<namespace>/<scope>}, with the same
 * values as on etcd. {@code leader} and {@code members/<name>} are ephemeral znodes of this node's one session, whose
 * timeout is {@code ttl}; the other keys are persistent.
 *
 * <p><b>The lock.</b> It is held while the session lives and the leader znode's {@code ephemeralOwner} is the current
 * session. Acquire creates the znode (it exists: lost race). Renew writes nothing: after a {@code sync} it reads the
 * znode and checks owner and name, so a true answer always rests on a round trip to the server made after the call
 * began; a disconnected (SUSPENDED) client cannot answer and the call throws once its budget is spent. When the
 * session was replaced (Curator opens a new one after an expiry or a long disconnection) a leader znode that still
 * names this node belongs to the old session: renew moves it onto the current one, deleting and re-creating it in one
 * transaction, as Patroni does (in two steps). A lost session whose znode the server already deleted is a lost lock.
 * Release deletes the znode if it names this node; Patroni closes the whole session instead, which also drops the
 * member znode.
 *
 * <p><b>Why the session's own heartbeat is safe.</b> The ZooKeeper client pings the server while connected, so the
 * session and the leader znode stay alive without the loop renewing anything: the one renewal this adapter cannot
 * prevent. It breaks none of the agent's rules. The agent measures the lock deadline from the moment its acquire or
 * renew was <em>sent</em>; that request reached the server afterwards, every request and ping restarts the server's
 * session timer, and a session expires at the earliest {@code ttl} after the last contact, so no other node can create
 * the leader znode before the agent's deadline. If the loop stops renewing while the process lives, the lock lives on
 * but the agent's deadline passes and its fencing guard stops PostgreSQL: replicas wait longer, and there is still
 * one primary at most. If the process dies or is cut off, the pings stop and the lock ends {@code ttl} later. The one
 * threat is a server granting a session timeout shorter than {@code ttl} (servers clamp it to their min/max session
 * timeout), so acquire and renew refuse to report a held lock then.
 *
 * <p><b>Versions.</b> The versions in the {@link ClusterView} are the znodes' {@code mzxid}: ZooKeeper's counterpart of
 * etcd's mod revision, never 0 for an existing znode, so 0 means "absent" for every backend (Patroni uses the mzxid as
 * {@code config}'s modify version and as {@code history}'s index). The compare-and-set itself is atomic on the znode
 * {@code version}: it reads the znode, compares the mzxid and writes with the version read, which fails if anything
 * wrote in between.
 *
 * <p>Curator and ZooKeeper types stay inside this package.
 */
public final class ZooKeeperDcs implements Dcs {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperDcs.class);

    private final String name;
    private final PatroniKeys keys;
    private final ZooKeeperConfig config;
    private final String leaderPath;
    private final String memberPath;
    private final ZooKeeperCalls calls;
    private final ZooKeeperWatch watch;
    private final ZooKeeperStore store;

    private volatile Duration ttl;
    private volatile ZooKeeperSession session;
    /** The session that owns the leader znode as last seen by acquire, renew, release or read; 0 when not leading. */
    private volatile long lockSession;

    private String lastMemberValue;
    private long lastMemberSession;
    private String lastStatusValue;
    private boolean warnedLongTimeout;

    public ZooKeeperDcs(
            String clusterPrefix, String memberName, ZooKeeperConfig config, Duration ttl, Duration retryTimeout) {
        if (!Member.isValidName(memberName)) {
            throw new IllegalArgumentException("a member name is not empty, has no '/', no white space around it and"
                    + " no control characters: '" + memberName + "'");
        }
        unsupported(config).ifPresent(reason -> {
            throw new IllegalArgumentException("zookeeper: " + reason);
        });
        if (config.cacert().isPresent()
                || config.cert().isPresent()
                || config.key().isPresent()) {
            // Kazoo reads them only with use_ssl too; say so rather than let an operator believe they are in use.
            LOG.warn("zookeeper: cacert, cert and key are ignored without use_ssl");
        }
        this.name = memberName;
        this.keys = new PatroniKeys(clusterPrefix);
        this.config = config;
        this.leaderPath = keys.key(PatroniKeys.LEADER);
        this.memberPath = keys.member(memberName);
        this.ttl = requirePositive(ttl, "ttl");
        this.calls = new ZooKeeperCalls(() -> session, retryTimeout);
        this.store = new ZooKeeperStore(keys);
        this.watch = new ZooKeeperWatch(clusterPrefix, this::wakes);
        this.session = ZooKeeperSession.open(config, this.ttl, retryTimeout, this::stateChanged);
        watch.attach(session);
    }

    /**
     * What this adapter cannot do with a configuration, said plainly. TLS needs ZooKeeper's Netty client, which is not
     * shipped; {@code set_acls} names x509 principals, which only a TLS connection can authenticate as, so the znodes
     * would lock this node out.
     */
    static Optional<String> unsupported(ZooKeeperConfig config) {
        if (config.useSsl()) {
            return Optional.of("use_ssl is not supported: ZooKeeper's TLS client needs Netty, which Bellwether does"
                    + " not ship; connect without TLS (for example through a local TLS tunnel)");
        }
        if (!config.setAcls().isEmpty()) {
            return Optional.of("set_acls is not supported: Patroni's ACLs name x509 certificate principals, which need"
                    + " use_ssl; use auth_data with the digest scheme to authenticate instead");
        }
        if (config.hosts().isEmpty()) {
            return Optional.of("no hosts configured");
        }
        return Optional.empty();
    }

    @Override
    public void configure(Duration ttl, Duration retryTimeout) {
        this.ttl = requirePositive(ttl, "ttl");
        calls.budget(retryTimeout);
    }

    @Override
    public synchronized ClusterView read() throws DcsException {
        return call("read cluster at " + keys.prefix(), a -> {
            ZooKeeperStore.Snapshot snapshot = store.read(a.zk(), a.session().requestTimeoutMillis());
            long current = snapshot.session();
            lockSession = snapshot.leader()
                            .filter(k -> k.value().equals(name) && k.ephemeralOwner() == current)
                            .isPresent()
                    ? current
                    : 0;
            Optional<ZooKeeperStore.Node> member = snapshot.member(name);
            if (member.isEmpty()
                    || member.get().ephemeralOwner() != lastMemberSession
                    || !member.get().value().equals(lastMemberValue)) {
                lastMemberValue = null;
            }
            lastStatusValue = snapshot.value(PatroniKeys.STATUS).orElse(null);
            return snapshot.view();
        });
    }

    @Override
    public synchronized boolean takeInitializeKey(String value) throws DcsException {
        String path = keys.key(PatroniKeys.INITIALIZE);
        return call("take initialize key at " + path, a -> {
            try {
                a.client().create().creatingParentsIfNeeded().forPath(path, ZooKeeperStore.bytes(value));
                return true;
            } catch (KeeperException.NodeExistsException e) {
                if (a.retried()) {
                    // The value ("" while bootstrapping) does not say who wrote it; only a read can settle it.
                    throw new ZooKeeperCalls.Refused("outcome unknown: a retried create found the key present");
                }
                return false;
            }
        });
    }

    @Override
    public synchronized void writeInitialize(String systemId) throws DcsException {
        String path = keys.key(PatroniKeys.INITIALIZE);
        call("write initialize key at " + path, a -> store.setOrCreate(a.client(), path, systemId));
    }

    @Override
    public synchronized boolean replaceInitialize(String systemId, long expectedVersion) throws DcsException {
        return compareAndSet(PatroniKeys.INITIALIZE, systemId, OptionalLong.of(expectedVersion));
    }

    @Override
    public synchronized void cancelInitialize() throws DcsException {
        String path = keys.key(PatroniKeys.INITIALIZE);
        call("delete initialize key at " + path, a -> store.delete(a.client(), path));
    }

    @Override
    public synchronized boolean writeConfig(SortedMap<String, Object> config, OptionalLong expectedVersion)
            throws DcsException {
        return compareAndSet(PatroniKeys.CONFIG, PatroniCodec.encodeConfig(config), expectedVersion);
    }

    @Override
    public synchronized boolean acquireLeaderLock() throws DcsException {
        return call(lockWhat("acquire"), a -> {
            long current = a.zk().getSessionId();
            checkTimeout(a);
            Stat stat = new Stat();
            try {
                a.client()
                        .create()
                        .storingStatIn(stat)
                        .creatingParentsIfNeeded()
                        .withMode(CreateMode.EPHEMERAL)
                        .forPath(leaderPath, ZooKeeperStore.bytes(name));
            } catch (KeeperException.NodeExistsException e) {
                // Already ours in this session: an earlier attempt of this call won before its answer got lost.
                Optional<ZooKeeperStore.Node> leader = store.get(a.client(), leaderPath);
                boolean held = leader.filter(n -> n.value().equals(name) && n.ephemeralOwner() == current)
                        .isPresent();
                lockSession = held ? current : 0;
                return held;
            }
            boolean held = stat.getEphemeralOwner() == current;
            lockSession = held ? current : 0;
            return held;
        });
    }

    @Override
    public synchronized boolean renewLeaderLock() throws DcsException {
        return call(lockWhat("renew"), a -> {
            long current = a.zk().getSessionId();
            checkTimeout(a);
            ZooKeeperStore.sync(a.zk(), leaderPath, a.session().requestTimeoutMillis());
            Optional<ZooKeeperStore.Node> leader = store.get(a.client(), leaderPath);
            if (leader.isEmpty() || !leader.get().value().equals(name)) {
                lockSession = 0; // gone with an expired session, released, or taken by another node
                return false;
            }
            ZooKeeperStore.Node node = leader.get();
            if (node.ephemeralOwner() == current) {
                lockSession = current;
                return true;
            }
            // Ours, but on another session (Curator replaced it, or a previous run of this node): move it onto
            // this one. Nobody else could take it meanwhile: the znode existed all along.
            LOG.warn(
                    "leader znode {} belongs to session 0x{}, not to this one (0x{}); re-creating it",
                    leaderPath,
                    Long.toHexString(node.ephemeralOwner()),
                    Long.toHexString(current));
            boolean moved = store.replaceEphemeral(a.client(), leaderPath, node, name);
            lockSession = moved ? current : 0;
            return moved;
        });
    }

    @Override
    public synchronized void releaseLeaderLock() throws DcsException {
        call(lockWhat("release"), a -> {
            Optional<ZooKeeperStore.Node> leader = store.get(a.client(), leaderPath);
            if (leader.isPresent() && leader.get().value().equals(name)) {
                store.deleteAtVersion(a.client(), leaderPath, leader.get().version());
            }
            lockSession = 0;
            // Patroni releases by closing its session, so its member znode is re-created by the next update; this
            // keeps the session, and the next publishMember writes the member key again anyway.
            lastMemberValue = null;
            return null;
        });
    }

    /** See {@link ZooKeeperStore#deleteUnheld} for why a znode at data version 0 is rewritten first. */
    @Override
    public synchronized boolean deleteLeaderKey(long expectedVersion) throws DcsException {
        if (expectedVersion <= 0) {
            return false;
        }
        return call(
                "delete leader key at " + leaderPath + " if at version " + expectedVersion,
                a -> store.deleteUnheld(a.client(), leaderPath, expectedVersion));
    }

    @Override
    public synchronized void publishMember(Member member) throws DcsException {
        if (!member.name().equals(name)) {
            throw new IllegalArgumentException("this node is '" + name + "', not '" + member.name() + "'");
        }
        String value = PatroniCodec.encodeMember(member);
        call("publish member '" + name + "' at " + memberPath, a -> {
            long current = a.zk().getSessionId();
            if (value.equals(lastMemberValue) && current == lastMemberSession) {
                return null;
            }
            store.putEphemeral(a.client(), memberPath, value, current, current == lastMemberSession);
            lastMemberValue = value;
            lastMemberSession = current;
            return null;
        });
    }

    @Override
    public synchronized void writeStatus(Lsn optime, SortedMap<String, Lsn> slots, List<String> retainSlots)
            throws DcsException {
        String value = PatroniCodec.encodeStatus(new PatroniCodec.Status(Optional.of(optime), slots, retainSlots));
        if (value.equals(lastStatusValue)) {
            return;
        }
        String path = keys.key(PatroniKeys.STATUS);
        call("write status at " + path, a -> store.setOrCreate(a.client(), path, value));
        lastStatusValue = value;
    }

    @Override
    public synchronized void writeHistory(List<HistoryEntry> history) throws DcsException {
        String path = keys.key(PatroniKeys.HISTORY);
        String value = PatroniCodec.encodeHistory(history);
        call("write history at " + path, a -> store.setOrCreate(a.client(), path, value));
    }

    @Override
    public synchronized void writeFailsafe(SortedMap<String, String> members) throws DcsException {
        String path = keys.key(PatroniKeys.FAILSAFE);
        String value = PatroniCodec.encodeFailsafe(members);
        call("write failsafe at " + path, a -> store.setOrCreate(a.client(), path, value));
    }

    @Override
    public synchronized boolean writeFailover(FailoverIntent intent, OptionalLong expectedVersion) throws DcsException {
        return compareAndSet(PatroniKeys.FAILOVER, PatroniCodec.encodeFailover(intent), expectedVersion);
    }

    @Override
    public synchronized void deleteFailover() throws DcsException {
        String path = keys.key(PatroniKeys.FAILOVER);
        call("delete failover key at " + path, a -> store.delete(a.client(), path));
    }

    @Override
    public synchronized boolean writeSync(SyncState sync, OptionalLong expectedVersion) throws DcsException {
        return compareAndSet(PatroniKeys.SYNC, PatroniCodec.encodeSync(sync), expectedVersion);
    }

    @Override
    public void onChange(Runnable listener) {
        watch.addListener(Objects.requireNonNull(listener));
    }

    @Override
    public synchronized void deleteCluster() throws DcsException {
        call("delete cluster at " + keys.prefix(), a -> {
            store.deleteTree(a.client(), store.root());
            lockSession = 0;
            lastMemberValue = null;
            lastStatusValue = null;
            return null;
        });
    }

    /**
     * Stops the calls and the client but leaves the session to expire: closing is not leaving the cluster, and a lock
     * must not end before the deadline the agent computed (see {@link ZooKeeperSession#close()}).
     */
    @Override
    public void close() {
        calls.close();
        session.close();
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    /** One budgeted call, on a session with the configured ttl (moving to one first shares the same budget). */
    private <T> T call(String what, ZooKeeperCalls.Operation<T> operation) throws DcsException {
        long deadline = calls.deadline();
        ensureSession(what, deadline);
        return calls.call(what, deadline, operation);
    }

    private boolean compareAndSet(String relative, String value, OptionalLong expectedVersion) throws DcsException {
        String path = keys.key(relative);
        if (expectedVersion.isEmpty()) {
            call("write " + relative + " at " + path, a -> store.setOrCreate(a.client(), path, value));
            return true;
        }
        long version = expectedVersion.getAsLong();
        return call(
                "write " + relative + " at " + path + " if at version " + version,
                a -> store.compareAndSet(a.client(), path, value, version, a.retried()));
    }

    /**
     * Opens a session with the configured ttl when it changed, since ZooKeeper fixes a session's timeout when it is
     * created (Patroni restarts its session too). This node's ephemeral znodes move onto the new session in one
     * transaction, so the lock is never absent; if that fails, the old session stays and the call throws.
     */
    private void ensureSession(String what, long deadline) throws DcsException {
        ZooKeeperSession old = session;
        Duration wanted = ttl;
        if (old.ttl().equals(wanted)) {
            return;
        }
        ZooKeeperSession next = ZooKeeperSession.open(config, wanted, calls.budget(), this::stateChanged);
        long oldId = old.sessionId();
        String moving = what + ": move to a new ZooKeeper session for ttl " + wanted.toMillis() + " ms";
        try {
            calls.callOn(next, moving, deadline, a -> {
                long moved = store.moveEphemerals(a.client(), List.of(leaderPath, memberPath), oldId);
                long current = a.zk().getSessionId();
                if (lockSession == oldId && lockSession != 0) {
                    lockSession = current;
                }
                if (lastMemberSession == oldId) {
                    lastMemberSession = current;
                }
                LOG.info(
                        "moved to a new ZooKeeper session for ttl {} ms ({} znode(s) moved)", wanted.toMillis(), moved);
                return null;
            });
        } catch (DcsException e) {
            next.end();
            throw e;
        }
        session = next;
        watch.attach(next);
        old.end();
    }

    /** Acquire and renew must not vouch for a lock the server may end before the agent's deadline. */
    private void checkTimeout(ZooKeeperCalls.Attempt a) throws Exception {
        long granted = a.zk().getSessionTimeout();
        long wanted = a.session().ttl().toMillis();
        if (granted < wanted) {
            throw new ZooKeeperCalls.Refused("ZooKeeper granted a session timeout of " + granted
                    + " ms, shorter than ttl (" + wanted + " ms), so the lock could end before this node's deadline;"
                    + " raise maxSessionTimeout on the servers (20 ticks by default) or lower ttl");
        }
        if (granted > wanted && !warnedLongTimeout) {
            warnedLongTimeout = true;
            LOG.warn(
                    "ZooKeeper granted a session timeout of {} ms, longer than ttl ({} ms): a failed leader's lock"
                            + " lasts that long (lower minSessionTimeout on the servers to honour ttl)",
                    granted,
                    wanted);
        }
    }

    private void stateChanged(ZooKeeperSession from, ConnectionState state) {
        if (state == ConnectionState.LOST && from == session) {
            lockSession = 0; // the server deleted the znode, or will: a lost session is a lost lock
        }
        watch.connectionChanged(from, state);
    }

    /** Whether a change of this key may change what the HA loop decides; member keys churn and never do. */
    private boolean wakes(String relative) {
        if (relative.equals("members") || relative.startsWith(PatroniKeys.MEMBERS)) {
            return false;
        }
        if (relative.equals(PatroniKeys.STATUS) || relative.startsWith("optime")) {
            // The leader writes these itself after every renewal; only the others need to hear about it.
            return lockSession == 0;
        }
        return true;
    }

    private String lockWhat(String verb) {
        return verb + " leader lock for '" + name + "' at " + leaderPath;
    }

    private static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    /** The current session's id (0 before the first connection), for tests that inspect znode owners. */
    long sessionId() {
        return session.sessionId();
    }
}
