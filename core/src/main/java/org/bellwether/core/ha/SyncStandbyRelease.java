package org.bellwether.core.ha;

import java.time.Duration;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.SyncState;
import org.bellwether.core.SynchronousMode;

/**
 * A synchronous standby about to stop its PostgreSQL (shutdown, restart) first asks the leader to let it go, as
 * Patroni's {@code while_not_sync_standby} does: it advertises {@code nosync} and stops once the {@code sync} key no
 * longer lists it, or after 2 × loop_wait. Stopping at once would leave the primary's commits waiting for it until the
 * leader's next cycle noticed it gone (in strict mode, until a replacement is named); released first, the leader has
 * already shrunk the key and named another standby in {@code synchronous_standby_names}.
 *
 * <p>The rules only: the agent publishes the tag, reads the DCS and waits.
 */
public final class SyncStandbyRelease {
    /**
     * How long a released standby keeps PostgreSQL running before it stops. The leader shrinks the key first and
     * changes {@code synchronous_standby_names} right after, in the same plan; a standby stopping in between would hold
     * up the commits until PostgreSQL's new setting took effect. (Patroni reads the key every 2 s, which leaves such a
     * margin by chance.)
     */
    public static final Duration SETTLE_AFTER_RELEASE = Duration.ofSeconds(1);

    private SyncStandbyRelease() {}

    /** Where a waiting standby stands after a look at the DCS. */
    public enum Progress {
        /** The {@code sync} key no longer lists this node: PostgreSQL may stop without holding up commits. */
        RELEASED(true),
        /** 2 × loop_wait passed: the leader did not act (gone, or no other standby in strict mode); stop anyway. */
        TIMED_OUT(true),
        /** The DCS cannot be read: the release is a courtesy to the primary, not worth delaying the stop for. */
        DCS_UNAVAILABLE(true),
        /** Still listed, and time is left. */
        WAITING(false);

        private final boolean stopNow;

        Progress(boolean stopNow) {
            this.stopNow = stopNow;
        }

        public boolean stopNow() {
            return stopNow;
        }
    }

    /**
     * Whether this node should release itself before PostgreSQL stops: its PostgreSQL runs as a standby, the cluster
     * is in a synchronous mode and not paused, and the {@code sync} key of the current leader lists it (as a
     * synchronous standby, or in quorum mode as a voter).
     */
    public static boolean isNeeded(ClusterView cluster, LocalPostgres local, String me, HaSettings settings) {
        return local.isRunning()
                && local.inRecovery()
                && settings.synchronousMode() != SynchronousMode.OFF
                && !settings.pause()
                && !cluster.isPaused()
                && isListed(cluster, me);
    }

    /** How long a standby waits at most for the leader to release it: 2 × loop_wait, as in Patroni. */
    public static Duration longestWait(HaSettings settings) {
        return settings.loopWait().multipliedBy(2);
    }

    /** Where the release stands, {@code waited} after the standby advertised {@code nosync}. */
    public static Progress progress(DcsView view, String me, Duration waited, HaSettings settings) {
        if (!(view instanceof DcsView.Available available)) {
            return Progress.DCS_UNAVAILABLE;
        }
        if (!isListed(available.cluster(), me)) {
            return Progress.RELEASED;
        }
        return waited.compareTo(longestWait(settings)) >= 0 ? Progress.TIMED_OUT : Progress.WAITING;
    }

    /**
     * The key lists {@code me} for the leader holding the lock now. A key left by an earlier leader binds nobody's
     * commits: the new leader rewrites it before it waits for anyone.
     */
    private static boolean isListed(ClusterView cluster, String me) {
        return cluster.sync()
                .filter(sync -> sync.leader().isPresent()
                        && sync.leader().equals(cluster.leaderName())
                        && !cluster.isLeader(me))
                .map(SyncState::syncStandbys)
                .map(standbys -> standbys.stream().anyMatch(me::equalsIgnoreCase))
                .orElse(false);
    }
}
