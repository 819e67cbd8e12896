package org.bellwether.app.it;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PostgreSQL itself says about roles and replication, read straight from the servers (never from an agent):
 * who runs as primary, on which timeline, who streams from whom, and when a promotion happened (its log).
 */
final class Replication {
    /** PostgreSQL's default log_line_prefix '%m [%p] ' with log_timezone UTC (set by the test template). */
    private static final Pattern NEW_TIMELINE = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) UTC \\[\\d+\\] LOG:  selected new timeline ID: (\\d+)");

    private static final Pattern SHUT_DOWN = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) UTC \\[\\d+\\] LOG:  database system is shut down");

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern WAL_RECEIVER_TROUBLE = Pattern.compile(
            "forked off|not a child|requested starting point|requested timeline|does not contain minimum recovery point");

    private Replication() {}

    /** Whether {@code node}'s PostgreSQL answers and is not in recovery; empty when it does not answer. */
    static Optional<Boolean> isPrimary(TestNode node) {
        return TestCluster.tryQueryOne(node, "SELECT NOT pg_is_in_recovery()").map("t"::equals);
    }

    /** The timeline {@code node} writes (a primary) or replays (a replica) on. */
    static Optional<Integer> timeline(TestNode node) {
        return TestCluster.tryQueryOne(
                        node,
                        "SELECT CASE WHEN pg_is_in_recovery() THEN (SELECT received_tli FROM pg_stat_wal_receiver)"
                                + " ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int"
                                + " END")
                .map(Integer::parseInt);
    }

    /**
     * Whether {@code replica} streams from {@code leader} on the leader's timeline, as both ends see it: the replica's
     * WAL receiver is streaming from the leader's published port on the leader's timeline, and the leader lists the
     * replica as streaming. A replica whose history forked from the leader's cannot pass.
     */
    static boolean streamsFrom(TestNode replica, TestNode leader) {
        Optional<Integer> leaderTimeline = timeline(leader);
        Optional<String> receiver = TestCluster.tryQueryOne(
                replica, "SELECT status || ',' || received_tli || ',' || sender_port FROM pg_stat_wal_receiver");
        Optional<String> sender = TestCluster.tryQueryOne(
                leader,
                "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND application_name = '"
                        + replica.name + "'");
        if (leaderTimeline.isEmpty() || receiver.isEmpty() || sender.isEmpty()) {
            return false;
        }
        String[] r = receiver.get().split(",");
        return r[0].equals("streaming")
                && Integer.parseInt(r[1]) == leaderTimeline.get()
                && Integer.parseInt(r[2]) == leader.pgConnectPort()
                && !sender.get().equals("0");
    }

    /** Nodes whose PostgreSQL answers and runs as a primary. */
    static List<TestNode> runningPrimaries(List<TestNode> nodes) {
        return nodes.stream().filter(n -> isPrimary(n).orElse(false)).toList();
    }

    /** A promotion, from the promoted server's log: from {@code at} on, it wrote on {@code timeline}. */
    record Promotion(TestNode node, int timeline, Instant at) {}

    /** When {@code node} last promoted itself to {@code timeline}, from PostgreSQL's log. */
    static Optional<Instant> promotedAt(TestNode node, int timeline) {
        return promotions(node).stream()
                .filter(p -> p.timeline() == timeline)
                .reduce((a, b) -> b)
                .map(Promotion::at);
    }

    /** Every promotion in {@code node}'s log, oldest first. */
    static List<Promotion> promotions(TestNode node) {
        List<Promotion> found = new ArrayList<>();
        for (String line : logLines(node)) {
            Matcher m = NEW_TIMELINE.matcher(line);
            if (m.find()) {
                found.add(new Promotion(
                        node,
                        Integer.parseInt(m.group(2)),
                        LocalDateTime.parse(m.group(1), LOG_TIME).toInstant(ZoneOffset.UTC)));
            }
        }
        return found;
    }

    /**
     * When {@code node}'s PostgreSQL first finished shutting down after {@code after}, from its log: every backend is
     * gone by then. The postmaster's PID is no good for this: it lingers as a zombie until its adoptive parent reaps it.
     */
    static Optional<Instant> shutDownAfter(TestNode node, Instant after) {
        return shutDowns(node).stream().filter(at -> at.isAfter(after)).findFirst();
    }

    /** How often {@code node}'s PostgreSQL shut down between two instants, from its log. */
    static long shutDownsBetween(TestNode node, Instant from, Instant to) {
        return shutDowns(node).stream()
                .filter(at -> at.isAfter(from) && at.isBefore(to))
                .count();
    }

    private static List<Instant> shutDowns(TestNode node) {
        List<Instant> found = new ArrayList<>();
        for (String line : logLines(node)) {
            Matcher m = SHUT_DOWN.matcher(line);
            if (m.find()) {
                found.add(LocalDateTime.parse(m.group(1), LOG_TIME).toInstant(ZoneOffset.UTC));
            }
        }
        return found;
    }

    /** The last lines of {@code node}'s PostgreSQL log that say why WAL streaming or recovery cannot go on. */
    static List<String> walReceiverTrouble(TestNode node, int max) {
        List<String> lines = logLines(node).stream()
                .filter(l -> WAL_RECEIVER_TROUBLE.matcher(l).find())
                .toList();
        return new ArrayList<>(lines.subList(Math.max(0, lines.size() - max), lines.size()));
    }

    /** The switch point of {@code timeline} in the leader's history: where the previous timeline ends. */
    static Optional<String> switchPoint(TestNode leader, int timeline) {
        String file = String.format("pg_wal/%08X.history", timeline);
        return TestCluster.tryQueryOne(leader, "SELECT pg_read_file('" + file + "')")
                .flatMap(history -> history.lines()
                        .filter(l -> !l.isBlank() && !l.startsWith("#"))
                        .map(l -> l.split("\\s+"))
                        .filter(f -> f.length >= 2 && Integer.parseInt(f[0]) == timeline - 1)
                        .map(f -> f[1])
                        .findFirst());
    }

    /** Rows of {@code table}; -1 when the node does not answer. */
    static long count(TestNode node, String table) {
        try (Connection c = node.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static List<String> logLines(TestNode node) {
        try {
            return Files.readAllLines(node.postgresLog());
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }
}
