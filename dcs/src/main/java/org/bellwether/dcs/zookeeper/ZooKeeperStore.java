package org.bellwether.dcs.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.bellwether.core.ClusterView;
import org.bellwether.dcs.ClusterAssembler;
import org.bellwether.dcs.PatroniKeys;

/**
 * The znode operations behind the adapter, one attempt each (the caller retries). Every method is called on a
 * {@link ZooKeeperCalls} worker thread and throws ZooKeeper's exceptions unchanged, so the caller can tell a lost
 * connection (retry) from a refusal (report).
 */
final class ZooKeeperStore {
    /** The keys read in one multi-read, besides the members. */
    private static final List<String> KEYS = List.of(
            PatroniKeys.INITIALIZE,
            PatroniKeys.CONFIG,
            PatroniKeys.LEADER,
            PatroniKeys.STATUS,
            PatroniKeys.LEGACY_OPTIME,
            PatroniKeys.HISTORY,
            PatroniKeys.FAILOVER,
            PatroniKeys.SYNC,
            PatroniKeys.FAILSAFE);

    /** A znode's value and the parts of its stat the adapter uses. */
    record Node(String value, int version, long mzxid, long ephemeralOwner) {
        static Node of(byte[] data, Stat stat) {
            return new Node(text(data), stat.getVersion(), stat.getMzxid(), stat.getEphemeralOwner());
        }
    }

    /** One read: every key by its name relative to the prefix, and the session that read it. */
    record Snapshot(String prefix, long session, Map<String, Node> nodes) {
        Optional<Node> leader() {
            return Optional.ofNullable(nodes.get(PatroniKeys.LEADER));
        }

        Optional<Node> member(String name) {
            return Optional.ofNullable(nodes.get(PatroniKeys.MEMBERS + name));
        }

        Optional<String> value(String relative) {
            return Optional.ofNullable(nodes.get(relative)).map(Node::value);
        }

        ClusterView view() {
            List<ClusterAssembler.StoredKey> stored = new ArrayList<>();
            nodes.forEach((k, n) -> stored.add(new ClusterAssembler.StoredKey(k, n.value(), n.mzxid())));
            return ClusterAssembler.assemble(prefix, stored);
        }
    }

    private final PatroniKeys keys;
    private final String root;
    private volatile boolean multiReadUnsupported;

    ZooKeeperStore(PatroniKeys keys) {
        this.keys = keys;
        this.root = keys.prefix().substring(0, keys.prefix().length() - 1);
    }

    /** The cluster's znode: the prefix without its trailing slash. */
    String root() {
        return root;
    }

    /**
     * Reads the cluster after a {@code sync}, so that the server this client talks to has caught up with the
     * ensemble's leader. The fixed keys and the member list come from one multi-read, which the server answers from
     * one state of its tree; the members' values from a second one (ZooKeeper 3.6+; older servers get one read per
     * znode).
     */
    Snapshot read(ZooKeeper zk, long requestTimeoutMillis) throws Exception {
        long session = zk.getSessionId();
        sync(zk, root, requestTimeoutMillis);
        List<String> paths = new ArrayList<>();
        KEYS.forEach(k -> paths.add(keys.key(k)));
        Map<String, Node> nodes = new TreeMap<>();
        List<OpResult> results = readAll(zk, paths, keys.key("members"));
        for (int i = 0; i < KEYS.size(); i++) {
            if (results.get(i) instanceof OpResult.GetDataResult r) {
                nodes.put(KEYS.get(i), Node.of(r.getData(), r.getStat()));
            }
        }
        if (results.get(KEYS.size()) instanceof OpResult.GetChildrenResult children) {
            List<String> names = new ArrayList<>(children.getChildren());
            List<String> memberPaths = names.stream().map(keys::member).toList();
            List<OpResult> members = readAll(zk, memberPaths, null);
            for (int i = 0; i < names.size(); i++) {
                if (members.get(i) instanceof OpResult.GetDataResult r) {
                    nodes.put(PatroniKeys.MEMBERS + names.get(i), Node.of(r.getData(), r.getStat()));
                }
            }
        }
        return new Snapshot(keys.prefix(), session, nodes);
    }

