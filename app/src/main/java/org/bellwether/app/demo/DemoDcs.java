package org.bellwether.app.demo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bellwether.testkit.EtcdCluster;

/**
 * The store the demo's nodes elect their leader in: a ZooKeeper server inside the demo's JVM (the default: nothing
 * to install), or a local etcd started from the {@code etcd} binary.
 */
sealed interface DemoDcs extends AutoCloseable {
    List<String> CHOICES = List.of("zookeeper", "etcd");

    /** Starts the store {@code choice} names ({@code zookeeper} or {@code etcd}), with its data under {@code dir}. */
    static DemoDcs start(String choice, Path dir, LeftoverReaper reaper) {
        return switch (choice) {
            case "zookeeper" -> new ZooKeeper(EmbeddedZooKeeper.start(dir.resolve("zookeeper")));
            case "etcd" -> Etcd.start(reaper);
            default -> throw unknownChoice(choice);
        };
    }

    static IllegalArgumentException unknownChoice(String choice) {
        return new IllegalArgumentException(
                "--dcs: expected one of " + String.join(", ", CHOICES) + ", got '" + choice + "'");
    }

    /** What the demo says it started, e.g. "a ZooKeeper server (in this process) on 127.0.0.1:41234". */
    String description();

    /** The node configuration's DCS section, in Patroni's format, ending with a newline. */
    String configSection();

    @Override
    void close();

    /** ZooKeeper in the demo's own JVM: it stops when the demo does, however the demo ends. */
    record ZooKeeper(EmbeddedZooKeeper server) implements DemoDcs {
        @Override
        public String description() {
            return "a ZooKeeper server (in this process) on " + server.hostPort();
        }

        @Override
        public String configSection() {
            return "zookeeper:\n  hosts:\n  - " + server.hostPort() + "\n";
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** One etcd member, a child process the demo stops by PID (or its reaper does, if the demo is killed). */
    record Etcd(EtcdCluster cluster) implements DemoDcs {
        static Etcd start(LeftoverReaper reaper) {
            if (findOnPath("etcd").isEmpty()) {
                throw new IllegalStateException("--dcs etcd needs the 'etcd' program on PATH: install etcd 3.4+"
                        + " (Debian and Ubuntu: apt-get install etcd-server), or leave out --dcs to use the built-in"
                        + " ZooKeeper");
            }
            EtcdCluster cluster = EtcdCluster.startCluster(1);
            reaper.made(cluster.directory());
            cluster.pids().forEach(reaper::started);
            return new Etcd(cluster);
        }

        @Override
        public String description() {
            return "etcd (pid " + cluster.pids().get(0) + ") on "
                    + cluster.hostPorts().get(0);
        }

        @Override
        public String configSection() {
            return "etcd3:\n  hosts: " + String.join(",", cluster.hostPorts()) + "\n";
        }

        @Override
        public void close() {
            cluster.close();
        }
    }

    private static Optional<Path> findOnPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program));
            }
        }
        return Optional.empty();
    }
}
