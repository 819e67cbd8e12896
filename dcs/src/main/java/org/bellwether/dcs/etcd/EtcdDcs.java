package org.bellwether.dcs.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bellwether.config.EtcdConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SyncState;
import org.bellwether.dcs.ClusterAssembler;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;
import org.bellwether.dcs.DcsProbe;
import org.bellwether.dcs.PatroniCodec;
import org.bellwether.dcs.PatroniKeys;

/**
 * The DCS on etcd v3, in Patroni's etcd3 layout: every key under the cluster prefix, the leader key and this node's
 * member key on one lease per node with a lifetime of {@code ttl}.
 *
 * <p><b>Who keeps the lease alive.</b> There is no background renewal. The lease carries this node's member key and,
 * while this node leads, the leader key, so every keepalive also extends the lock. Hence:
 *
 * <ul>
 *   <li>{@link #acquireLeaderLock()} and {@link #renewLeaderLock()} send one keepalive before anything else, so the
 *       lock lives at least {@code ttl} from the moment the caller sent the request;
 *   <li>{@link #publishMember(Member)} sends one keepalive only while the lease does <em>not</em> carry the leader
 *       key (as last seen by acquire, renew, release or read). A replica's member key would otherwise expire, and a
 *       leader's lock must end when the caller stops renewing it, not live on through member updates.
 * </ul>
 *
 * <p>Like Patroni, when etcd reports the lease gone a new one is granted; {@code renewLeaderLock} then moves the
 * leader key onto it with a transaction that checks the key still names this node (or re-creates it if nobody took
 * it), and the member key is rewritten by the next {@code publishMember}.
 *
 * <p>jetcd stays inside this package: nothing public mentions its types.
 */
public final class EtcdDcs implements Dcs, DcsProbe {
    private final String name;
    private final PatroniKeys keys;
    private final ByteSequence prefixBytes;
    private final ByteSequence leaderKey;
    private final ByteSequence memberKey;
    private final ByteSequence nameBytes;
    private final EtcdEndpoints endpoints;
    private final EtcdCalls calls;
    private final EtcdWatch watch;

    private volatile Duration ttl;
    /** This node's lease, 0 when none was granted yet or etcd said it is gone. */
    private long lease;
    /** The lease the leader key was last seen on while naming this node; equal to {@link #lease} while leading. */
    private volatile long leaderLease;

    private String lastMemberValue;
    private long lastMemberLease;
    private String lastStatusValue;

    public EtcdDcs(String clusterPrefix, String memberName, EtcdConfig etcd, Duration ttl, Duration retryTimeout) {
        if (!Member.isValidName(memberName)) {
            throw new IllegalArgumentException("a member name is not empty, has no '/', no white space around it and"
                    + " no control characters: '" + memberName + "'");
        }
        this.name = memberName;
        this.keys = new PatroniKeys(clusterPrefix);
        this.prefixBytes = bytes(clusterPrefix);
        this.leaderKey = bytes(keys.key(PatroniKeys.LEADER));
        this.memberKey = bytes(keys.member(memberName));
        this.nameBytes = bytes(memberName);
        this.ttl = requirePositive(ttl, "ttl");
        this.endpoints = new EtcdEndpoints(etcd);
        this.watch = new EtcdWatch(endpoints, clusterPrefix, this::wakes);
        this.calls = new EtcdCalls(endpoints, retryTimeout, this::leaseNotFound, watch::follow);
    }

