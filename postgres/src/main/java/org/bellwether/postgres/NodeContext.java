package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;
import org.bellwether.core.HaSettings;

/** What the operations on one node share: its files, its programs, its connection settings, its time limits. */
record NodeContext(
        PostgresSetup setup,
        DataDirectory dir,
        PgTools tools,
        NodeFiles files,
        Jdbc jdbc,
        NodeOptions options,
        Supplier<HaSettings> settings) {

    private static final Duration CONNECT_WAIT = Duration.ofSeconds(15);

    /** Local {@code postgresql.use_pg_rewind} wins over the cluster-wide setting. */
    boolean usePgRewind() {
        return setup.postgresql().usePgRewind().orElseGet(() -> settings.get().usePgRewind());
    }

    /**
     * The lines of pg_hba.conf: the node's own {@code postgresql.pg_hba} when it has one, else the dynamic one, as
     * Patroni lets the local section win over the {@code config} key. Empty: leave the file as it is.
     */
    java.util.List<String> pgHba() {
        java.util.List<String> local = setup.postgresql().pgHba();
        return local.isEmpty() ? settings.get().pgHba() : local;
    }

    boolean useSlots() {
        return settings.get().useSlots();
    }

    /**
     * The role that reads the leader's replication slots: copying one reads its state file, which needs the rights
     * pg_rewind has. Patroni uses the same role (the superuser when no rewind user is configured).
     */
    Login leaderSlotUser() {
        return Login.rewind(setup.postgresql());
    }

    /**
     * The major version connection strings for PostgreSQL's programs are written for: the data directory's, else
     * (before a clone) the programs' own.
     */
    int versionNum() throws PostgresException {
        int fromData = files.serverVersionNum();
        return fromData > 0 ? fromData : tools.versionNum();
    }

    /** Starts PostgreSQL with the files as written and waits until the agent can log in. */
    void startAndWait() throws PostgresException {
        startAndWait(options.startTimeout());
    }

    void startAndWait(Duration timeout) throws PostgresException {
        tools.start(dir, timeout);
        awaitConnection();
    }

    /**
     * pg_ctl's readiness check reads postmaster.pid; the agent also needs to log in over TCP, which a wrong
     * pg_hba.conf or password would prevent: say so now rather than observe "starting" forever.
     */
    void awaitConnection() throws PostgresException {
        long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection c = jdbc.open();
                    Statement st = c.createStatement()) {
                st.execute("SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
                sleep(Duration.ofMillis(200));
            }
        }
        throw new PostgresException("PostgreSQL in " + dir.path() + " started but the agent cannot log in at "
                + jdbc.address() + ": " + (last == null ? "timed out" : last.getMessage()));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
