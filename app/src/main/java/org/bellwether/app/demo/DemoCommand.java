package org.bellwether.app.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
        footer = {
            "",
            "Commands (type a letter and Enter): k = kill the primary (SIGKILL of its agent and PostgreSQL),",
            "r = restart stopped nodes, w = wait until the cluster is healthy, q = quit."
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
            new Session(cluster, out, commands, System.console() != null, started, limit).run();
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

    /** The demo's loop: refresh the table once a second and carry out the user's commands in order. */
    private static final class Session {
        private final DemoCluster cluster;
        private final PrintStream out;
        private final BlockingQueue<String> commands;
        private final boolean interactive;
        private final long started;
        private final Optional<Duration> limit;
        private final AtomicReference<String> lastTable = new AtomicReference<>("");
        private Optional<Long> killedAt = Optional.empty();
        private Optional<String> killedLeader = Optional.empty();
        private boolean healthyOnce;

        Session(
                DemoCluster cluster,
                PrintStream out,
                BlockingQueue<String> commands,
                boolean interactive,
                long started,
                Optional<Duration> limit) {
            this.cluster = cluster;
            this.out = out;
            this.commands = commands;
            this.interactive = interactive;
            this.started = started;
            this.limit = limit;
        }

        void run() throws InterruptedException {
            while (limit.map(l -> System.nanoTime() - started < l.toNanos()).orElse(true)) {
                List<DemoTable.Row> rows = DemoTable.rows(cluster);
                show(rows);
                note(rows);
                String command = commands.peek();
                if (command != null) {
                    if (command.equals("w") && !DemoTable.isHealthy(rows)) {
                        TimeUnit.MILLISECONDS.sleep(500);
                        continue;
                    }
                    commands.poll();
                    if (!execute(command, rows)) {
                        return;
                    }
                    continue;
                }
                TimeUnit.SECONDS.sleep(1);
            }
        }

        private void show(List<DemoTable.Row> rows) {
            String table = DemoTable.render(rows);
            if (interactive) {
                out.print("\033[H\033[2J");
                out.print(table);
                out.println("k = kill the primary, r = restart stopped nodes, w = wait until healthy, q = quit");
            } else if (!table.equals(lastTable.get())) {
                out.print(table);
            }
            lastTable.set(table);
        }

        private void note(List<DemoTable.Row> rows) {
            boolean healthy = DemoTable.isHealthy(rows);
            if (healthy && !healthyOnce) {
                healthyOnce = true;
                out.printf("Healthy: one leader, every replica streaming, %.1f s after start.%n", seconds(started));
            }
            if (killedAt.isPresent()) {
                Optional<String> leader = DemoTable.leader(rows);
                if (leader.isPresent() && !leader.equals(killedLeader)) {
                    out.printf(
                            "Failover: %s leads, %.1f s after %s was killed.%n",
                            leader.get(), seconds(killedAt.get()), killedLeader.orElse("the primary"));
                    killedAt = Optional.empty();
                }
            }
        }

        private boolean execute(String command, List<DemoTable.Row> rows) {
            switch (command) {
                case "q":
                    return false;
                case "w":
                    out.println("The cluster is healthy.");
                    return true;
                case "k":
                    Optional<String> leader = DemoTable.leader(rows);
                    if (leader.isEmpty()) {
                        out.println("No primary to kill right now.");
                        return true;
                    }
                    cluster.node(leader.get()).ifPresent(cluster::crash);
                    killedAt = Optional.of(System.nanoTime());
                    killedLeader = leader;
                    out.println("Killed " + leader.get() + " (SIGKILL of its agent and PostgreSQL).");
                    return true;
                case "r":
                    for (DemoCluster.Node node : cluster.nodes) {
                        if (node.agent == null || !node.agent.isAlive()) {
                            cluster.startAgent(node);
                            out.println("Restarted " + node.name() + ".");
                        }
                    }
                    return true;
                default:
                    out.println("Unknown command '" + command + "': k, r, w or q.");
                    return true;
            }
        }

        private static double seconds(long since) {
            return (System.nanoTime() - since) / 1e9;
        }
    }
}