    /**
     * A linearizable (quorum) count-only read of the leader key on the endpoint in use. Not synchronized: it must
     * answer while the loop is inside a slow call. A serializable read would be answered by an etcd member cut off
     * from its majority, which is exactly the case this must detect.
     */
    @Override
    public boolean answers(Duration timeout) {
        try {
            endpoints
                    .current()
                    .client()
                    .getKVClient()
                    .get(leaderKey, GetOption.builder().withCountOnly(true).build())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void configure(Duration ttl, Duration retryTimeout) {
        this.ttl = requirePositive(ttl, "ttl");
        calls.budget(retryTimeout);
    }

    @Override
    public synchronized ClusterView read() throws DcsException {
        return calls.call("read cluster at " + keys.prefix(), a -> {
            GetResponse response = a.await(
                    kv(a).get(prefixBytes, GetOption.builder().isPrefix(true).build()));
            List<ClusterAssembler.StoredKey> stored = new ArrayList<>();
            Optional<KeyValue> leader = Optional.empty();
            Optional<KeyValue> member = Optional.empty();
            Optional<String> status = Optional.empty();
            for (KeyValue kv : response.getKvs()) {
                String key = text(kv.getKey());
                Optional<String> relative = keys.relative(key);
                if (relative.isEmpty()) {
                    continue;
                }
                String value = text(kv.getValue());
                stored.add(new ClusterAssembler.StoredKey(relative.get(), value, kv.getModRevision()));
                if (kv.getKey().equals(leaderKey)) {
                    leader = Optional.of(kv);
                } else if (kv.getKey().equals(memberKey)) {
                    member = Optional.of(kv);
                } else if (relative.get().equals(PatroniKeys.STATUS)) {
                    status = Optional.of(value);
                }
            }
            remember(leader, member, status);
            return ClusterAssembler.assemble(keys.prefix(), stored);
        });
    }

    /** What a read says about this node's keys, so that later writes are skipped only when truly unchanged. */
    private void remember(Optional<KeyValue> leader, Optional<KeyValue> member, Optional<String> status) {
        leaderLease = leader.filter(kv -> kv.getValue().equals(nameBytes))
                .map(KeyValue::getLease)
                .orElse(0L);
        if (member.isEmpty()
                || member.get().getLease() != lastMemberLease
                || !text(member.get().getValue()).equals(lastMemberValue)) {
            lastMemberValue = null;
        }
        lastStatusValue = status.orElse(null);
    }

    @Override
    public synchronized boolean takeInitializeKey(String value) throws DcsException {
        ByteSequence key = bytes(keys.key(PatroniKeys.INITIALIZE));
        return calls.call("take initialize key at " + keys.key(PatroniKeys.INITIALIZE), a -> {
            TxnResponse r = a.await(kv(a).txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(key, bytes(value), PutOption.DEFAULT))
                    .commit());
            if (!r.isSucceeded() && a.retried()) {
                // The value ("" while bootstrapping) does not say who wrote it; only a read can settle it.
                throw new EtcdCalls.Failure(
                        EtcdCalls.Kind.REFUSED, "outcome unknown: a retried create found the key present", null);
            }
            return r.isSucceeded();
        });
    }

    @Override
    public synchronized void writeInitialize(String systemId) throws DcsException {
        put("write initialize key at " + keys.key(PatroniKeys.INITIALIZE), keys.key(PatroniKeys.INITIALIZE), systemId);
    }

    @Override
    public synchronized boolean replaceInitialize(String systemId, long expectedVersion) throws DcsException {
        return compareAndPut(PatroniKeys.INITIALIZE, systemId, OptionalLong.of(expectedVersion));
    }

    @Override
    public synchronized void cancelInitialize() throws DcsException {
        delete("delete initialize key at " + keys.key(PatroniKeys.INITIALIZE), keys.key(PatroniKeys.INITIALIZE));
    }

    @Override
    public synchronized boolean writeConfig(SortedMap<String, Object> config, OptionalLong expectedVersion)
            throws DcsException {
        return compareAndPut("config", PatroniCodec.encodeConfig(config), expectedVersion);
    }

    @Override
    public synchronized boolean acquireLeaderLock() throws DcsException {
        return calls.call(lockWhat("acquire"), a -> {
            long id = freshLease(a);
            TxnResponse r = a.await(kv(a).txn()
                    .If(new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(leaderKey, nameBytes, withLease(id)))
                    .Else(Op.get(leaderKey, GetOption.DEFAULT))
                    .commit());
            // Already ours on this lease: an earlier attempt of this call won before its answer got lost.
            boolean held = r.isSucceeded()
                    || r.getGetResponses().stream()
                            .flatMap(g -> g.getKvs().stream())
                            .anyMatch(kv -> kv.getValue().equals(nameBytes) && kv.getLease() == id);
            leaderLease = held ? id : 0;
            return held;
        });
    }

    @Override
    public synchronized boolean renewLeaderLock() throws DcsException {
        return calls.call(lockWhat("renew"), a -> {
            long id = freshLease(a);
            Optional<KeyValue> current = first(a.await(kv(a).get(leaderKey)));
            if (current.isEmpty()) {
                // As Patroni: re-create the key only when the lease it was on expired (and took the key with it);
                // a key deleted while its lease lives was removed on purpose.
                boolean leaseExpired = leaderLease != 0 && leaderLease != id;
                boolean held = leaseExpired && createLeaderKey(a, id);
                leaderLease = held ? id : 0;
                return held;
            }
            KeyValue kv = current.get();
            if (!kv.getValue().equals(nameBytes)) {
                leaderLease = 0;
                return false;
            }
            if (kv.getLease() == id) {
                leaderLease = id;
                return true;
            }
            // Ours, but on another lease (re-granted, or a previous run of this node): move it onto this one.
            TxnResponse r = a.await(kv(a).txn()
                    .If(
                            new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.value(nameBytes)),
                            new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.modRevision(kv.getModRevision())))
                    .Then(Op.put(leaderKey, nameBytes, withLease(id)))
                    .commit());
            leaderLease = r.isSucceeded() ? id : 0;
            return r.isSucceeded();
        });
    }

    private boolean createLeaderKey(EtcdCalls.Attempt a, long id) {
        TxnResponse r = a.await(kv(a).txn()
                .If(new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(leaderKey, nameBytes, withLease(id)))
                .commit());
        return r.isSucceeded();
    }

    @Override
    public synchronized void releaseLeaderLock() throws DcsException {
        calls.call(lockWhat("release"), a -> {
            a.await(kv(a).txn()
                    .If(new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.value(nameBytes)))
                    .Then(Op.delete(leaderKey, DeleteOption.DEFAULT))
                    .commit());
            leaderLease = 0;
            return null;
        });
    }

    /** A transaction on the mod revision: revisions are never reused, so no later key can match it. */
    @Override
    public synchronized boolean deleteLeaderKey(long expectedVersion) throws DcsException {
        if (expectedVersion <= 0) {
            return false; // mod revision 0 would match a missing key
        }
        return calls.call(
                "delete leader key at " + keys.key(PatroniKeys.LEADER) + " if at version " + expectedVersion, a -> {
                    TxnResponse r = a.await(kv(a).txn()
                            .If(new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion)))
                            .Then(Op.delete(leaderKey, DeleteOption.DEFAULT))
                            .Else(Op.get(leaderKey, GetOption.DEFAULT))
                            .commit());
                    if (r.isSucceeded()) {
                        leaderLease = 0;
                        return true;
                    }
                    // A retry that finds the key gone sees its own earlier, unanswered delete (or another node's).
                    return a.retried()
                            && r.getGetResponses().stream()
                                    .allMatch(g -> g.getKvs().isEmpty());
                });
    }

    @Override
    public synchronized void publishMember(Member member) throws DcsException {
        if (!member.name().equals(name)) {
            throw new IllegalArgumentException("this node is '" + name + "', not '" + member.name() + "'");
        }
        String value = PatroniCodec.encodeMember(member);
        calls.call("publish member '" + name + "' at " + keys.member(name), a -> {
            long id;
            if (lease != 0 && lease == leaderLease) {
                id = lease; // it carries the leader key: only acquire and renew may extend it
            } else {
                id = freshLease(a);
            }
            if (value.equals(lastMemberValue) && id == lastMemberLease) {
                return null;
            }
            a.await(kv(a).put(memberKey, bytes(value), withLease(id)));
            lastMemberValue = value;
            lastMemberLease = id;
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
        put("write status at " + keys.key(PatroniKeys.STATUS), keys.key(PatroniKeys.STATUS), value);
        lastStatusValue = value;
    }

    @Override
    public synchronized void writeHistory(List<HistoryEntry> history) throws DcsException {
        put(
                "write history at " + keys.key(PatroniKeys.HISTORY),
                keys.key(PatroniKeys.HISTORY),
                PatroniCodec.encodeHistory(history));
    }

    @Override
    public synchronized void writeFailsafe(SortedMap<String, String> members) throws DcsException {
        put(
                "write failsafe at " + keys.key(PatroniKeys.FAILSAFE),
                keys.key(PatroniKeys.FAILSAFE),
                PatroniCodec.encodeFailsafe(members));
    }

    @Override
    public synchronized boolean writeFailover(FailoverIntent intent, OptionalLong expectedVersion) throws DcsException {
        return compareAndPut(PatroniKeys.FAILOVER, PatroniCodec.encodeFailover(intent), expectedVersion);
    }

    @Override
    public synchronized void deleteFailover() throws DcsException {
        delete("delete failover key at " + keys.key(PatroniKeys.FAILOVER), keys.key(PatroniKeys.FAILOVER));
    }

    @Override
    public synchronized boolean writeSync(SyncState sync, OptionalLong expectedVersion) throws DcsException {
        return compareAndPut(PatroniKeys.SYNC, PatroniCodec.encodeSync(sync), expectedVersion);
    }

    @Override
    public void onChange(Runnable listener) {
        watch.addListener(Objects.requireNonNull(listener));
    }

    @Override
    public synchronized void deleteCluster() throws DcsException {
        calls.call("delete cluster at " + keys.prefix(), a -> {
            a.await(kv(a).delete(
                            prefixBytes, DeleteOption.builder().isPrefix(true).build()));
            leaderLease = 0;
            lastMemberValue = null;
            lastStatusValue = null;
            return null;
        });
    }

    /** Stops the watch and the clients. The lease is left to expire: closing is not leaving the cluster. */
    @Override
    public void close() {
        watch.close();
        endpoints.close();
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    /** This node's lease, kept alive once now (or granted when there is none or etcd forgot it). */
    private long freshLease(EtcdCalls.Attempt a) {
        if (lease != 0) {
            try {
                a.await(a.client().getLeaseClient().keepAliveOnce(lease));
                return lease;
            } catch (EtcdCalls.Failure f) {
                if (f.kind() != EtcdCalls.Kind.LEASE_NOT_FOUND) {
                    throw f;
                }
                leaseNotFound();
            }
        }
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        lease = a.await(a.client().getLeaseClient().grant(seconds)).getID();
        return lease;
    }

    private void leaseNotFound() {
        lease = 0;
        lastMemberValue = null;
    }

    private boolean compareAndPut(String relative, String value, OptionalLong expectedVersion) throws DcsException {
        String key = keys.key(relative);
        if (expectedVersion.isEmpty()) {
            put("write " + relative + " at " + key, key, value);
            return true;
        }
        long version = expectedVersion.getAsLong();
        ByteSequence k = bytes(key);
        ByteSequence v = bytes(value);
        return calls.call("write " + relative + " at " + key + " if at version " + version, a -> {
            TxnResponse r = a.await(kv(a).txn()
                    .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(version)))
                    .Then(Op.put(k, v, PutOption.DEFAULT))
                    .Else(Op.get(k, GetOption.DEFAULT))
                    .commit());
            if (r.isSucceeded()) {
                return true;
            }
            // A retry that finds exactly the value it meant to write sees its own earlier, unanswered write.
            return a.retried()
                    && r.getGetResponses().stream()
                            .flatMap(g -> g.getKvs().stream())
                            .anyMatch(kv -> kv.getValue().equals(v));
        });
    }

    private void put(String what, String key, String value) throws DcsException {
        calls.call(what, a -> a.await(kv(a).put(bytes(key), bytes(value))));
    }

    private void delete(String what, String key) throws DcsException {
        calls.call(what, a -> a.await(kv(a).delete(bytes(key))));
    }

    /** Whether a change of this key may change what the HA loop decides; member keys churn and never do. */
    private boolean wakes(String relative) {
        if (relative.startsWith(PatroniKeys.MEMBERS)) {
            return false;
        }
        if (relative.equals(PatroniKeys.STATUS) || relative.equals(PatroniKeys.LEGACY_OPTIME)) {
            // The leader writes these itself after every renewal; only the others need to hear about it.
            return leaderLease == 0;
        }
        return true;
    }

    private String lockWhat(String verb) {
        return verb + " leader lock for '" + name + "' at " + keys.key(PatroniKeys.LEADER);
    }

    private static KV kv(EtcdCalls.Attempt a) {
        return a.client().getKVClient();
    }

    private static PutOption withLease(long id) {
        return PutOption.builder().withLeaseId(id).build();
    }

    private static Optional<KeyValue> first(GetResponse response) {
        return response.getKvs().stream().findFirst();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    private static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    /** The endpoint the adapter currently talks to, for tests that kill it. */
    String currentEndpoint() {
        return endpoints.current().url();
    }

    /** This node's lease id (0 if none), for tests that read keys with a plain client. */
    synchronized long leaseId() {
        return lease;
    }
}
