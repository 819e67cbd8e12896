package org.bellwether.agent.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A scenario file: one command per line, {@code #} starts a comment. The first command builds the cluster; the rest
 * inject faults, let time pass and state expectations. Every invariant the swarm checks is checked here too; a
 * scenario that documents a known gap says {@code expect violation <rule>}.
 *
 * <pre>
 * cluster nodes=3 ttl=10 loop_wait=2 retry_timeout=4 [maximum_lag_on_failover=1048576] [seed=1] [fence=off]
 *         [synchronous_mode=on|quorum] [synchronous_node_count=1] [failsafe_mode=on] [clock_drift=5000]
 * run 30s                          let simulated time pass
 * crash n1 | restart n1            the machine goes down (agent and PostgreSQL) | the agent starts again
 * crash-postgres n1 | kill-agent n1
 * freeze n1 30s                    SIGSTOP the agent, SIGCONT after the duration
 * partition-dcs n1 | isolate n1 | partition n1 n2 | heal
 * dcs-slow n1 6s | dcs-ambiguous n1 0.5 | dcs-stall 5s
 * dcs-outage | dcs-restore             every node loses the DCS at once | the DCS is back (node faults stay)
 * dcs-outage-after n1 renewal|status   as dcs-outage, right after the DCS applies n1's next renewal of the lock
 *                                  or status write (still answered)
 * dcs-put leader ''|initialize garbage   an operator's plain put of a value ('' is empty); a leader key put so
 *                                  is on no lease, as etcdctl leaves it
 * workload on|off
 * expect one-primary | no-primary | leader n2|n3 | no-leader | primary n2|n3 | role n1 replica|primary|stopped
 * expect not-primary n1             n1 does not accept writes (stopped, stopping or a replica)
 * expect converged within 100s | forked n1 | no-violation | violation two-primaries
 * expect sync-standby n2|n3         the sync key names one of them (and nobody else)
 * expect commits-waiting           some client's commit waits for a synchronous standby
 * expect keeps-writing n1 for 40s  runs 40 s; after every event n1 accepts writes, and commits keep returning
 * expect no-leader for 5s          runs 5 s; after every event the DCS has no leader key
 * expect reason n2 failsafe_primary_alive   the reason code of n2's last cycle
 * expect heard n3 n1               n3 acknowledged a POST /failsafe from n1 within ttl (on n3's clock)
 * expect promotions 0              promotions since the cluster was built (0: no failover ever)
 * expect member-slots n1|leader    n1 (or the leader) has a replication slot for every other node
 * expect initialize-of n1          the initialize key holds n1's system identifier
 * print                            the nodes' state, for whoever reads the test output
 * </pre>
 */
final class Scenario {
    /** How long clients may wait for a commit while a primary keeps writing (FailsafeIT's bound too). */
    private static final long LONGEST_WRITE_GAP = 2 * SimTime.SECOND;

    private final String name;
    private final List<String> lines;
    private final List<String> failures = new ArrayList<>();
    private final List<String> output = new ArrayList<>();
    private final TreeMap<String, Boolean> expectedViolations = new TreeMap<>();
    private SimWorld world;

    Scenario(String name, String text) {
        this.name = name;
        this.lines = Arrays.asList(text.split("\n", -1));
    }

    /** Runs every command; returns what went wrong (empty when the scenario holds). */
    List<String> run() {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                execute(line.split("\\s+"));
            } catch (RuntimeException e) {
                failures.add(name + ":" + (i + 1) + ": " + line + ": " + e.getMessage());
                break;
            }
        }
        if (world != null) {
            checkViolations();
        }
        return failures;
    }

    List<String> trace() {
        List<String> all = new ArrayList<>(output);
        if (world != null) {
            all.addAll(world.trace().lines());
        }
        return all;
    }

    private void execute(String[] words) {
        String command = words[0];
        if (command.equals("cluster")) {
            cluster(words);
            return;
        }
        if (world == null) {
            throw new IllegalArgumentException("the first command must be 'cluster'");
        }
        switch (command) {
            case "run" -> world.runUntil(world.now() + SimTime.parse(arg(words, 1)));
            case "expect" -> expect(Arrays.copyOfRange(words, 1, words.length));
            case "print" -> print();
            case "workload" -> world.workload().enable(arg(words, 1).equals("on"));
            case "heal" -> heal();
            case "dcs-stall" -> world.dcs().stall(world.now(), world.now() + SimTime.parse(arg(words, 1)));
            case "dcs-outage" -> world.dcsOutageBegins();
            case "dcs-restore" -> world.dcsOutageEnds();
            case "dcs-outage-after" -> world.dcsOutageAfter(node(arg(words, 1)).name(), request(arg(words, 2)));
            case "dcs-put" -> put(arg(words, 1), arg(words, 2).equals("''") ? "" : arg(words, 2));
            default -> fault(command, words);
        }
        world.trace().event(world.now(), "scen", String.join(" ", words));
    }

    private void cluster(String[] words) {
        SimConfig config = SimConfig.defaults();
        long seed = 1;
        for (int i = 1; i < words.length; i++) {
            String[] kv = words[i].split("=", 2);
            switch (kv[0]) {
                case "nodes" -> config = config.withNodes(Integer.parseInt(kv[1]));
                case "ttl" ->
                    config = config.withTiming(
                            Integer.parseInt(kv[1]), config.loopWaitSeconds(), config.retryTimeoutSeconds());
                case "loop_wait" ->
                    config = config.withTiming(
                            config.ttlSeconds(), Integer.parseInt(kv[1]), config.retryTimeoutSeconds());
                case "retry_timeout" ->
                    config = config.withTiming(config.ttlSeconds(), config.loopWaitSeconds(), Integer.parseInt(kv[1]));
                case "maximum_lag_on_failover" -> config = config.withMaximumLag(Long.parseLong(kv[1]));
                case "fence" -> config = config.withFence(!kv[1].equals("off"));
                case "synchronous_mode" ->
                    config = config.withSynchronousMode(
                            org.bellwether.core.SynchronousMode.fromWire(kv[1]), config.synchronousNodeCount());
                case "synchronous_node_count" ->
                    config = config.withSynchronousMode(config.synchronousMode(), Integer.parseInt(kv[1]));
                case "failsafe_mode" -> config = config.withFailsafeMode(kv[1].equals("on"));
                case "clock_drift" -> config = config.withClockDrift(Integer.parseInt(kv[1]));
                case "seed" -> seed = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown cluster setting " + kv[0]);
            }
        }
        world = new SimWorld(seed, config, true, false);
        world.start();
    }

    private void fault(String command, String[] words) {
        SimNode node = node(arg(words, 1));
        switch (command) {
            case "crash" -> node.crash();
            case "restart" -> node.startAgent();
            case "crash-postgres" -> node.postgres().kill();
            case "kill-agent" -> node.killAgent();
            case "freeze" -> {
                node.freeze();
                world.schedule(world.now() + SimTime.parse(arg(words, 2)), node::thaw);
            }
            case "partition-dcs" -> node.link().partition();
            case "isolate" -> world.nodes().forEach(o -> world.network().cut(node.name(), o.name()));
            case "partition" ->
                world.network().cut(node.name(), node(arg(words, 2)).name());
            case "dcs-slow" -> node.link().slow(SimTime.parse(arg(words, 2)));
            case "dcs-ambiguous" -> node.link().ambiguous(Double.parseDouble(arg(words, 2)));
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
    }

    private void put(String key, String value) {
        SimDcsServer dcs = world.dcs();
        dcs.apply(world.now(), () -> {
            switch (key) {
                case "leader" -> dcs.putLeader(value, 0);
                case "initialize" -> dcs.writeInitialize(value, null);
                default -> throw new IllegalArgumentException("dcs-put writes leader or initialize, not " + key);
            }
            return null;
        });
    }

    private void heal() {
        world.network().healAll();
        world.nodes().forEach(SimNode::healDcsLink);
    }

    private void expect(String[] words) {
        String what = arg(words, 0);
        switch (what) {
            case "one-primary" -> check(world.checkers().writable().size() == 1, "one primary", writableNames());
            case "no-primary" -> check(world.checkers().writable().isEmpty(), "no primary", writableNames());
            case "primary" ->
                check(
                        world.checkers().writable().size() == 1
                                && names(arg(words, 1))
                                        .contains(world.checkers()
                                                .writable()
                                                .get(0)
                                                .name()),
                        "primary " + arg(words, 1),
                        writableNames());
            case "leader" ->
                check(
                        world.dcs()
                                .leaderName()
                                .map(l -> names(arg(words, 1)).contains(l))
                                .orElse(false),
                        "leader " + arg(words, 1),
                        "leader key " + world.dcs().leaderName().orElse("absent"));
            case "no-leader" -> {
                if (words.length > 1) {
                    requireFor(
                            "no-leader", words, () -> world.dcs().leaderName().map(l -> "leader key " + l));
                }
                check(
                        world.dcs().leaderName().isEmpty(),
                        "no leader",
                        "leader key " + world.dcs().leaderName());
            }
            case "role" -> expectRole(node(arg(words, 1)), arg(words, 2));
            case "not-primary" -> {
                SimNode node = node(arg(words, 1));
                check(!node.postgres().acceptsWrites(), node.name() + " not accepting writes", Checkers.describe(node));
            }
            case "sync-standby" -> {
                List<String> standbys = world.dcs()
                        .sync()
                        .map(org.bellwether.core.SyncState::syncStandbys)
                        .orElse(List.of());
                check(
                        !standbys.isEmpty() && names(arg(words, 1)).containsAll(standbys),
                        "sync standby " + arg(words, 1),
                        "sync key " + world.dcs().sync());
            }
            case "commits-waiting" -> check(world.workload().waitingCommits() > 0, "commits waiting", "none waiting");
            case "keeps-writing" -> expectKeepsWriting(node(arg(words, 1)), words);
            case "reason" -> {
                SimNode node = node(arg(words, 1));
                String code = node.lastDecision()
                        .map(d -> d.reason().code().name().toLowerCase(Locale.ROOT))
                        .orElse("none");
                check(
                        code.equals(arg(words, 2)),
                        node.name() + " deciding " + arg(words, 2),
                        node.lastDecision().map(d -> d.reason().toString()).orElse("no cycle yet"));
            }
            case "heard" -> {
                SimNode node = node(arg(words, 1));
                Optional<String> heard = node.failsafeHeard();
                check(
                        heard.equals(Optional.of(arg(words, 2))),
                        node.name() + " heard " + arg(words, 2) + " within ttl",
                        "heard " + heard.orElse("nobody"));
            }
            case "promotions" ->
                check(
                        world.checkers().promotions() == Integer.parseInt(arg(words, 1)),
                        arg(words, 1) + " promotions",
                        world.checkers().promotions() + " promotions");
            case "member-slots" -> {
                String who = arg(words, 1).equals("leader")
                        ? world.dcs().leaderName().orElse("(no leader)")
                        : arg(words, 1);
                SimNode node = node(who);
                java.util.Set<String> missing = new java.util.TreeSet<>();
                for (SimNode other : world.nodes()) {
                    if (!other.name().equals(who)) {
                        missing.add(org.bellwether.core.ha.SlotNames.forMember(other.name()));
                    }
                }
                missing.removeAll(node.postgres().slotNames());
                check(
                        missing.isEmpty(),
                        who + " keeping a slot for every other member",
                        "it lacks " + missing + " (has " + node.postgres().slotNames() + ")");
            }
            case "converged" -> expectConverged(words);
            case "initialize-of" -> {
                SimNode node = node(arg(words, 1));
                Optional<String> initialize = world.dcs().view().initialize();
                check(
                        initialize.equals(Optional.ofNullable(node.postgres().systemId())),
                        "initialize holding " + node.name() + "'s system identifier",
                        "initialize " + initialize.orElse("absent"));
            }
            case "forked" -> {
                SimNode node = node(arg(words, 1));
                List<SimNode> writable = world.checkers().writable();
                check(
                        writable.size() == 1
                                && Checkers.isForked(
                                        node.postgres(), writable.get(0).postgres()),
                        node.name() + " forked from the primary",
                        Checkers.describe(node));
            }
            case "no-violation" ->
                check(
                        world.checkers().violations().isEmpty(),
                        "no violation",
                        world.checkers().violations().toString());
            case "violation" -> expectedViolations.put(arg(words, 1), true);
            default -> throw new IllegalArgumentException("unknown expectation " + what);
        }
    }

    private void expectRole(SimNode node, String role) {
        SimPostgres pg = node.postgres();
        String actual = !pg.isRunning()
                ? pg.runState().name().toLowerCase(Locale.ROOT)
                : pg.acceptsWrites() ? "primary" : pg.inRecovery() ? "replica" : "stopping";
        check(actual.equals(role), node.name() + " " + role, Checkers.describe(node));
    }

    /**
     * Runs for the given time; after every event {@code node} must accept writes and clients' commits must have
     * returned within the last {@link #LONGEST_WRITE_GAP}, or the run records a {@code keeps-writing} violation.
     */
    private void expectKeepsWriting(SimNode node, String[] words) {
        requireFor("keeps-writing", Arrays.copyOfRange(words, 1, words.length), () -> {
            if (!node.postgres().acceptsWrites()) {
                return Optional.of(Checkers.describe(node) + " stopped accepting writes");
            }
            long gap = world.now() - world.workload().lastAcknowledgedAt();
            return gap > LONGEST_WRITE_GAP
                    ? Optional.of("no commit returned for " + SimTime.format(gap))
                    : Optional.empty();
        });
    }

    /**
     * {@code ... for <duration>} at the end of {@code words}: runs that long, and after every event in that time
     * {@code broken} must say nothing, or the run records a violation of {@code rule}.
     */
    private void requireFor(String rule, String[] words, java.util.function.Supplier<Optional<String>> broken) {
        if (words.length < 3 || !words[words.length - 2].equals("for")) {
            throw new IllegalArgumentException("expected: ... for <duration>");
        }
        long until = world.now() + SimTime.parse(words[words.length - 1]);
        world.checkers().require(rule, until, broken);
        world.runUntil(until);
    }

    private void expectConverged(String[] words) {
        long within = words.length >= 3 && words[1].equals("within")
                ? SimTime.parse(words[2])
                : 10 * world.config().ttl();
        Optional<Long> at = world.runUntilConverged(world.now() + within, true);
        check(
                at.isPresent(),
                "converged within " + SimTime.format(within),
                world.checkers().notConverged(true).orElse(""));
    }

    /** Violations are collected as the world runs; each must have been announced by an {@code expect violation}. */
    private void checkViolations() {
        TreeMap<String, Boolean> seen = new TreeMap<>();
        for (Checkers.Violation v : world.checkers().violations()) {
            seen.put(v.rule(), true);
            if (!expectedViolations.containsKey(v.rule())) {
                failures.add(name + ": unexpected violation " + v);
            }
        }
        for (String rule : expectedViolations.keySet()) {
            if (!seen.containsKey(rule)) {
                failures.add(name + ": expected a violation of " + rule + " (a known gap), none happened");
            }
        }
    }

    private void check(boolean holds, String expected, String actual) {
        if (!holds) {
            failures.add(name + " at " + SimTime.format(world.now()) + ": expected " + expected + ", but " + actual);
        }
    }

    private void print() {
        for (SimNode node : world.nodes()) {
            output.add(SimTime.format(world.now()) + " " + Checkers.describe(node) + " leader="
                    + world.dcs().leaderName().orElse("-"));
        }
    }

    private String writableNames() {
        return "writable: "
                + world.checkers().writable().stream().map(SimNode::name).toList();
    }

    private static List<String> names(String alternatives) {
        return Arrays.asList(alternatives.split("\\|"));
    }

    private static String request(String name) {
        if (!name.equals("renewal") && !name.equals("status")) {
            throw new IllegalArgumentException("expected renewal or status, not " + name);
        }
        return name;
    }

    private SimNode node(String name) {
        SimNode node = world.node(name);
        if (node == null) {
            throw new IllegalArgumentException("no node " + name);
        }
        return node;
    }

    private static String arg(String[] words, int index) {
        if (index >= words.length) {
            throw new IllegalArgumentException("missing argument " + index);
        }
        return words[index];
    }
}
