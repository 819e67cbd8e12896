package org.bellwether.core.ha;

import java.time.Duration;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.ClusterView.LeaderKey;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.HaMemory.InvalidLeaderSeen;
import org.bellwether.core.ha.Reason.Code;

/**
 * A {@code leader} key whose value names no possible node: {@code etcdctl put .../leader ""}, which on etcd also
 * detaches the key from its lease, so it never expires. Nobody holds that lock and nobody can renew it: the old
 * leader's renewal checks its own name and fails, and every acquire (create if absent) fails while the key exists.
 * Patroni stays stuck there until an operator deletes the key.
 *
 * <p>Here the key counts as a lock held by nobody that expires ttl after it was first seen, unchanged, at one version;
 * then it is deleted with compare-and-set on that version and the race runs as usual. That is safe by the lock
 * deadline rule: whoever held the lock before the value was written sent its last successful renewal before that
 * write, so its deadline (from that request, plus ttl) has passed by the time the key was seen for ttl. A version is
 * never reused (etcd's mod revision, ZooKeeper's mzxid), so a key seen twice at one version was not written in between.
 * The wait is the longest ttl in force while waiting, so a shorter ttl configured meanwhile does not shorten it.
 *
 * <p>Meanwhile nobody races, and a primary demotes as any primary without the lock does (not while paused).
 */
final class InvalidLeaderKey {
    private InvalidLeaderKey() {}

    /** Remembers when the key was first seen at its version; forgets it once the key is valid, gone or changed. */
    static HaMemory observe(Observation obs, HaMemory memory, ClusterView cluster) {
        Optional<LeaderKey> key = cluster.invalidLeader();
        if (key.isEmpty()) {
            return memory.invalidLeaderSeen().isEmpty() ? memory : memory.withInvalidLeaderSeen(Optional.empty());
        }
        long version = key.get().version();
        Duration ttl = obs.settings().ttl();
        InvalidLeaderSeen seen = memory.invalidLeaderSeen()
                .filter(s -> s.version() == version)
                .map(s -> new InvalidLeaderSeen(version, s.since(), max(s.longestTtl(), ttl)))
                .orElseGet(() -> new InvalidLeaderSeen(version, obs.now(), ttl));
        return memory.withInvalidLeaderSeen(Optional.of(seen));
    }

    /** Deletes the key once it stayed unchanged for ttl; empty while there is no such key or its time has not come. */
    static Optional<Decision> expire(Observation obs, HaMemory memory, ClusterView cluster) {
        Optional<LeaderKey> key = cluster.invalidLeader();
        Optional<InvalidLeaderSeen> seen = memory.invalidLeaderSeen();
        if (key.isEmpty() || seen.isEmpty() || isLonger(remaining(obs, seen.get()), Duration.ZERO)) {
            return Optional.empty();
        }
        return Optional.of(Decision.of(
                memory,
                Reason.of(
                        Code.DELETING_INVALID_LEADER_KEY,
                        describe(key.get()) + ", unchanged for ttl ("
                                + seen.get().longestTtl().toSeconds() + " s): deleting it"),
                new Action.DeleteInvalidLeaderKey(key.get().version())));
    }

    /**
     * PostgreSQL runs and the key cannot be taken yet: a primary demotes (fast, so that the replicas receive all it
     * wrote: nobody can take over before the key expires anyway), unless paused; everyone else waits.
     */
    static Optional<Decision> whileHeldByNobody(Observation obs, HaMemory memory, ClusterView cluster) {
        Optional<LeaderKey> key = cluster.invalidLeader();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        String left = memory.invalidLeaderSeen()
                .map(s -> ", counts as expired in "
                        + Math.max(0, remaining(obs, s).toSeconds()) + " s")
                .orElse("");
        String detail = describe(key.get()) + ": nobody can renew or take it" + left;
        if (obs.local().isPrimary() && !cluster.isPaused()) {
            return Optional.of(Decision.of(
                    memory,
                    Reason.of(Code.LEADER_KEY_NAMES_NOBODY, detail + "; running as primary without the lock, demoting"),
                    new Action.Demote(StopMode.FAST, Optional.empty())));
        }
        return Optional.of(Decision.of(memory, Reason.of(Code.LEADER_KEY_NAMES_NOBODY, detail)));
    }

    /** The ttl minus the time seen so far: subtracted, never added, so an absurd ttl cannot overflow. */
    private static Duration remaining(Observation obs, InvalidLeaderSeen seen) {
        return seen.longestTtl().minus(obs.now().minus(seen.since()));
    }

    private static boolean isLonger(Duration a, Duration b) {
        return a.compareTo(b) > 0;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The key's value as a log line can carry it: quoted, control characters escaped, at most 40 characters. */
    static String describe(LeaderKey key) {
        StringBuilder shown = new StringBuilder();
        key.name().codePoints().limit(40).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        String more = key.name().codePointCount(0, key.name().length()) > 40 ? "..." : "";
        return "the leader key holds '" + shown + more + "' (version " + key.version() + "), which names no node";
    }
}