    /** getData of every path, then getChildren of {@code children} if given; a missing znode gives an error result. */
    private List<OpResult> readAll(ZooKeeper zk, List<String> paths, String children) throws Exception {
        List<Op> ops = new ArrayList<>();
        paths.forEach(p -> ops.add(Op.getData(p)));
        if (children != null) {
            ops.add(Op.getChildren(children));
        }
        if (ops.isEmpty()) {
            return List.of();
        }
        if (!multiReadUnsupported) {
            try {
                return zk.multi(ops);
            } catch (KeeperException.UnimplementedException e) {
                multiReadUnsupported = true; // a server older than 3.6
            }
        }
        List<OpResult> results = new ArrayList<>();
        for (String p : paths) {
            try {
                Stat stat = new Stat();
                byte[] data = zk.getData(p, false, stat);
                results.add(new OpResult.GetDataResult(data, stat));
            } catch (KeeperException.NoNodeException e) {
                results.add(new OpResult.ErrorResult(KeeperException.Code.NONODE.intValue()));
            }
        }
        if (children != null) {
            try {
                results.add(new OpResult.GetChildrenResult(zk.getChildren(children, false)));
            } catch (KeeperException.NoNodeException e) {
                results.add(new OpResult.ErrorResult(KeeperException.Code.NONODE.intValue()));
            }
        }
        return results;
    }

