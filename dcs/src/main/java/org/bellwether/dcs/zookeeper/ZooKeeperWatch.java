package org.bellwether.dcs.zookeeper;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistent recursive watch on the cluster's znode (ZooKeeper 3.6+), which wakes the listeners when a key that
 * matters is created, changed or deleted: the same rule as the etcd adapter's prefix watch. Patroni sets one-shot
 * watches on {@code leader}, {@code config} and the other keys at every read; one persistent watch sees the same
 * changes without a read per cycle and without the gap between an event and the next read re-arming the watch.
 *
 * <p>The client restores the watch by itself when it reconnects within the session; a new session has none, so the
 * watch is added again whenever the connection is (re)established, and the listeners are woken once then because
 * events may have been missed. A suspended or lost connection wakes them too (as Patroni's session listener does),
 * so that the loop notices at once.
 */
final class ZooKeeperWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperWatch.class);

    private final String path;
    private final String prefix;
    private final Predicate<String> wakes;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Watcher watcher = this::process;
    private volatile ZooKeeperSession session;

    /**
     * @param prefix the cluster prefix, ending in {@code /}
     * @param wakes whether a change of this key (relative to {@code prefix}) should wake the listeners
     */
    ZooKeeperWatch(String prefix, Predicate<String> wakes) {
        this.prefix = prefix;
        this.path = prefix.substring(0, prefix.length() - 1);
        this.wakes = wakes;
    }

    void addListener(Runnable listener) {
        boolean first = listeners.isEmpty();
        listeners.add(listener);
        if (first) {
            establish();
        }
    }

    /** Moves the watch to a new session (a new ttl); the old one is closed by the caller. */
    void attach(ZooKeeperSession newSession) {
        session = newSession;
        establish();
    }

    /** Told of every connection state change of the current session. */
    void connectionChanged(ZooKeeperSession from, ConnectionState state) {
        if (from != session) {
            return;
        }
        switch (state) {
            case CONNECTED, RECONNECTED -> establish();
            case SUSPENDED, LOST -> fire();
            default -> {}
        }
    }

    private void establish() {
        ZooKeeperSession s = session;
        if (s == null || listeners.isEmpty() || !s.isConnected()) {
            return; // the next (re)connection establishes it
        }
        try {
            s.client()
                    .watchers()
                    .add()
                    .withMode(AddWatchMode.PERSISTENT_RECURSIVE)
                    .inBackground((client, event) -> {
                        if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                            LOG.debug("watching {} (session 0x{})", path, Long.toHexString(s.sessionId()));
                            fire();
                        } else {
                            LOG.debug(
                                    "watching {} failed ({}); retried at the next reconnection",
                                    path,
                                    KeeperException.Code.get(event.getResultCode()));
                        }
                    })
                    .usingWatcher(watcher)
                    .forPath(path);
        } catch (Exception e) {
            LOG.debug("watching {} failed; retried at the next reconnection", path, e);
        }
    }

    private void process(WatchedEvent event) {
        String changed = event.getPath();
        if (event.getType() == Watcher.Event.EventType.None || changed == null) {
            return; // connection events come through the session's state listener
        }
        if (changed.startsWith(prefix) && wakes.test(changed.substring(prefix.length()))) {
            fire();
        }
    }

    private void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a DCS change listener failed", e);
            }
        }
    }
}
