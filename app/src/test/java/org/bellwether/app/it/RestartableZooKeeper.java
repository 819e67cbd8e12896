package org.bellwether.app.it;

import java.nio.file.Path;
import org.bellwether.app.demo.EmbeddedZooKeeper;
import org.bellwether.testkit.TestDirs;

/**
 * A fault bed's ZooKeeper: the demo's embedded server, which a whole-DCS outage stops and starts again on the same
 * port and data directory, so that the nodes find it where their {@code zookeeper.hosts} says, with its data and
 * their sessions.
 */
final class RestartableZooKeeper implements AutoCloseable {
    private final Path dir;
    private final int port;
    private EmbeddedZooKeeper server;

    private RestartableZooKeeper(Path dir, EmbeddedZooKeeper server) {
        this.dir = dir;
        this.server = server;
        this.port = server.port();
    }

    static RestartableZooKeeper start(String scope) {
        Path dir = TestDirs.create("bellwether-zookeeper-" + scope);
        try {
            return new RestartableZooKeeper(dir, EmbeddedZooKeeper.start(dir));
        } catch (RuntimeException | Error e) {
            TestDirs.delete(dir);
            throw e;
        }
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Stops the server: its clients' connections drop and new ones are refused. */
    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again where it was. */
    void restart() {
        if (server == null) {
            server = EmbeddedZooKeeper.start(dir, port);
        }
    }

    @Override
    public void close() {
        stop();
        TestDirs.delete(dir);
    }
}