    /**
     * Makes the connected server catch up with the ensemble's leader before the next read. {@code sync} exists only
     * asynchronously, so the client's request timeout does not cover it: when the server does not answer within
     * {@code timeoutMillis} the connection is dropped here, as the client does for a synchronous request, and it
     * reconnects (to the next server) with the same session.
     */
    static void sync(ZooKeeper zk, String path, long timeoutMillis) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        zk.sync(path, (rc, p, ctx) -> done.complete(rc), null);
        int rc;
        try {
            rc = done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            zk.getTestable().closeSocket();
            throw KeeperException.create(KeeperException.Code.REQUESTTIMEOUT, path);
        }
        if (rc != KeeperException.Code.OK.intValue()) {
            throw KeeperException.create(KeeperException.Code.get(rc), path);
        }
    }

    Optional<Node> get(CuratorFramework client, String path) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = client.getData().storingStatIn(stat).forPath(path);
            return Optional.of(Node.of(data, stat));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    /** Patroni's unconditional write: set, or create (with parents) when absent. */
    Void setOrCreate(CuratorFramework client, String path, String value) throws Exception {
        byte[] data = bytes(value);
        for (int i = 0; ; i++) {
            try {
                client.setData().forPath(path, data);
                return null;
            } catch (KeeperException.NoNodeException e) {
                try {
                    client.create().creatingParentsIfNeeded().forPath(path, data);
                    return null;
                } catch (KeeperException.NodeExistsException raced) {
                    if (i >= 2) {
                        throw raced;
                    }
                }
            }
        }
    }

    /**
     * Writes {@code value} if the znode's mzxid is still {@code expected} (0: only if absent). A retry that finds
     * exactly the value it meant to write sees its own earlier, unanswered write.
     */
    boolean compareAndSet(CuratorFramework client, String path, String value, long expected, boolean retried)
            throws Exception {
        byte[] data = bytes(value);
        Optional<Node> current = get(client, path);
        if (current.isEmpty()) {
            if (expected != 0) {
                return false;
            }
            try {
                client.create().creatingParentsIfNeeded().forPath(path, data);
                return true;
            } catch (KeeperException.NodeExistsException e) {
                return false;
            }
        }
        Node node = current.get();
        if (node.mzxid() != expected) {
            return retried && Arrays.equals(bytes(node.value()), data);
        }
        try {
            client.setData().withVersion(node.version()).forPath(path, data);
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            return false;
        }
    }

    /**
     * Writes this session's ephemeral znode: set when it is known to be ours ({@code known}), otherwise create it,
     * or replace one left by another session (Patroni re-creates a member znode owned by another session too).
     */
    void putEphemeral(CuratorFramework client, String path, String value, long session, boolean known)
            throws Exception {
        byte[] data = bytes(value);
        if (known) {
            try {
                client.setData().forPath(path, data);
                return;
            } catch (KeeperException.NoNodeException e) {
                // deleted meanwhile (deleteCluster, an operator): create it below
            }
        }
        for (int i = 0; ; i++) {
            try {
                Optional<Node> current = get(client, path);
                if (current.isEmpty()) {
                    client.create()
                            .creatingParentsIfNeeded()
                            .withMode(CreateMode.EPHEMERAL)
                            .forPath(path, data);
                } else if (current.get().ephemeralOwner() == session) {
                    client.setData().withVersion(current.get().version()).forPath(path, data);
                } else {
                    replaceEphemeral(client, path, current.get(), value);
                }
                return;
            } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException e) {
                if (i >= 2) {
                    throw e; // someone keeps changing it: let the call retry or report
                }
            } catch (KeeperException.BadVersionException e) {
                if (i >= 2) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes {@code current} and creates {@code path} as an ephemeral znode of the client's session, in one
     * transaction; false when the znode changed since it was read.
     */
    boolean replaceEphemeral(CuratorFramework client, String path, Node current, String value) throws Exception {
        try {
            client.transaction()
                    .forOperations(
                            client.transactionOp()
                                    .delete()
                                    .withVersion(current.version())
                                    .forPath(path),
                            client.transactionOp()
                                    .create()
                                    .withMode(CreateMode.EPHEMERAL)
                                    .forPath(path, bytes(value)));
            return true;
        } catch (KeeperException.NoNodeException
                | KeeperException.BadVersionException
                | KeeperException.NodeExistsException e) {
            return false;
        }
    }

    /** Moves every one of {@code paths} owned by session {@code from} onto the client's session, atomically. */
    long moveEphemerals(CuratorFramework client, List<String> paths, long from) throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        for (String path : paths) {
            Optional<Node> node = from == 0 ? Optional.empty() : get(client, path);
            if (node.isPresent() && node.get().ephemeralOwner() == from) {
                ops.add(client.transactionOp()
                        .delete()
                        .withVersion(node.get().version())
                        .forPath(path));
                ops.add(client.transactionOp()
                        .create()
                        .withMode(CreateMode.EPHEMERAL)
                        .forPath(path, bytes(node.get().value())));
            }
        }
        if (!ops.isEmpty()) {
            client.transaction().forOperations(ops);
        }
        return ops.size() / 2;
    }

    Void delete(CuratorFramework client, String path) throws Exception {
        try {
            client.delete().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // already gone
        }
        return null;
    }

    /**
     * Deletes the znode if it is still at {@code version}. Leader znodes are never written after their creation, so
     * their version stays 0 and this cannot tell them apart from a successor created in the round trip since the
     * read; etcd compares the value in the same transaction, ZooKeeper cannot compare an owner.
     */
    void deleteAtVersion(CuratorFramework client, String path, int version) throws Exception {
        try {
            client.delete().withVersion(version).forPath(path);
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // gone or replaced meanwhile: not ours to delete any more
        }
    }

    /**
     * Deletes a leader znode that names nobody if its mzxid is still {@code expectedMzxid}. The conditional delete
     * compares the data version, and a lock created since (by an acquire, which never writes it again) is at data
     * version 0: a znode still at 0 cannot be told from one, so it is only rewritten with the value read, moving it to
     * version 1 and a new mzxid, and false is returned (the caller waits for that version). A znode at version 1 or
     * more was written after its creation, which no lock is, so deleting at that version cannot hit a lock.
     */
    boolean deleteUnheld(CuratorFramework client, String path, long expectedMzxid) throws Exception {
        Optional<Node> current = get(client, path);
        if (current.isEmpty() || current.get().mzxid() != expectedMzxid) {
            return false;
        }
        Node node = current.get();
        try {
            if (node.version() == 0) {
                client.setData().withVersion(0).forPath(path, bytes(node.value()));
                return false;
            }
            client.delete().withVersion(node.version()).forPath(path);
            return true;
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            return false;
        }
    }

    Void deleteTree(CuratorFramework client, String path) throws Exception {
        try {
            client.delete().deletingChildrenIfNeeded().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // nothing to delete
        }
        return null;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] data) {
        return data == null ? "" : new String(data, StandardCharsets.UTF_8);
    }
}
