package org.bellwether.dcs;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.SortedMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SyncState;

/**
 * The distributed configuration store, as one node sees it: the keys under {@code /<namespace>/<scope>/} in
 * Patroni's layout and formats.
 *
 * <p>Contracts every implementation keeps:
 *
 * <ul>
 *   <li><b>Time budget.</b> Every call returns or throws within {@code retryTimeout}.
 *   <li><b>Atomicity.</b> {@code takeInitializeKey} and {@code acquireLeaderLock} are create-if-absent;
 *       {@code releaseLeaderLock} deletes only if the key still names this node; {@code writeConfig},
 *       {@code writeFailover} and {@code writeSync} compare the version given (empty = unconditional);
 *       {@code replaceInitialize} and {@code deleteLeaderKey} compare the version given.
 *   <li><b>Lock lifetime.</b> The leader key and this node's member key live on this node's lease/session with a
 *       lifetime of {@code ttl} from the last contact that extended it. The caller measures the lock deadline from the
 *       moment it sent an acquire or renew that succeeded, and no other node can take the lock before that deadline.
 *       On etcd only {@code acquireLeaderLock}/{@code renewLeaderLock} extend a lease that carries the leader key
 *       ({@code publishMember} keeps the lease of a node that does not hold the lock alive, or its member key would
 *       expire); nothing renews it in the background. A ZooKeeper session is also kept alive by the client's own
 *       heartbeat while the process is connected, as for Patroni: there the lock can outlive the renewals (the
 *       agent's fencing then stops PostgreSQL at the deadline) but never ends before the deadline.
 *   <li><b>Ambiguous writes.</b> A call that times out may have been applied; it throws, and the next
 *       {@link #read()} tells the truth.
 *   <li><b>Reads.</b> {@link #read()} is one consistent, linearizable snapshot of the cluster's keys (on ZooKeeper:
 *       after a {@code sync}, the keys and the member list from one multi-read, the member values from a second).
 *   <li><b>Versions.</b> A key's version in the view is the store's revision of its last change (etcd's mod revision,
 *       ZooKeeper's mzxid): never 0 for a present key, so a compare-and-set at version 0 means "create if absent".
 * </ul>
 */
public interface Dcs extends AutoCloseable {
    /** Reads every key of the cluster at one revision. */
    ClusterView read() throws DcsException;

    /** Sets the lease lifetime and the per-call time budget; takes effect from the next lease grant or call. */
    void configure(Duration ttl, Duration retryTimeout);

    /** Creates {@code initialize} with {@code value} if it does not exist; false if another node has it. */
    boolean takeInitializeKey(String value) throws DcsException;

    /** Overwrites {@code initialize} with the system identifier. */
    void writeInitialize(String systemId) throws DcsException;

    /**
     * Writes {@code initialize} with the system identifier if the key is still at {@code expectedVersion} (0: only if
     * absent); false otherwise. The leader's repair of a value that is no system identifier.
     */
    boolean replaceInitialize(String systemId, long expectedVersion) throws DcsException;

    /** Deletes {@code initialize} (a bootstrap that failed). */
    void cancelInitialize() throws DcsException;

    /** Writes {@code config}; with a version, only if it is still at that version (false otherwise). */
    boolean writeConfig(SortedMap<String, Object> config, OptionalLong expectedVersion) throws DcsException;

    /** Creates the leader key with this node's name on its lease if no leader key exists; false if one does. */
    boolean acquireLeaderLock() throws DcsException;

    /**
     * Confirms, with a round trip to the DCS made after the call began, that the leader key still names this node on
     * its current lease or session (on etcd the round trip is one keepalive of the lease); false when the lock is
     * lost. A lock that cannot be confirmed is not held: a disconnected client throws once the budget is spent.
     */
    boolean renewLeaderLock() throws DcsException;

    /** Deletes the leader key if it still names this node. */
    void releaseLeaderLock() throws DcsException;

    /**
     * Deletes the leader key, whatever it names, if it is still at {@code expectedVersion}; true when this call deleted
     * it. Only for a key that names no possible node and stayed unchanged for ttl, which nobody can hold.
     *
     * <p>It must never delete a key written after that version, above all a lock acquired since. ZooKeeper's
     * conditional delete compares the znode's data version, which restarts at 0 for a new znode: it cannot tell a
     * znode still at version 0 from a lock created since. There the call may instead rewrite the same value, giving
     * the key a new version, and answer false; the caller then waits ttl again at the new version. (Rewriting a lock
     * created meanwhile only makes it one that names nobody: its holder loses it, and nobody can take it before that
     * holder's deadline.)
     */
    boolean deleteLeaderKey(long expectedVersion) throws DcsException;

    /** Writes {@code members/<name>} on this node's lease (skipped when unchanged). */
    void publishMember(Member member) throws DcsException;

    /**
     * Writes {@code status} ({@code optime}, slot positions and {@code retain_slots}) unless the last read or write
     * left it as it is.
     */
    void writeStatus(Lsn optime, SortedMap<String, Lsn> slots, List<String> retainSlots) throws DcsException;

    /** {@link #writeStatus(Lsn, SortedMap, List)} without slots of departed members. */
    default void writeStatus(Lsn optime, SortedMap<String, Lsn> slots) throws DcsException {
        writeStatus(optime, slots, List.of());
    }

    /** Overwrites {@code history}. */
    void writeHistory(List<HistoryEntry> history) throws DcsException;

    /** Overwrites {@code failsafe}: the members ({@code name -> api_url}) a primary must reach without the DCS. */
    void writeFailsafe(SortedMap<String, String> members) throws DcsException;

    /** Writes {@code failover}; with a version, only if still at that version. */
    boolean writeFailover(FailoverIntent intent, OptionalLong expectedVersion) throws DcsException;

    /** Deletes {@code failover}. */
    void deleteFailover() throws DcsException;

    /** Writes {@code sync}; with a version, only if still at that version. */
    boolean writeSync(SyncState sync, OptionalLong expectedVersion) throws DcsException;

    /**
     * Registers what to call when a key that may change a decision changes: anything but member keys, and
     * {@code status} only on nodes that do not hold the lock (the leader writes it itself). It is also called once
     * whenever the watch is (re)established, because changes may have been missed meanwhile. The listener runs on
     * the client's thread: it must only wake the loop, never act.
     */
    void onChange(Runnable listener);

    /** Deletes every key of the cluster (the operator's {@code remove}). */
    void deleteCluster() throws DcsException;

    /** Stops the client. Closing is not releasing: the lease or session, and the keys on it, are left to expire. */
    @Override
    void close();
}
