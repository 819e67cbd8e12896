package org.bellwether.app.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Watches, several times a second, how many nodes accept a write: never more than one may, and the time with none is
 * what bad input cost the applications. Each round tries an INSERT on every node; a replica refuses it.
 */
final class WritablePrimaries implements AutoCloseable {
    private static final String TABLE = "writable_probe";
    private static final long PACE_MILLIS = 200;

    private final List<TestNode> nodes;
    private final Thread thread;
    private volatile boolean running = true;
    private int mostAtOnce;
    private long longestNoneNanos;
    private long noneSince = -1;

    private WritablePrimaries(List<TestNode> nodes) {
        this.nodes = List.copyOf(nodes);
        this.thread = new Thread(this::run, "writable-primaries");
        this.thread.setDaemon(true);
    }

    static WritablePrimaries watch(TestCluster cluster, TestNode primary) throws SQLException {
        try (Connection c = primary.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (at timestamptz DEFAULT now())");
        }
        WritablePrimaries watch = new WritablePrimaries(cluster.nodes);
        watch.thread.start();
        return watch;
    }

    private void run() {
        while (running) {
            int writable = 0;
            for (TestNode node : nodes) {
                if (accepts(node)) {
                    writable++;
                }
            }
            record(writable, System.nanoTime());
            try {
                Thread.sleep(PACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void record(int writable, long now) {
        mostAtOnce = Math.max(mostAtOnce, writable);
        if (writable == 0) {
            if (noneSince < 0) {
                noneSince = now;
            }
            longestNoneNanos = Math.max(longestNoneNanos, now - noneSince);
        } else {
            noneSince = -1;
        }
    }

    private static boolean accepts(TestNode node) {
        try (Connection c = node.connect();
                Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("INSERT INTO " + TABLE + " DEFAULT VALUES");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The most nodes that accepted a write in one round so far. */
    synchronized int mostAtOnce() {
        return mostAtOnce;
    }

    /** The longest stretch so far with no node accepting writes, in milliseconds. */
    synchronized long longestWithoutPrimaryMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestNoneNanos);
    }

    /** Starts a new measurement of the longest stretch without a primary. */
    synchronized void resetLongest() {
        longestNoneNanos = 0;
        noneSince = -1;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
