package org.bellwether.dcs.zookeeper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.bellwether.testkit.FreePorts;
import org.bellwether.testkit.TestDirs;

/**
 * A real three-member ZooKeeper ensemble in this JVM (Curator's {@code TestingCluster}, real quorum peers) on
 * 127.0.0.1 and free ports, with a plain client for raw reads and writes. Closing it stops every server and deletes
 * the data.
 *
 * <p>The tick is 100 ms so that session expiry is precise to a tenth of a second (the server expires sessions on tick
 * boundaries), and the session timeout may range from one tick to a minute (ZooKeeper's default maximum is 20 ticks,
 * which would cut every ttl to 2 s).
 */
final class ZooKeeperEnsemble implements AutoCloseable {
    static final int TICK_MILLIS = 100;

    private final Path dir;
    private final TestingCluster cluster;
    private final List<String> servers = new ArrayList<>();
    private CuratorFramework plain;

    private ZooKeeperEnsemble(int size) {
        // The quorum peers would open ZooKeeper's admin HTTP server on port 8080 otherwise.
        System.setProperty("zookeeper.admin.enableServer", "false");
        dir = TestDirs.create("zookeeper-");
        List<InstanceSpec> specs = new ArrayList<>();
        Map<String, Object> properties = Map.of(
                "maxSessionTimeout", "60000",
                "initLimit", "100",
                "syncLimit", "50",
                "clientPortAddress", "127.0.0.1");
        for (int i = 1; i <= size; i++) {
            int port = FreePorts.next();
            File data = dir.resolve("zk" + i).toFile();
            if (!data.mkdirs()) {
                throw new IllegalStateException("cannot create " + data);
            }
            specs.add(new InstanceSpec(
                    data, port, FreePorts.next(), FreePorts.next(), true, i, TICK_MILLIS, -1, properties, "127.0.0.1"));
            servers.add("127.0.0.1:" + port);
        }
        cluster = new TestingCluster(specs);
    }

    static ZooKeeperEnsemble start(int size) throws Exception {
        ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(size);
        try {
            ensemble.cluster.start();
            ensemble.plain = CuratorFrameworkFactory.builder()
                    .connectString(String.join(",", ensemble.servers))
                    .sessionTimeoutMs(30_000)
                    .retryPolicy(new RetryNTimes(50, 100))
                    .ensembleTracker(false)
                    .build();
            ensemble.plain.start();
            ensemble.awaitServing(Duration.ofSeconds(30));
            return ensemble;
        } catch (Exception | Error e) {
            ensemble.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:<client port>} of every server, in server order. */
    List<String> servers() {
        return servers;
    }

    /** Stops every server (their data stays), then starts them again and waits until the ensemble serves. */
    void restart() throws Exception {
        for (TestingZooKeeperServer server : cluster.getServers()) {
            server.stop();
        }
        for (TestingZooKeeperServer server : cluster.getServers()) {
            server.restart();
        }
        awaitServing(Duration.ofSeconds(30));
    }

    /** Waits until a quorum serves a linearized read. */
    void awaitServing(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (plain.blockUntilConnected(1, TimeUnit.SECONDS)) {
                    plain.sync().forPath("/");
                    plain.checkExists().forPath("/");
                    return;
                }
            } catch (KeeperException e) {
                // not serving yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ZooKeeper ensemble does not serve after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Every znode with data under {@code prefix}, by path relative to it. */
    Map<String, String> values(String prefix) throws Exception {
        Map<String, String> values = new TreeMap<>();
        collect(prefix.substring(0, prefix.length() - 1), "", values);
        return values;
    }

    private void collect(String path, String relative, Map<String, String> into) throws Exception {
        List<String> children;
        try {
            children = plain.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return;
        }
        for (String child : children) {
            String childPath = path + "/" + child;
            String childRelative = relative + child;
            byte[] data = plain.getData().forPath(childPath);
            if (data != null && data.length > 0) {
                into.put(childRelative, new String(data, StandardCharsets.UTF_8));
            }
            collect(childPath, childRelative + "/", into);
        }
    }

    void write(String path, String value) throws Exception {
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        if (plain.checkExists().forPath(path) == null) {
            plain.create().creatingParentsIfNeeded().forPath(path, data);
        } else {
            plain.setData().forPath(path, data);
        }
    }

    /** The znode's owning session, 0 for a persistent znode; -1 when absent. */
    long ephemeralOwner(String path) throws Exception {
        Stat stat = plain.checkExists().forPath(path);
        return stat == null ? -1 : stat.getEphemeralOwner();
    }

    @Override
    public void close() {
        if (plain != null) {
            plain.close();
        }
        try {
            cluster.close();
        } catch (IOException e) {
            // the servers are stopped; only the directories may remain
        }
        TestDirs.delete(dir);
    }
}
