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
import org.bellwether.testkit.FreePorts;
import org.bellwether.testkit.ManagedProcess;
import org.bellwether.testkit.Signals;
import org.bellwether.testkit.SystemUser;
import org.bellwether.testkit.TestDirs;

/**
 * A local cluster for the demo: a DCS (see {@link DemoDcs}) and N agents with their PostgreSQL, all on 127.0.0.1 in
 * one temporary directory. Run as root, the agents run as the postgres user. Closing it stops every process it
 * started, by PID, and removes the directory; if the JVM dies before it can, the {@link LeftoverReaper} does.
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
    private final LeftoverReaper reaper;
    private Path launcher;
    private DemoDcs dcs;

    private DemoCluster(Path dir, LeftoverReaper reaper) {
        this.dir = dir;
        this.reaper = reaper;
    }

    /** Starts the DCS {@code dcsChoice} names and {@code size} nodes; the nodes may still be bootstrapping. */
    static DemoCluster start(Path home, int size, String dcsChoice) {
        LeftoverReaper reaper = LeftoverReaper.start();
        Path dir = TestDirs.create("bellwether-demo");
        reaper.made(dir);
        DemoCluster cluster = new DemoCluster(dir, reaper);
        try {
            cluster.launcher = SystemUser.isRoot() ? LocalDistribution.copy(home, dir.resolve("dist")) : launcher(home);
            cluster.dcs = DemoDcs.start(dcsChoice, dir, reaper);
            for (int i = 1; i <= size; i++) {
                Path nodeDir = dir.resolve("n" + i);
                Files.createDirectories(nodeDir);
                Files.setPosixFilePermissions(nodeDir, PosixFilePermissions.fromString("rwxrwxrwx"));
                NodeConfigTemplate config = new NodeConfigTemplate(
                        "demo",
                        "n" + i,
                        FreePorts.next(),
                        FreePorts.next(),
                        cluster.dcs.configSection(),
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
        reaper.started(node.agent.pid());
    }

    /** What a machine crash looks like: SIGKILL of the agent and of its PostgreSQL. */
    void crash(Node node) {
        if (node.agent != null && node.agent.isAlive()) {
            node.agent.signal("KILL");
            if (node.agent.waitFor(java.time.Duration.ofSeconds(5))) {
                reaper.exited(node.agent.pid());
            }
        }
        node.postmasterPid().ifPresent(pid -> Signals.send(pid, "KILL"));
    }

    Optional<Node> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /**
     * Stops the agents together (one at a time, each leader's stop would hand the lock to the next node), then any
     * PostgreSQL or fencing guard still running from the demo's directory, then the DCS; removes the directory.
     */
    @Override
    public void close() {
        List<ManagedProcess> agents = nodes.stream()
                .map(n -> n.agent)
                .filter(a -> a != null && a.isAlive())
                .toList();
        Signals.sendAll(agents.stream().map(ManagedProcess::pid).toList(), "TERM");
        agents.forEach(ManagedProcess::close);
        for (Node node : nodes) {
            node.postmasterPid().ifPresent(pid -> stop(pid, "QUIT"));
        }
        leftoverProcesses().forEach(p -> stop(p.pid(), "KILL"));
        if (dcs != null) {
            dcs.close();
        }
        TestDirs.delete(dir);
        reaper.finish();
    }

    /**
     * Processes whose command line names the demo's directory: agents, PostgreSQL, and the fencing guard of a killed
     * leader, which waits for the lock deadline before it exits on its own.
     */
    List<ProcessHandle> leftoverProcesses() {
        String path = dir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().orElse("").contains(path))
                .toList();
    }

    private static void stop(long pid, String signal) {
        Signals.send(pid, signal);
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (process.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() - deadline < 0) {
            sleepBriefly();
        }
        if (process.map(ProcessHandle::isAlive).orElse(false)) {
            Signals.send(pid, "KILL");
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the nodes use as their DCS, in a few words for the user. */
    String dcsDescription() {
        return dcs.description();
    }

    private static Path launcher(Path home) {
        return home.resolve("bin/bellwether");
    }
}
