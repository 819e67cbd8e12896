package org.bellwether.app.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that writes numbered rows, one autocommit INSERT each, and remembers every one the server acknowledged,
 * with when, which server ({@code inet_server_port()}), at what WAL position and on which timeline. It reconnects
 * after every failure with short timeouts, the way an application behind HAProxy lives through a failover. A
 * statement that fails is not an acknowledgement, whatever happened to it on the server.
 *
 * <p>What users rely on is then checked against the final primary: {@link #missingOn} lists acknowledged rows that
 * are gone, {@link #unavailability} is the longest stretch without any acknowledgement around a fault.
 */
final class WriteWorkload implements AutoCloseable {
    static final String TABLE = "ha_writes";

    /**
     * One acknowledged INSERT, received at {@code at}. {@code lsn}, {@code timeline} and {@code serverTime} are read by
     * the statement itself, just before its commit: the server's clock then is a lower bound of the commit's time.
     */
    record Ack(long id, Instant at, int serverPort, long lsn, int timeline, Instant serverTime) {}

    private final String writer;
    private final int port;
    private final Duration pause;
    private final AtomicLong nextId;
    private final List<Ack> acks = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastError = "";
    private long failures;

    private WriteWorkload(String writer, int port, long firstId, Duration pause) {
        this.writer = writer;
        this.port = port;
        this.pause = pause;
        this.nextId = new AtomicLong(firstId);
        this.thread = new Thread(this::run, "writer-" + writer);
        this.thread.setDaemon(true);
    }

    /** Creates the table on the primary (once per cluster). */
    static void createTable(TestNode primary) throws SQLException {
        try (Connection c = primary.connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS " + TABLE
                            + " (id bigint PRIMARY KEY, writer text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())");
        }
    }

    /**
     * Starts a writer against {@code port} (HAProxy's, or one node's own). Ids start at {@code firstId}; give each
     * writer of a cluster its own range.
     */
    static WriteWorkload start(String writer, int port, long firstId, Duration pause) {
        WriteWorkload w = new WriteWorkload(writer, port, firstId, pause);
        w.thread.start();
        return w;
    }

    String writer() {
        return writer;
    }

    int port() {
        return port;
    }

    private void run() {
        Connection connection = null;
        PreparedStatement insert = null;
        while (running) {
            long id = nextId.getAndIncrement();
            try {
                if (connection == null) {
                    connection = connect();
                    insert = connection.prepareStatement("INSERT INTO " + TABLE + " (id, writer) VALUES (?, ?)"
                            + " RETURNING inet_server_port(), pg_current_wal_lsn()::text,"
                            + " pg_walfile_name(pg_current_wal_lsn()),"
                            + " (extract(epoch FROM clock_timestamp()) * 1000000)::bigint");
                }
                insert.setLong(1, id);
                insert.setString(2, writer);
                try (ResultSet r = insert.executeQuery()) {
                    r.next();
                    Ack ack = new Ack(
                            id,
                            Instant.now(),
                            r.getInt(1),
                            parseLsn(r.getString(2)),
                            timelineOf(r.getString(3)),
                            Instant.EPOCH.plus(r.getLong(4), ChronoUnit.MICROS));
                    synchronized (acks) {
                        acks.add(ack);
                    }
                }
            } catch (SQLException e) {
                synchronized (acks) {
                    failures++;
                }
                lastError = e.getMessage();
                closeQuietly(connection);
                connection = null;
                insert = null;
                pauseQuietly(Duration.ofMillis(50));
                continue;
            }
            pauseQuietly(pause);
        }
        closeQuietly(connection);
    }

    private Connection connect() throws SQLException {
        // Seconds: a dead or partitioned server costs the client at most this much per attempt.
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port
                        + "/postgres?connectTimeout=1&socketTimeout=2&loginTimeout=2&tcpKeepAlive=true",
                "postgres",
                TestNode.SUPERUSER_PASSWORD);
    }

    /** Stops writing; returns once the writer thread has finished its last statement. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Ack> acks() {
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    long failures() {
        synchronized (acks) {
            return failures;
        }
    }

    String lastError() {
        return lastError;
    }

    Optional<Ack> lastAck() {
        List<Ack> all = acks();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The first acknowledgement received after {@code instant}. */
    Optional<Ack> firstAckAfter(Instant instant) {
        return acks().stream().filter(a -> a.at().isAfter(instant)).findFirst();
    }

    /** The last acknowledgement received from the server on {@code serverPort}. */
    Optional<Ack> lastAckFrom(int serverPort) {
        return acks().stream().filter(a -> a.serverPort() == serverPort).reduce((a, b) -> b);
    }

    long acksAfter(Instant instant) {
        return acks().stream().filter(a -> a.at().isAfter(instant)).count();
    }

    /**
     * The write outage a client saw around a fault: the longest gap between two consecutive acknowledgements where
     * the second came after {@code fault}. Empty if no acknowledgement came after the fault.
     */
    Optional<Duration> unavailability(Instant fault) {
        return longestGap(acks(), fault);
    }

    /** {@link #unavailability} over the acknowledgements of several clients, in the order they were received. */
    static Optional<Duration> longestGap(List<Ack> acks, Instant fault) {
        List<Ack> all = acks.stream().sorted(Comparator.comparing(Ack::at)).toList();
        Duration longest = null;
        for (int i = 1; i < all.size(); i++) {
            if (!all.get(i).at().isAfter(fault)) {
                continue;
            }
            Duration gap = Duration.between(all.get(i - 1).at(), all.get(i).at());
            if (longest == null || gap.compareTo(longest) > 0) {
                longest = gap;
            }
        }
        return Optional.ofNullable(longest);
    }

    /** Acknowledged rows of this writer that {@code node} does not have, in id order. */
    List<Ack> missingOn(TestNode node) throws SQLException {
        Set<Long> present = new HashSet<>();
        try (Connection c = node.connect();
                PreparedStatement s = c.prepareStatement("SELECT id FROM " + TABLE + " WHERE writer = ?")) {
            s.setString(1, writer);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    present.add(r.getLong(1));
                }
            }
        }
        return acks().stream().filter(a -> !present.contains(a.id())).toList();
    }

    /**
     * Of {@code missing}, those further than {@code lagLimit} bytes of WAL behind the last of {@code acks} on their
     * own timeline: losses an asynchronous failover within {@code maximum_lag_on_failover} does not explain.
     */
    static List<Ack> beyondLagLimit(List<Ack> acks, List<Ack> missing, long lagLimit) {
        TreeMap<Integer, Long> lastLsnByTimeline = new TreeMap<>();
        for (Ack a : acks) {
            lastLsnByTimeline.merge(a.timeline(), a.lsn(), Math::max);
        }
        return missing.stream()
                .filter(a -> lastLsnByTimeline.get(a.timeline()) - a.lsn() > lagLimit)
                .sorted(Comparator.comparingLong(Ack::id))
                .toList();
    }

    static long parseLsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    static String formatLsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/"
                + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /** A WAL file name starts with the timeline, eight hex digits. */
    private static int timelineOf(String walFile) {
        return Integer.parseInt(walFile.substring(0, 8), 16);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            // The connection is already broken; nothing to release.
        }
    }

    private static void pauseQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
