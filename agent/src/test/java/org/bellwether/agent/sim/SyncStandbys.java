package org.bellwether.agent.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwether.core.Lsn;
import org.bellwether.core.ha.LocalPostgres.ReplicationConnection;
import org.bellwether.core.ha.LocalPostgres.StandbyNames;

/**
 * {@code synchronous_standby_names} as a simulated primary applies it: which replicas a commit waits for, and the
 * {@code sync_state} its {@code pg_stat_replication} shows for each. {@code count} of the named standbys (of any
 * standby for {@code *}) must have flushed a commit before it returns; with no names it returns at once.
 */
record SyncStandbys(String value, boolean setByAgent, List<String> names, int count) {
    static final SyncStandbys NONE = new SyncStandbys("", false, List.of(), 0);

    private static final Pattern LIST = Pattern.compile("(?:(?:FIRST|ANY)\\s+)?(\\d+)\\s*\\((.*)\\)");

    /** The value the agent set (empty: back to the configuration, which names nobody here). */
    static SyncStandbys of(Optional<String> set) {
        if (set.isEmpty()) {
            return NONE;
        }
        String v = set.get().trim();
        if (v.isEmpty()) {
            return new SyncStandbys(v, true, List.of(), 0);
        }
        if (v.equals("*")) {
            return new SyncStandbys(v, true, List.of(), 1);
        }
        Matcher m = LIST.matcher(v);
        String list = m.matches() ? m.group(2) : v;
        List<String> names = new ArrayList<>();
        for (String name : list.split(",")) {
            names.add(name.trim().replace("\"", ""));
        }
        return new SyncStandbys(v, true, names, m.matches() ? Integer.parseInt(m.group(1)) : 1);
    }

    StandbyNames observed() {
        return new StandbyNames(value, setByAgent);
    }

    private boolean anyStandby() {
        return value.equals("*");
    }

    private boolean waitsFor(SimPostgres replica) {
        return anyStandby() || names.contains(replica.name());
    }

    boolean satisfied(SimPostgres primary, SimWorld world, long lsn) {
        if (count == 0) {
            return true;
        }
        int flushed = 0;
        for (SimNode node : world.nodes()) {
            SimPostgres replica = node.postgres();
            if (primary.streams(replica) && waitsFor(replica) && replica.flush() >= lsn) {
                flushed++;
            }
        }
        return flushed >= count;
    }

    List<ReplicationConnection> rows(SimPostgres primary, SimWorld world) {
        List<ReplicationConnection> rows = new ArrayList<>();
        boolean firstTaken = false;
        for (SimNode node : world.nodes()) {
            SimPostgres replica = node.postgres();
            if (!primary.streams(replica)) {
                continue;
            }
            String state = "async";
            if (anyStandby()) {
                state = firstTaken ? "potential" : "sync";
                firstTaken = true;
            } else if (waitsFor(replica)) {
                state = value.startsWith("ANY") ? "quorum" : "sync";
            }
            Optional<Lsn> flushed = Optional.of(new Lsn(replica.flush()));
            rows.add(new ReplicationConnection(
                    "replicator",
                    replica.name(),
                    "127.0.0.1",
                    "streaming",
                    state,
                    state.equals("async") ? 0 : 1,
                    flushed,
                    flushed));
        }
        return rows;
    }
}
