package org.bellwether.app.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** The demo's loop: refresh the table once a second and carry out the user's commands in order. */
final class DemoSession {
    static final String KEYS = "k = kill the primary, s = switchover, p = pause, u = resume, r = restart stopped nodes,"
            + " w = wait until healthy, q = quit";

    /** A leader change the user caused and the demo waits to see: by killing the leader, or by a switchover. */
    private record Awaited(String kind, String oldLeader, String cause, long since) {}

    private final DemoCluster cluster;
    private final PrintStream out;
    private final BlockingQueue<String> commands;
    private final boolean interactive;
    private final long started;
    private final Optional<Duration> limit;
    private final DemoRequests requests;
    private String lastTable = "";
    private Optional<Awaited> awaited = Optional.empty();
    private boolean healthyOnce;

    DemoSession(
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
        this.requests = new DemoRequests(out);
    }

    void run() throws InterruptedException {
        while (limit.map(l -> System.nanoTime() - started < l.toNanos()).orElse(true)) {
            DemoTable.View view = DemoTable.view(cluster);
            show(view);
            note(view.rows());
            String command = commands.peek();
            if (command != null) {
                if (command.equals("w") && !DemoTable.isHealthy(view.rows())) {
                    TimeUnit.MILLISECONDS.sleep(500);
                    continue;
                }
                commands.poll();
                if (!execute(command, view.rows())) {
                    return;
                }
                continue;
            }
            TimeUnit.SECONDS.sleep(1);
        }
    }

    private void show(DemoTable.View view) {
        String table = DemoTable.render(view);
        if (interactive) {
            out.print("\033[H\033[2J");
            out.print(table);
            out.println(KEYS);
        } else if (!table.equals(lastTable)) {
            out.print(table);
        }
        lastTable = table;
    }

    private void note(List<DemoTable.Row> rows) {
        if (DemoTable.isHealthy(rows) && !healthyOnce) {
            healthyOnce = true;
            out.printf("Healthy: one leader, every replica streaming, %.1f s after start.%n", seconds(started));
        }
        if (awaited.isPresent()) {
            Awaited change = awaited.get();
            Optional<String> leader = DemoTable.leader(rows);
            if (leader.isPresent() && !leader.get().equals(change.oldLeader())) {
                out.printf(
                        "%s: %s leads, %.1f s after %s %s.%n",
                        change.kind(), leader.get(), seconds(change.since()), change.oldLeader(), change.cause());
                awaited = Optional.empty();
            }
        }
    }

    private boolean execute(String command, List<DemoTable.Row> rows) {
        Optional<DemoCluster.Node> leader = DemoTable.leader(rows).flatMap(cluster::node);
        switch (command) {
            case "q":
                return false;
            case "w":
                out.println("The cluster is healthy.");
                return true;
            case "k":
                if (leader.isEmpty()) {
                    out.println("No primary to kill right now.");
                    return true;
                }
                cluster.crash(leader.get());
                awaited = Optional.of(new Awaited("Failover", leader.get().name(), "was killed", System.nanoTime()));
                out.println("Killed " + leader.get().name() + " (SIGKILL of its agent and PostgreSQL).");
                return true;
            case "s":
                if (leader.isEmpty()) {
                    out.println("No leader to switch over from right now.");
                    return true;
                }
                requests.switchover(leader.get());
                awaited = Optional.of(
                        new Awaited("Switchover", leader.get().name(), "was asked to hand over", System.nanoTime()));
                out.println("Asked " + leader.get().name() + " to switch over to the healthiest replica.");
                return true;
            case "p":
            case "u":
                boolean pause = command.equals("p");
                Optional<DemoCluster.Node> any = leader.or(() -> runningNode(rows));
                if (any.isEmpty()) {
                    out.println("No node answers right now.");
                    return true;
                }
                requests.pause(any.get(), pause);
                out.println(
                        pause ? "Pausing: no automatic failover until u." : "Resuming: automatic failover is back.");
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
                out.println("Unknown command '" + command + "': " + KEYS + ".");
                return true;
        }
    }

    private Optional<DemoCluster.Node> runningNode(List<DemoTable.Row> rows) {
        return rows.stream()
                .filter(r -> !r.state().equals("down") && !r.state().equals("starting"))
                .findFirst()
                .flatMap(r -> cluster.node(r.member()));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
