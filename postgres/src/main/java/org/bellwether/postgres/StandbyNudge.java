package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Makes the standbys answer once {@code synchronous_standby_names} changed on a primary. A commit already waiting
 * when the setting changes is released only by a reply from a standby the new setting requires, and a standby replies
 * when new WAL reaches it or its status interval comes round; with every writer waiting, the commits stall meanwhile
 * although a required standby has them all (about a second in the tests, more on a quiet primary). So a transaction
 * writes a commit record that waits for no standby (Patroni writes one as well), again every few milliseconds while
 * commits from before the change still wait: a reply that reaches a walsender before it took the new setting
 * releases nothing.
 */
final class StandbyNudge {
    private static final Duration PAUSE = Duration.ofMillis(25);
    /** Half a second at most: in strict mode with no standby connected, commits rightly go on waiting. */
    private static final int ROUNDS = 20;

    private static final String WRITE_WITHOUT_WAITING =
            "DO $$BEGIN SET LOCAL synchronous_commit = local;" + " PERFORM pg_catalog.txid_current(); END$$";
    private static final String WAITING_SINCE_BEFORE = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity"
            + " WHERE wait_event = 'SyncRep' AND state_change < ?::timestamptz)";

    private StandbyNudge() {}

    /** On a primary (a replica has no WAL of its own to send), right after the reload was requested. */
    static void afterReload(Connection c) throws SQLException, InterruptedException {
        String changedAt;
        try (Statement st = c.createStatement();
                ResultSet r =
                        st.executeQuery("SELECT pg_catalog.pg_is_in_recovery(), pg_catalog.clock_timestamp()::text")) {
            if (!r.next() || r.getBoolean(1)) {
                return;
            }
            changedAt = r.getString(2);
        }
        try (Statement write = c.createStatement();
                PreparedStatement waiting = c.prepareStatement(WAITING_SINCE_BEFORE)) {
            waiting.setString(1, changedAt);
            for (int round = 0; round < ROUNDS; round++) {
                Thread.sleep(PAUSE.toMillis());
                write.execute(WRITE_WITHOUT_WAITING);
                try (ResultSet r = waiting.executeQuery()) {
                    if (r.next() && !r.getBoolean(1)) {
                        return;
                    }
                }
            }
        }
    }
}
