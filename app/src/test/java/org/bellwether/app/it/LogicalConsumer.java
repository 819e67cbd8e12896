package org.bellwether.app.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A change-data-capture client of a logical slot with {@code test_decoding}, confirming what it processed as a real
 * one does: it peeks changes from the slot on the current primary (the one node answering {@code /primary} with 200,
 * and not in recovery), records the ids of {@link AckedWriter}'s rows, and only then advances the slot to the last
 * commit it processed. After any failure it finds the primary again and goes on from wherever the slot there is.
 * Delivery is at least once: an id may come again after a leader change (a repeat), but none may be skipped.
 */
final class LogicalConsumer implements AutoCloseable {
    private static final Pattern INSERT =
            Pattern.compile("^table public\\." + AckedWriter.TABLE + ": INSERT: id\\[bigint\\]:(-?\\d+)");
    private static final int CHANGES_PER_PEEK = 1000;

    /**
     * One connection to a primary: where the slot stood when it began ({@code startLsn}) and the end of the last
     * commit this consumer had processed before, anywhere ({@code processedBefore}, -1 when none). A slot standing
     * beyond what was processed would skip changes.
     */
    record Session(String node, long startedNanos, long startLsn, long processedBefore) {}

    /** One non-empty batch of changes: when it arrived, from which node, how many ids and how many seen before. */
    record Batch(String node, long atNanos, int ids, int repeats) {}

    private final List<TestNode> nodes;
    private final String slot;
    private final Thread thread;
    private final Set<Long> seen = new HashSet<>();
    private final List<Session> sessions = new ArrayList<>();
    private final List<Batch> batches = new ArrayList<>();
    private volatile boolean running = true;
    private volatile String lastError = "";
    /** The end of the last commit processed (and then confirmed to the slot), -1 before the first. */
    private long processed = -1;

    private LogicalConsumer(List<TestNode> nodes, String slot) {
        this.nodes = List.copyOf(nodes);
        this.slot = slot;
        this.thread = new Thread(this::run, "logical-consumer-" + slot);
        this.thread.setDaemon(true);
    }

    /** Starts consuming {@code slot} on whichever of {@code nodes} is the primary. */
    static LogicalConsumer start(List<TestNode> nodes, String slot) {
        LogicalConsumer consumer = new LogicalConsumer(nodes, slot);
        consumer.thread.start();
        return consumer;
    }

    private void run() {
        while (running) {
            Optional<TestNode> primary = primary();
            if (primary.isEmpty()) {
                pause(200);
                continue;
            }
            try (Connection c = connect(primary.get())) {
                consume(primary.get(), c);
            } catch (SQLException | RuntimeException e) {
                lastError = primary.get().name + ": " + e.getMessage();
            }
            pause(200);
        }
    }

    /** The one node answering {@code /primary} with 200, if exactly one does. */
    private Optional<TestNode> primary() {
        List<TestNode> primaries = nodes.stream()
                .filter(n -> n.status("GET", "/primary", Duration.ofSeconds(1)) == 200)
                .toList();
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    private void consume(TestNode node, Connection c) throws SQLException {
        try (PreparedStatement recovery = c.prepareStatement("SELECT pg_is_in_recovery()");
                ResultSet r = recovery.executeQuery()) {
            r.next();
            if (r.getBoolean(1)) {
                throw new IllegalStateException("still in recovery");
            }
        }
        long start;
        try (PreparedStatement position = c.prepareStatement(
                        "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?");
                ResultSet r = query(position, slot)) {
            if (!r.next() || r.getString(1) == null) {
                throw new IllegalStateException("no slot " + slot);
            }
            start = WriteWorkload.parseLsn(r.getString(1));
        }
        synchronized (this) {
            sessions.add(new Session(node.name, System.nanoTime(), start, processed));
        }
        try (PreparedStatement peek = c.prepareStatement(
                        "SELECT lsn::text, data FROM pg_logical_slot_peek_changes(?, NULL, " + CHANGES_PER_PEEK + ")");
                PreparedStatement advance = c.prepareStatement("SELECT pg_replication_slot_advance(?, ?::pg_lsn)")) {
            while (running) {
                List<Long> ids = new ArrayList<>();
                String lastCommit = null;
                try (ResultSet r = query(peek, slot)) {
                    while (r.next()) {
                        String data = r.getString(2);
                        Matcher m = INSERT.matcher(data);
                        if (m.find()) {
                            ids.add(Long.parseLong(m.group(1)));
                        } else if (data.startsWith("COMMIT")) {
                            lastCommit = r.getString(1);
                        }
                    }
                }
                if (!ids.isEmpty()) {
                    record(node.name, ids);
                }
                if (lastCommit == null) {
                    pause(50);
                    continue;
                }
                // Processed: now confirm, so the slot may forget it. Whether the server got the confirmation or
                // not, the slot may stand anywhere up to here from now on.
                synchronized (this) {
                    processed = WriteWorkload.parseLsn(lastCommit);
                }
                advance.setString(1, slot);
                advance.setString(2, lastCommit);
                advance.executeQuery().close();
            }
        }
    }

    private synchronized void record(String node, List<Long> ids) {
        int repeats = 0;
        for (long id : ids) {
            if (!seen.add(id)) {
                repeats++;
            }
        }
        batches.add(new Batch(node, System.nanoTime(), ids.size(), repeats));
    }

    /** Every id received so far. */
    synchronized Set<Long> seen() {
        return Set.copyOf(seen);
    }

    synchronized List<Session> sessions() {
        return List.copyOf(sessions);
    }

    /** Ids received again after the consumer had already processed them, from batches received after {@code nanos}. */
    synchronized long repeatsSince(long nanos) {
        return batches.stream()
                .filter(b -> b.atNanos() > nanos)
                .mapToLong(Batch::repeats)
                .sum();
    }

    /** When the first batch from {@code node} after {@code nanos} arrived. */
    synchronized OptionalLong firstBatchFrom(String node, long nanos) {
        return batches.stream()
                .filter(b -> b.node().equals(node) && b.atNanos() > nanos)
                .mapToLong(Batch::atNanos)
                .findFirst();
    }

    /** Ids received from {@code node} after {@code nanos}. */
    synchronized long receivedFrom(String node, long nanos) {
        return batches.stream()
                .filter(b -> b.node().equals(node) && b.atNanos() > nanos)
                .mapToLong(Batch::ids)
                .sum();
    }

    String lastError() {
        return lastError;
    }

    /** Stops consuming; returns once the last batch was recorded. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ResultSet query(PreparedStatement statement, String slot) throws SQLException {
        statement.setString(1, slot);
        return statement.executeQuery();
    }

    private static Connection connect(TestNode node) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + node.pgPort
                        + "/postgres?connectTimeout=2&socketTimeout=10&loginTimeout=3&tcpKeepAlive=true",
                "postgres",
                TestNode.SUPERUSER_PASSWORD);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
