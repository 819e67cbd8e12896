package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bellwether.core.Lsn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advances this replica's copies of logical slots on one daemon thread, as Patroni's {@code SlotsAdvanceThread}
 * does: on a standby {@code pg_replication_slot_advance} decodes all the WAL between the slot's position and the
 * target, which can take far longer than an HA cycle may wait. Only the latest target per slot is kept; a request for a
 * slot being advanced right now is dropped (the next cycle asks again with a newer target). What happened shows in
 * the slot's position in the next observation, so nothing is reported back but log lines.
 */
final class SlotAdvancer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotAdvancer.class);

    /*
     * A cancelled advance loses all its decoding work (the slot moves only at the end), so the limit only guards
     * against a server that hangs: generous, and harmless to the HA loop because this thread is not the loop's.
     */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SOCKET_TIMEOUT = STATEMENT_TIMEOUT.plusSeconds(10);
    /** WAL the slot needs is gone (58P01) or the slot was invalidated (55000): the copy cannot be used. */
    private static final Set<String> UNUSABLE = Set.of("58P01", "55000");

    private record Target(String database, Lsn to) {}

    private final Jdbc jdbc;
    private final Object lock = new Object();
    /** Slot name to the latest target not yet started; insertion order keeps the requests fair. */
    private final Map<String, Target> pending = new LinkedHashMap<>();

    private final Set<String> inFlight = new TreeSet<>();
    private Thread thread;
    private boolean closed;

    SlotAdvancer(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Asks for {@code slot} in {@code database} to be advanced to {@code to}; returns at once. */
    void schedule(String slot, String database, Lsn to) {
        synchronized (lock) {
            if (closed || inFlight.contains(slot)) {
                return;
            }
            pending.put(slot, new Target(database, to));
            if (thread == null) {
                thread = new Thread(this::run, "postgres-slot-advance");
                thread.setDaemon(true);
                thread.start();
            }
            lock.notifyAll();
        }
    }

    /** Forgets the requests not started yet: the slots are about to be replaced or the server stopped. */
    void clear() {
        synchronized (lock) {
            pending.clear();
        }
    }

    /** Whether nothing is waiting or running; for tests. */
    boolean idle() {
        synchronized (lock) {
            return pending.isEmpty() && inFlight.isEmpty();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            pending.clear();
            lock.notifyAll();
        }
    }

    private void run() {
        while (true) {
            Map<String, Map<String, Lsn>> batch = new TreeMap<>();
            synchronized (lock) {
                while (pending.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                pending.forEach((slot, target) -> batch.computeIfAbsent(target.database(), d -> new LinkedHashMap<>())
                        .put(slot, target.to()));
                inFlight.addAll(pending.keySet());
                pending.clear();
            }
            batch.forEach(this::advanceIn);
        }
    }

    /** One connection per database: a logical slot can only be advanced from its own database. */
    private void advanceIn(String database, Map<String, Lsn> slots) {
        try (Connection c = jdbc.open(database, STATEMENT_TIMEOUT, SOCKET_TIMEOUT)) {
            for (var slot : slots.entrySet()) {
                advance(c, slot.getKey(), slot.getValue());
                done(List.of(slot.getKey()));
            }
        } catch (SQLException e) {
            LOG.warn(
                    "advancing logical replication slots {} in database {}: {}",
                    slots.keySet(),
                    database,
                    e.getMessage());
        } finally {
            done(new ArrayList<>(slots.keySet()));
        }
    }

    private static void advance(Connection c, String slot, Lsn to) {
        try (PreparedStatement st =
                c.prepareStatement("SELECT pg_catalog.pg_replication_slot_advance(?, ?::pg_catalog.pg_lsn)")) {
            st.setString(1, slot);
            st.setString(2, to.toString());
            st.execute();
            LOG.debug("advanced logical replication slot {} to {}", slot, to);
        } catch (SQLException e) {
            if (UNUSABLE.contains(e.getSQLState())) {
                LOG.error(
                        "the copy of logical replication slot {} cannot be advanced and is unusable ({}): {}",
                        slot,
                        e.getSQLState(),
                        e.getMessage());
            } else {
                LOG.warn("advancing logical replication slot {} to {}: {}", slot, to, e.getMessage());
            }
        }
    }

    private void done(List<String> slots) {
        synchronized (lock) {
            slots.forEach(inFlight::remove);
        }
    }
}
