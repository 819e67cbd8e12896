package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.bellwether.testkit.Signals;
import org.bellwether.testkit.TestDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, {@code bin/demo}, as it runs once the build is there: {@code bin/bellwether demo} (run
 * directly here, so that the test never starts a build of its own), driven through its standard input as the README
 * describes. It must reach a healthy three-node cluster on its embedded ZooKeeper, fail over after the primary is
 * killed, switch over, pause and resume, print a {@code ctl} line that works, and leave no process, port or directory
 * behind, also when it is killed with SIGKILL. The timings it measures are printed.
 */
class DemoIT {
    private static final Path HOME = Path.of(System.getProperty("bellwether.home", ".."))
            .toAbsolutePath()
            .normalize();
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern ZOOKEEPER =
            Pattern.compile("^DCS: a ZooKeeper server \\(in this process\\) on 127\\.0\\.0\\.1:(\\d+)$");
    private static final Pattern DIRECTORY = Pattern.compile("^Data, configuration and logs: (\\S+) ");
    private static final Pattern CTL = Pattern.compile("^\\s+(\\S+ ctl -c \\S+) list$");
    private static final Pattern NODE_PORTS =
            Pattern.compile("^\\s+psql 'host=127\\.0\\.0\\.1 port=(\\d+) .*# (n\\d).* http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern HEALTHY = Pattern.compile("^Healthy: .* ([0-9.]+) s after start\\.$");
    private static final Pattern READY = Pattern.compile("^The cluster is healthy\\.$");
    private static final Pattern KILLED = Pattern.compile("^Killed (n\\d) \\(SIGKILL");
    private static final Pattern FAILOVER =
            Pattern.compile("^Failover: (n\\d) leads, ([0-9.]+) s after (n\\d) was killed");
    private static final Pattern SWITCHOVER =
            Pattern.compile("^Switchover: (n\\d) leads, ([0-9.]+) s after (n\\d) was asked to hand over");
    private static final Pattern MAINTENANCE = Pattern.compile("^Maintenance mode: on");

    private static Path scratch;
    /** Runs the printed ctl line; its output files go to a directory of the test's own, not the demo's. */
    private static CtlRunner commands;

    @BeforeAll
    static void createScratch() {
        scratch = TestDirs.create("demo-it");
        commands = new CtlRunner(scratch);
    }

    @AfterAll
    static void removeScratch() {
        TestDirs.delete(scratch);
    }

    @Test
    void readmeDemo_reachesAHealthyClusterFailsOverAfterAKillAndLeavesNothingBehind() throws Exception {
        runDemo((demo, started) -> {
            demo.type("w");
            DemoProcess.Found healthy = demo.await(HEALTHY, 0, START);
            DemoProcess.Found ready = demo.await(READY, healthy.index(), Duration.ofSeconds(10));
            assertPrintedCtlLineLists(started, "n1", "n2", "n3", "Leader", "streaming");

            demo.type("k");
            demo.type("w");
            DemoProcess.Found killed = demo.await(KILLED, ready.index(), Duration.ofSeconds(10));
            DemoProcess.Found failover = demo.await(FAILOVER, killed.index(), Duration.ofSeconds(60));
            DemoProcess.Found healed = demo.await(READY, failover.index(), Duration.ofSeconds(60));
            assertThat(failover.group(1)).isNotEqualTo(killed.group(1));
            assertThat(failover.group(3)).isEqualTo(killed.group(1));
            assertTableBefore(demo, healed.index(), failover.group(1), killed.group(1), "2");

            DemoProcess.Found switched = switchOver(demo, healed.index(), failover.group(1), killed.group(1));
            pauseAndResume(demo, started, switched.index());

            List<Long> children = descendants(demo.pid());
            demo.type("q");
            assertThat(demo.awaitExit(Duration.ofSeconds(60))).isTrue();
            assertThat(demo.exitValue()).isZero();
            assertThat(demo.output()).contains("Stopped; removed " + started.dir);
            awaitNothingLeft(started, children, Duration.ofSeconds(20));

            System.out.printf(
                    "DemoIT timings (ZooKeeper): start to healthy cluster %.1f s (demo: %s s); kill of %s to new"
                            + " leader %s %.1f s (demo: %s s); kill to healthy cluster again %.1f s;"
                            + " switchover %s s%n",
                    seconds(healthy.nanos() - demo.startedNanos),
                    healthy.group(1),
                    killed.group(1),
                    failover.group(1),
                    seconds(failover.nanos() - killed.nanos()),
                    failover.group(2),
                    seconds(healed.nanos() - killed.nanos()),
                    switched.group(2));
        });
    }

    /** 's': the leader hands over to the one running replica, which then leads with the old leader streaming. */
    private static DemoProcess.Found switchOver(DemoProcess demo, int from, String leader, String down)
            throws InterruptedException {
        demo.type("s");
        DemoProcess.Found switched = demo.await(SWITCHOVER, from, Duration.ofSeconds(60));
        assertThat(switched.group(3)).isEqualTo(leader);
        assertThat(switched.group(1)).isNotIn(leader, down);
        demo.type("w");
        DemoProcess.Found healthy = demo.await(READY, switched.index(), Duration.ofSeconds(60));
        assertTableBefore(demo, healthy.index(), switched.group(1), down, "3");
        return switched;
    }

    /** 'p' sets the cluster's pause key (the table says so), 'u' clears it; the printed ctl line sees both. */
    private static void pauseAndResume(DemoProcess demo, Started started, int from) throws InterruptedException {
        demo.type("p");
        DemoProcess.Found paused = demo.await(MAINTENANCE, from, Duration.ofSeconds(15));
        assertPrintedCtlLineLists(started, "Maintenance mode: on");
        demo.type("u");
        demo.await(Pattern.compile("^Resuming"), paused.index(), Duration.ofSeconds(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (ctlList(started).out().contains("Maintenance mode: on")) {
            assertThat(System.nanoTime()).as("maintenance mode off within 15 s").isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static void assertPrintedCtlLineLists(Started started, String... expected) {
        CtlRunner.Result list = ctlList(started);
        assertThat(list.out()).contains(expected);
    }

    /** Runs the {@code ctl ... list} line the demo printed for another terminal, as it is; it must succeed. */
    private static CtlRunner.Result ctlList(Started started) {
        CtlRunner.Result list =
                commands.exec(Duration.ofSeconds(30), Arrays.asList((started.ctl + " list").split(" ")));
        assertThat(list.exit()).as(list.toString()).isZero();
        return list;
    }

    /** The last table before line {@code before}: {@code leader} leads on {@code timeline}, others stream on it. */
    private static void assertTableBefore(DemoProcess demo, int before, String leader, String down, String timeline) {
        Map<String, List<String>> table = lastTableBefore(demo, before);
        assertThat(table).hasSize(3);
        assertThat(table.get(down)).contains("down");
        for (Map.Entry<String, List<String>> row : table.entrySet()) {
            if (row.getKey().equals(leader)) {
                assertThat(row.getValue()).containsSubsequence("Leader", "running", timeline);
            } else if (!row.getKey().equals(down)) {
                assertThat(row.getValue()).containsSubsequence("Replica", "streaming", timeline);
            }
        }
    }

    @Test
    void demoKilledWithSigkill_itsReaperStopsEverythingAndRemovesTheDirectory() throws Exception {
        runDemo((demo, started) -> {
            demo.type("w");
            demo.await(READY, 0, START);
            List<Long> children = descendants(demo.pid());

            Signals.send(demo.pid(), "KILL");
            long killed = System.nanoTime();
            assertThat(demo.awaitExit(Duration.ofSeconds(10))).isTrue();
            awaitNothingLeft(started, children, Duration.ofSeconds(30));
            System.out.printf(
                    "DemoIT timings: after SIGKILL of the demo, everything was gone in %.1f s%n",
                    seconds(System.nanoTime() - killed));
        });
    }

    /** What a test does with a running demo and what it printed at start. */
    private interface Scenario {
        void run(DemoProcess demo, Started started) throws Exception;
    }

    /** Runs the demo for a scenario; afterwards (also on failure) nothing the demo started is left running. */
    private static void runDemo(Scenario scenario) throws Exception {
        Started started = null;
        DemoProcess demo = DemoProcess.start(HOME, "--for", "150s");
        try {
            started = Started.read(demo);
            scenario.run(demo, started);
        } catch (Exception | AssertionError e) {
            System.err.println("The demo's output:\n" + demo.output());
            printAgentLogs(started);
            throw e;
        } finally {
            demo.close();
            stopLeftovers(started);
        }
    }

    /** The end of every node's agent log, read before the demo removes its directory: why a step went wrong. */
    private static void printAgentLogs(Started started) {
        if (started == null) {
            return;
        }
        for (String node : List.of("n1", "n2", "n3")) {
            Path log = started.dir.resolve(node).resolve("agent.log");
            try {
                List<String> lines = Files.readAllLines(log);
                System.err.println("The last lines of " + node + "'s agent log:");
                lines.subList(Math.max(0, lines.size() - 120), lines.size()).forEach(System.err::println);
            } catch (IOException e) {
                System.err.println("cannot read " + log + ": " + e.getMessage());
            }
        }
    }

    /** What the demo printed before its table: where it keeps its files and which ports it uses. */
    private record Started(Path dir, String ctl, List<Integer> ports) {
        static Started read(DemoProcess demo) throws InterruptedException {
            DemoProcess.Found zk = demo.await(ZOOKEEPER, 0, START);
            DemoProcess.Found dir = demo.await(DIRECTORY, 0, Duration.ofSeconds(5));
            DemoProcess.Found ctl = demo.await(CTL, 0, Duration.ofSeconds(5));
            List<Integer> ports = new ArrayList<>(List.of(Integer.parseInt(zk.group(1))));
            int from = 0;
            for (int i = 0; i < 3; i++) {
                DemoProcess.Found node = demo.await(NODE_PORTS, from, Duration.ofSeconds(5));
                ports.add(Integer.parseInt(node.group(1)));
                ports.add(Integer.parseInt(node.group(3)));
                from = node.index() + 1;
            }
            return new Started(Path.of(dir.group(1)), ctl.group(1), ports);
        }
    }

    /** The rows of the last table printed before line {@code before}: member to its cells. */
    private static Map<String, List<String>> lastTableBefore(DemoProcess demo, int before) {
        String[] lines = demo.output().split("\n");
        Map<String, List<String>> rows = new TreeMap<>();
        for (int i = before - 1; i >= 0 && rows.size() < 3; i--) {
            if (lines[i].startsWith("| n")) {
                List<String> cells = Arrays.stream(lines[i].split("\\|"))
                        .map(String::trim)
                        .filter(c -> !c.isEmpty())
                        .toList();
                rows.putIfAbsent(cells.get(0), cells);
            }
        }
        return rows;
    }

    private static void awaitNothingLeft(Started started, List<Long> children, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> left = new ArrayList<>();
            children.stream()
                    .filter(pid ->
                            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .forEach(pid -> left.add("process " + pid + " the demo started"));
            processesNaming(started.dir).forEach(p -> left.add("process " + p.pid() + ": " + commandLine(p)));
            started.ports.stream().filter(DemoIT::accepts).forEach(port -> left.add("port " + port + " open"));
            if (Files.exists(started.dir)) {
                left.add("directory " + started.dir);
            }
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("left behind after the demo ended: " + left);
            }
            Thread.sleep(200);
        }
    }

    /** Also on failure: whatever still runs from the demo's directory is killed by PID, and the directory goes. */
    private static void stopLeftovers(Started started) {
        if (started == null) {
            return;
        }
        List<Long> pids =
                processesNaming(started.dir).stream().map(ProcessHandle::pid).toList();
        Signals.sendAll(pids, "KILL");
        TestDirs.delete(started.dir);
    }

    private static List<Long> descendants(long pid) {
        return ProcessHandle.of(pid)
                .map(p -> p.descendants().map(ProcessHandle::pid).toList())
                .orElse(List.of());
    }

    private static List<ProcessHandle> processesNaming(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(p -> commandLine(p).contains(dir.toString()))
                .toList();
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
