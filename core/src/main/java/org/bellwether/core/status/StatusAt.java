package org.bellwether.core.status;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SynchronousMode;

/**
 * A snapshot judged at one monotonic moment: the facts that both the health checks and the {@code /patroni} body
 * report, derived once so the two never disagree.
 */
public record StatusAt(NodeStatus status, Duration now) {

    /** The state string Patroni uses when PostgreSQL accepts queries. */
    public static final String RUNNING = "running";

    /** Whether this node holds a leader lock that has not expired by {@code now}. */
    public boolean isLeader() {
        return status.holdsLockAt(now);
    }

    /** Whether PostgreSQL answers queries, so that role, LSNs and replication rows are known. */
    public boolean isQueryable() {
        return status.local().isRunning();
    }

    public boolean isRunning() {
        return RUNNING.equals(status.postgresState());
    }

    /** Maintenance mode: the cluster's config says so, or the last known settings do while the DCS is unread. */
    public boolean isPaused() {
        return status.isPaused() || status.settings().pause();
    }

    /** A standby cluster follows a remote primary; its leader is a standby leader and it has no primary. */
    public boolean isStandbyCluster() {
        Object standby = status.cluster()
                .flatMap(ClusterView::config)
                .map(ClusterConfig::raw)
                .map(raw -> raw.get("standby_cluster"))
                .orElse(null);
        if (!(standby instanceof Map<?, ?> m)) {
            return false;
        }
        return truthy(m.get("host")) || truthy(m.get("port")) || truthy(m.get("restore_command"));
    }

    /**
     * The role this node reports: from {@code pg_is_in_recovery()} while PostgreSQL answers (a lock holder in a
     * standby cluster is the standby leader), otherwise what it last published in its member key.
     */
    public MemberRole role() {
        if (isQueryable()) {
            if (!status.local().inRecovery()) {
                return MemberRole.PRIMARY;
            }
            return isStandbyCluster() && isLeader() ? MemberRole.STANDBY_LEADER : MemberRole.REPLICA;
        }
        return self().map(Member::role).orElse(MemberRole.UNINITIALIZED);
    }

    /** This node's own member key as last read from the DCS. */
    public Optional<Member> self() {
        return status.cluster().flatMap(c -> c.member(status.name()));
    }

    /**
     * {@code streaming} while a replica's WAL receiver streams. Patroni also reports {@code in archive recovery} when a
     * restore_command is set; the snapshot does not carry restore_command, so that state is not reported.
     */
    public Optional<String> replicationState() {
        if (isQueryable() && status.local().inRecovery() && status.local().streaming()) {
            return Optional.of("streaming");
        }
        return Optional.empty();
    }

    /** Listed in the {@code sync} key while {@code synchronous_mode} is on (not quorum). */
    public boolean isSyncStandby() {
        return status.settings().synchronousMode() == SynchronousMode.ON && inSyncKey();
    }

    /** Listed in the {@code sync} key while {@code synchronous_mode} is quorum. */
    public boolean isQuorumStandby() {
        return status.settings().synchronousMode() == SynchronousMode.QUORUM && inSyncKey();
    }

    private boolean inSyncKey() {
        if (role() != MemberRole.REPLICA || !isQueryable()) {
            return false;
        }
        String me = status.name().toLowerCase(Locale.ROOT);
        return status.cluster()
                .flatMap(ClusterView::sync)
                .map(s -> s.syncStandbys().stream()
                        .anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(me)))
                .orElse(false);
    }

    /** No leader key, or no DCS read at all. */
    public boolean isClusterUnlocked() {
        return status.cluster().map(c -> c.leader().isEmpty()).orElse(true);
    }

    /** The leader's last published position ({@code status.optime}); zero when unknown, as Patroni treats it. */
    public Lsn leaderOptime() {
        return status.cluster().flatMap(ClusterView::optime).orElse(Lsn.ZERO);
    }

    private static boolean truthy(Object value) {
        if (value == null || value instanceof Boolean b && !b) {
            return false;
        }
        if (value instanceof Number n) {
            return n.longValue() != 0;
        }
        return !(value instanceof String s) || !s.isEmpty();
    }
}
