package org.bellwether.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.testkit.EtcdCluster;
import org.bellwether.testkit.FreePorts;
import org.bellwether.testkit.ManagedProcess;
import org.bellwether.testkit.Signals;
import org.bellwether.testkit.SystemUser;
import org.bellwether.testkit.TestDirs;

/**
 * A local cluster for the demo: one etcd and N agents with their PostgreSQL, all on 127.0.0.1 in one temporary
 * directory. Run as root, the agents run as the postgres user. Closing it stops every process it started, by PID, and
 * removes the directory.
 */
final class DemoCluster implements AutoCloseable {
    static final String SUPERUSER_PASSWORD = "demo";

    /** One node: its configuration, and its agent process while it runs. */
    static final class Node {
        final NodeConfigTemplate config;
        final Path configFile;
        ManagedProcess agent;

        Node(NodeConfigTemplate config, Path configFile) {
            this.config = config;
            this.configFile = configFile;
        }

        String name() {
            return config.name();
        }

        Optional<Long> postmasterPid() {
            try {
                long pid = Long.parseLong(Files.readAllLines(config.dataDir().resolve("postmaster.pid"))
                        .get(0)
                        .trim());
                return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    final Path dir;
    final List<Node> nodes = new ArrayList<>();
    private final Path launcher;
    private EtcdCluster etcd;

    private DemoCluster(Path dir, Path launcher) {
        this.dir = dir;
        this.launcher = launcher;
    }

    static DemoCluster start(Path home, int size) {
        Path dir = TestDirs.create("bellwether-demo");
        DemoCluster cluster = new DemoCluster(
                dir, SystemUser.isRoot() ? LocalDistribution.copy(home, dir.resolve("dist")) : launcher(home));
        try {
            cluster.etcd = EtcdCluster.startCluster(1);
            for (int i = 1; i <= size; i++) {
                Path nodeDir = dir.resolve("n" + i);
                Files.createDirectories(nodeDir);
                Files.setPosixFilePermissions(nodeDir, PosixFilePermissions.fromString("rwxrwxrwx"));
                NodeConfigTemplate config = new NodeConfigTemplate(
                        "demo",
                        "n" + i,
                        FreePorts.next(),
                        FreePorts.next(),
                        cluster.etcd.hostPorts(),
                        nodeDir,
                        10,
                        2,
                        4,
                        SUPERUSER_PASSWORD);
                Path file = nodeDir.resolve("n" + i + ".yml");
                Files.writeString(file, config.render());
                cluster.nodes.add(new Node(config, file));
            }
            cluster.nodes.forEach(cluster::startAgent);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    void startAgent(Node node) {
        Path log = node.config.nodeDir().resolve("agent.log");
        node.agent = ManagedProcess.start(
                "agent " + node.name(),
                SystemUser.asPostgres(List.of(launcher.toString(), "agent", node.configFile.toString())),
                log,
                Map.of("HOME", node.config.nodeDir().toString()));
    }

    /** What a machine crash looks like: SIGKILL of the agent and of its PostgreSQL. */
    void crash(Node node) {
        if (node.agent != null && node.agent.isAlive()) {
            node.agent.signal("KILL");
            node.agent.waitFor(java.time.Duration.ofSeconds(5));
        }
        node.postmasterPid().ifPresent(pid -> Signals.send(pid, "KILL"));
    }

    Optional<Node> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.agent != null) {
                node.agent.close();
            }
            node.postmasterPid().ifPresent(pid -> Signals.send(pid, "QUIT"));
        }
        if (etcd != null) {
            etcd.close();
        }
        TestDirs.delete(dir);
    }

    private static Path launcher(Path home) {
        return home.resolve("bin/bellwether");
    }
}
