package org.bellwether.dcs.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.curator.framework.AuthInfo;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.ZookeeperFactory;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.client.ZKClientConfig;
import org.bellwether.config.ZooKeeperConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Curator client, and with it one ZooKeeper session lineage whose timeout is the {@code ttl} it was opened with.
 * Curator replaces the session after an expiry (or after it stayed disconnected for the session timeout); the
 * adapter notices through {@link #sessionId()}.
 *
 * <p>Settings, and why:
 *
 * <ul>
 *   <li>no Curator retries ({@code RetryNTimes(0)}): {@link ZooKeeperCalls} retries within the call's own budget;
 *   <li>no ensemble tracker: it would replace the configured connect string with what {@code /zookeeper/config}
 *       says, which is not what the operator configured (and bypasses any proxy in between);
 *   <li>a request timeout of half the budget: a request the connected server does not answer makes the client
 *       drop that connection and move to the next server, instead of waiting two thirds of the session timeout
 *       for ZooKeeper's own read timeout (Patroni shortens Kazoo's read timeout for the same reason);
 *   <li>no SASL: only {@code auth_data} authenticates, as with Patroni.
 * </ul>
 */
final class ZooKeeperSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperSession.class);
    private static final long CONNECT_POLL_MILLIS = 20;

    private final CuratorFramework client;
    private final Duration ttl;
    private final String hosts;
    private final long requestTimeoutMillis;
    /** Set when the session is abandoned: ZooKeeper's events stop reaching Curator so that it opens no new one. */
    private final AtomicBoolean abandoned = new AtomicBoolean();

    private volatile ConnectionState state;
    private volatile long stateSince = System.nanoTime();

    private ZooKeeperSession(ZooKeeperConfig config, Duration ttl, Duration budget) {
        this.ttl = ttl;
        this.hosts = config.connectString();
        this.requestTimeoutMillis = Math.max(1000, budget.toMillis() / 2);
        ZKClientConfig clientConfig = new ZKClientConfig();
        clientConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
        clientConfig.setProperty(ZKClientConfig.ZOOKEEPER_REQUEST_TIMEOUT, Long.toString(requestTimeoutMillis));
        this.client = CuratorFrameworkFactory.builder()
                .connectString(hosts)
                .sessionTimeoutMs(Math.toIntExact(ttl.toMillis()))
                .connectionTimeoutMs(Math.toIntExact(Math.max(1000, budget.toMillis())))
                .retryPolicy(new RetryNTimes(0, 0))
                .ensembleTracker(false)
                .authorization(authInfos(config))
                .zkClientConfig(clientConfig)
                .zookeeperFactory(new GatedFactory(clientConfig))
                .build();
    }

    /**
     * Starts a client; it connects in the background, calls wait for it within their budget.
     *
     * @param onState told of every connection state change, on Curator's event thread
     */
    static ZooKeeperSession open(
            ZooKeeperConfig config,
            Duration ttl,
            Duration budget,
            BiConsumer<ZooKeeperSession, ConnectionState> onState) {
        ZooKeeperSession session = new ZooKeeperSession(config, ttl, budget);
        ConnectionStateListener listener = (c, newState) -> {
            session.state = newState;
            session.stateSince = System.nanoTime();
            if (newState == ConnectionState.LOST) {
                LOG.warn("ZooKeeper session at {} lost; a new one is being opened", session.hosts);
            }
            onState.accept(session, newState);
        };
        session.client.getConnectionStateListenable().addListener(listener);
        session.client.start();
        return session;
    }

    /** What ZooKeeper's {@code auth_data} becomes: one scheme and credential pair per entry. */
    static List<AuthInfo> authInfos(ZooKeeperConfig config) {
        List<AuthInfo> infos = new ArrayList<>();
        for (Map.Entry<String, Object> e : config.authData().entrySet()) {
            infos.add(new AuthInfo(e.getKey(), String.valueOf(e.getValue()).getBytes(StandardCharsets.UTF_8)));
        }
        return infos;
    }

    /** Builds ZooKeeper handles whose events stop reaching Curator once the session is abandoned. */
    private final class GatedFactory implements ZookeeperFactory {
        private final ZKClientConfig clientConfig;

        GatedFactory(ZKClientConfig clientConfig) {
            this.clientConfig = clientConfig;
        }

        @Override
        public ZooKeeper newZooKeeper(String connect, int timeout, Watcher watcher, boolean readOnly) throws Exception {
            return newZooKeeper(connect, timeout, watcher, readOnly, clientConfig);
        }

        @Override
        public ZooKeeper newZooKeeper(
                String connect, int timeout, Watcher watcher, boolean readOnly, ZKClientConfig zkConfig)
                throws Exception {
            Watcher gated = event -> {
                if (!abandoned.get()) {
                    watcher.process(event);
                }
            };
            return new ZooKeeperAdmin(connect, timeout, gated, readOnly, zkConfig == null ? clientConfig : zkConfig);
        }
    }

    CuratorFramework client() {
        return client;
    }

    Duration ttl() {
        return ttl;
    }

    String hosts() {
        return hosts;
    }

    /** How long one request may stay unanswered before the connection is dropped for another server. */
    long requestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    boolean isConnected() {
        return client.getZookeeperClient().isConnected();
    }

    /** Waits until the client is connected; false when it is not within {@code nanos}. */
    boolean awaitConnected(long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        while (!isConnected()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.min(CONNECT_POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        }
        return true;
    }

    /** The current ZooKeeper handle (Curator replaces it after an expiry). */
    ZooKeeper handle() throws Exception {
        return client.getZookeeperClient().getZooKeeper();
    }

    /** The id of the current session, 0 before the first connection. */
    long sessionId() {
        try {
            return handle().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    /** For messages: the connection state and since when. */
    String describeState() {
        ConnectionState s = state;
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stateSince);
        return s == null ? "never connected yet, for " + ms + " ms" : s + " for " + ms + " ms";
    }

    /**
     * Closes the client without ending the session: the server keeps it, and this node's ephemeral znodes with it,
     * until the session timeout runs out, as if the process had died. Closing a node's DCS is not leaving the cluster,
     * and above all it must not free the leader lock before the deadline the agent computed from its last renewal
     * (the fencing guard only stops PostgreSQL then). ZooKeeper's {@code close()} would send closeSession and delete
     * the znodes at once; marking the connection closed locally first makes {@code close()} skip that, and the gate
     * keeps the resulting "expired" event from Curator, which would otherwise open a new session.
     */
    @Override
    public void close() {
        abandoned.set(true);
        try {
            ZooKeeper zk = handle();
            if (zk != null) {
                zk.getTestable().injectSessionExpiration();
            }
        } catch (Exception e) {
            LOG.debug("abandoning the ZooKeeper session failed; closing it", e);
        }
        client.close();
    }

    /** Closes the client and ends the session at once (its ephemeral znodes go with it). */
    void end() {
        client.close();
    }
}
