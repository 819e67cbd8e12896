package org.bellwether.app.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client writing one row per autocommit INSERT through a proxy, reconnecting after every failure as an application
 * behind HAProxy does, and remembering every row the server acknowledged and when (monotonic). A failed statement is
 * no acknowledgement, whatever happened to it on the server.
 */
final class AckedWriter implements AutoCloseable {
    static final String TABLE = "ops_acked_writes";

    /** One acknowledged row and when the acknowledgement arrived ({@link System#nanoTime()}). */
    record Ack(long id, long atNanos) {}

    /** A pause between writes: enough resolution for the window, light on a shared machine. */
    private static final long PACE_MILLIS = 5;

    private final int port;
    private final List<Ack> acks = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long nextId;

    private AckedWriter(int port, long firstId) {
        this.port = port;
        this.nextId = firstId;
        this.thread = new Thread(this::run, "acked-writer");
        this.thread.setDaemon(true);
    }

    static void createTable(TestNode primary) throws SQLException {
        try (Connection c = primary.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigint PRIMARY KEY)");
        }
    }

    /** Starts writing through {@code port}; ids start at {@code firstId} so several runs never collide. */
    static AckedWriter start(int port, long firstId) {
        AckedWriter writer = new AckedWriter(port, firstId);
        writer.thread.start();
        return writer;
    }

    private void run() {
        Connection c = null;
        while (running) {
            try {
                if (c == null) {
                    c = TestNode.connect(port);
                }
                long id = nextId++;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE + " VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                synchronized (acks) {
                    acks.add(new Ack(id, System.nanoTime()));
                }
                pause(PACE_MILLIS);
            } catch (SQLException e) {
                close(c);
                c = null;
                pause(20);
            }
        }
        close(c);
    }

    List<Ack> acks() {
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    /** The longest stretch without an acknowledgement between {@code fromNanos} and {@code toNanos}. */
    Duration longestGap(long fromNanos, long toNanos) {
        long previous = fromNanos;
        long longest = 0;
        for (Ack ack : acks()) {
            if (ack.atNanos() < fromNanos || ack.atNanos() > toNanos) {
                continue;
            }
            longest = Math.max(longest, ack.atNanos() - previous);
            previous = ack.atNanos();
        }
        return Duration.ofNanos(Math.max(longest, toNanos - previous));
    }

    /** Acknowledged rows the given primary does not have. */
    List<Long> missingOn(TestNode primary) throws SQLException {
        return missingOn(acks(), primary);
    }

    /** Rows of {@code acks} the given primary does not have. */
    static List<Long> missingOn(List<Ack> acks, TestNode primary) throws SQLException {
        List<Long> missing = new ArrayList<>();
        Long[] ids = acks.stream().map(Ack::id).toArray(Long[]::new);
        try (Connection c = primary.connect();
                PreparedStatement q = c.prepareStatement("SELECT x FROM unnest(?) AS x"
                        + " WHERE NOT EXISTS (SELECT 1 FROM " + TABLE + " WHERE id = x) ORDER BY x")) {
            q.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    missing.add(r.getLong(1));
                }
            }
        }
        return missing;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // The connection is being thrown away anyway.
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
