package org.bellwether.app.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the primary's {@code pg_stat_replication} every 20 ms and remembers when each standby was first seen
 * synchronous and when it was first seen gone after having been there ({@link System#nanoTime()}): what the primary's
 * commits actually waited for, around a standby stopping.
 */
final class StandbyStateWatch implements AutoCloseable {
    private static final long EVERY_MILLIS = 20;

    private final TestNode primary;
    private final Thread thread;
    private final Map<String, Long> firstSync = new HashMap<>();
    private final Map<String, Long> firstGone = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private volatile boolean running = true;

    private StandbyStateWatch(TestNode primary) {
        this.primary = primary;
        this.thread = new Thread(this::run, "standby-state-watch");
        this.thread.setDaemon(true);
    }

    static StandbyStateWatch start(TestNode primary) {
        StandbyStateWatch watch = new StandbyStateWatch(primary);
        watch.thread.start();
        return watch;
    }

    synchronized Optional<Long> firstSync(String standby) {
        return Optional.ofNullable(firstSync.get(standby));
    }

    synchronized Optional<Long> firstGone(String standby) {
        return Optional.ofNullable(firstGone.get(standby));
    }

    private void run() {
        try (Connection c = primary.connect();
                Statement s = c.createStatement()) {
            while (running) {
                Map<String, String> rows = new HashMap<>();
                try (ResultSet r = s.executeQuery("SELECT application_name, sync_state FROM pg_stat_replication")) {
                    while (r.next()) {
                        rows.put(r.getString(1), r.getString(2));
                    }
                }
                record(rows, System.nanoTime());
                Thread.sleep(EVERY_MILLIS);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("watching pg_stat_replication on " + primary.name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void record(Map<String, String> rows, long at) {
        rows.forEach((name, state) -> {
            seen.add(name);
            if (state.equals("sync")) {
                firstSync.putIfAbsent(name, at);
            }
        });
        seen.stream().filter(name -> !rows.containsKey(name)).forEach(name -> firstGone.putIfAbsent(name, at));
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
