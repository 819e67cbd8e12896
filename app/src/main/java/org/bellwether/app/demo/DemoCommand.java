package org.bellwether.app.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bellwether demo}: a three-node cluster on this machine, a live table of its members, and commands to break
 * it and watch it heal. Everything it starts lives in one temporary directory and is stopped on exit (also Ctrl-C).
 */
@Command(
        name = "demo",
        description = "Run a local cluster (a DCS and three nodes on 127.0.0.1) and watch it fail over.",
        mixinStandardHelpOptions = true,
        versionProvider = org.bellwether.app.BellwetherCommand.VersionProvider.class,
        footer = {
            "",
            "Commands (type a letter and Enter): k = kill the primary (SIGKILL of its agent and PostgreSQL),",
            "s = switchover, p = pause (maintenance mode), u = resume, r = restart stopped nodes,",
            "w = wait until the cluster is healthy, q = quit."
        })
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--dcs",
            defaultValue = "zookeeper",
            paramLabel = "DCS",
            description = "zookeeper (default: a server inside the demo, nothing to install) or etcd (needs the etcd"
                    + " program).")
    String dcs;

    @Option(names = "--for", paramLabel = "DURATION", description = "Stop after this long (90s, 5m); default: until q.")
    String duration;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Optional<Duration> limit = Optional.ofNullable(duration).map(DemoCommand::parseDuration);
        Path home = Path.of(System.getProperty("bellwether.home", "."))
                .toAbsolutePath()
                .normalize();
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("--nodes: expected 1 to 9, got " + nodes);
        }
        if (!DemoDcs.CHOICES.contains(dcs)) {
            throw DemoDcs.unknownChoice(dcs);
        }
        quietZooKeeperServer();
        out.println("Starting " + dcs + " and " + nodes + " nodes on 127.0.0.1 ...");
        long started = System.nanoTime();
        DemoCluster cluster = DemoCluster.start(home, nodes, dcs);
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                out.println("Stopping every process the demo started ...");
                cluster.close();
                out.println("Stopped; removed " + cluster.dir);
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "demo-stop"));
        printHowToConnect(out, cluster, home);
        BlockingQueue<String> commands = readCommands();
        try {
            new DemoSession(cluster, out, commands, System.console() != null, started, limit).run();
        } finally {
            stop.run();
        }
        return 0;
    }

    private static void printHowToConnect(PrintStream out, DemoCluster cluster, Path home) {
        out.println("DCS: " + cluster.dcsDescription());
        out.println("Data, configuration and logs: " + cluster.dir + " (removed when the demo ends)");
        String ctl = home.resolve("bin/bellwether") + " ctl -c " + cluster.nodes.get(0).configFile;
        out.println("From another terminal:");
        out.println("  " + ctl + " list");
        out.println("  " + ctl + " switchover --force");
        for (DemoCluster.Node node : cluster.nodes) {
            out.printf(
                    "  psql 'host=127.0.0.1 port=%d user=postgres password=%s'   # %s; its REST API:"
                            + " curl -s http://127.0.0.1:%d/patroni%n",
                    node.config.postgresPort(), DemoCluster.SUPERUSER_PASSWORD, node.name(), node.config.restPort());
        }
    }

    /**
     * The embedded ZooKeeper server logs every connection at INFO and every dropped client (a killed agent) as a
     * warning, on the terminal that shows the table; its errors are all the demo's user needs.
     */
    private static void quietZooKeeperServer() {
        if (LoggerFactory.getLogger("org.apache.zookeeper") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private static BlockingQueue<String> readCommands() {
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (!line.isBlank()) {
                                commands.add(line.trim());
                            }
                        }
                    } catch (java.io.IOException e) {
                        // no more commands
                    }
                },
                "demo-commands");
        reader.setDaemon(true);
        reader.start();
        return commands;
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--for: expected a duration like 90s or 5m, got '" + text + "'");
        }
    }
}
