package org.bellwether.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A standalone ZooKeeper server inside the demo's JVM, listening on 127.0.0.1 and a port the kernel picks, with its
 * data in a directory the caller owns. It dies with the JVM, so it can never outlive the demo.
 *
 * <p>The tick is 200 ms and sessions may last up to a minute. ZooKeeper expires sessions on tick boundaries, so a short
 * tick keeps a failover close to the nodes' ttl; its default cap of 20 ticks (4 s at this tick) would be below that
 * ttl, so the cap is raised.
 *
 * <p>Public for the integration tests, which run failover faults on it as well as on etcd.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private static final int TICK_MILLIS = 200;
    private static final int MAX_SESSION_MILLIS = 60_000;
    private static final int MAX_CLIENT_CONNECTIONS = 100;

    private final ZooKeeperServer server;
    private final ServerCnxnFactory connections;

    private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory connections) {
        this.server = server;
        this.connections = connections;
    }

    /** Starts a server with its snapshots and transaction log under {@code dataDir}; returns once it serves. */
    public static EmbeddedZooKeeper start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * The same on {@code port} (0: a free one). A server started again on its old port and data directory restores
     * its data and its clients' sessions, as a restarted ZooKeeper does.
     */
    public static EmbeddedZooKeeper start(Path dataDir, int port) {
        // ZooKeeperServerMain would also open the admin HTTP server on port 8080; this class never starts it, and the
        // property keeps any code path that might from doing so.
        System.setProperty("zookeeper.admin.enableServer", "false");
        ServerCnxnFactory connections = null;
        try {
            ZooKeeperServer server = new ZooKeeperServer(
                    dataDir.resolve("snapshots").toFile(),
                    dataDir.resolve("log").toFile(),
                    TICK_MILLIS);
            server.setMinSessionTimeout(2 * TICK_MILLIS);
            server.setMaxSessionTimeout(MAX_SESSION_MILLIS);
            connections =
                    ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", port), MAX_CLIENT_CONNECTIONS);
            connections.startup(server);
            EmbeddedZooKeeper zooKeeper = new EmbeddedZooKeeper(server, connections);
            zooKeeper.awaitServing(Duration.ofSeconds(10));
            return zooKeeper;
        } catch (IOException e) {
            shutdownQuietly(connections);
            throw new UncheckedIOException("starting the embedded ZooKeeper server in " + dataDir, e);
        } catch (InterruptedException e) {
            shutdownQuietly(connections);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded ZooKeeper server", e);
        } catch (RuntimeException | LinkageError e) {
            // The server's own threads keep the JVM alive after a failed start; stop them before reporting it.
            shutdownQuietly(connections);
            throw new IllegalStateException("starting the embedded ZooKeeper server: " + e, e);
        }
    }

    public int port() {
        return connections.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}, as a node's {@code zookeeper.hosts} names it. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        connections.shutdown();
        server.shutdown(true);
    }

    private void awaitServing(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!server.isRunning() || !accepts()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the embedded ZooKeeper server did not start within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void shutdownQuietly(ServerCnxnFactory connections) {
        if (connections != null) {
            connections.shutdown();
        }
    }
}
