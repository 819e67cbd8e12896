package org.bellwether.core.status;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.Lsn;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.LocalPostgres;

/**
 * Patroni's health checks ({@code patroni/api.py} {@code do_GET}, {@code do_GET_liveness}, {@code _readiness}) as a
 * pure function of the published snapshot and the moment of the request.
 *
 * <p>Leadership answers follow lock ownership, not {@code pg_is_in_recovery()}: {@code /primary} is 200 while the
 * lock is valid even mid-promotion, and turns 503 at the lock's deadline even if the loop is stuck, so a load balancer
 * never keeps sending writes to a node that may have been replaced.
 */
public final class HealthCheck {
    private HealthCheck() {}

    public static HealthAnswer evaluate(NodeStatus status, Duration now, HealthQuery query) {
        StatusAt at = new StatusAt(status, now);
        HealthAnswer answer = switch (query.endpoint()) {
            case LIVENESS -> liveness(at);
            case READINESS -> readiness(at, query);
            case HEALTH ->
                at.isRunning()
                        ? HealthAnswer.ok("PostgreSQL is running")
                        : HealthAnswer.unavailable("PostgreSQL is " + status.postgresState());
            default -> roleCheck(at, query);
        };
        if (answer.isOk() && query.endpoint().honoursTagFilters()) {
            return tagMismatch(status, query.tags())
                    .map(HealthAnswer::unavailable)
                    .orElse(answer);
        }
        return answer;
    }

    /** The three leadership answers Patroni derives before choosing one by path. */
    private record Leadership(boolean leader, boolean primary, boolean standbyLeader, String why) {}

    private static Leadership leadership(StatusAt at) {
        MemberRole role = at.role();
        if (at.status().cluster().isEmpty() && at.isPaused()) {
            // Paused and without a DCS read, the lock cannot be judged; Patroni trusts PostgreSQL's role instead.
            return new Leadership(
                    role == MemberRole.PRIMARY || role == MemberRole.STANDBY_LEADER,
                    role == MemberRole.PRIMARY,
                    role == MemberRole.STANDBY_LEADER,
                    "paused without a DCS view; PostgreSQL's role is " + role.wire());
        }
        if (!at.isLeader()) {
            return new Leadership(false, false, false, "this node does not hold a valid leader lock");
        }
        String state = at.status().postgresState();
        if (at.status().local().runState() == org.bellwether.core.ha.LocalPostgres.RunState.STOPPED
                || state.equals("stopping")
                || state.equals("stopped")) {
            // Unlike Patroni, the lock alone is not enough: a leader whose PostgreSQL was fenced, crashed, or is being
            // stopped for a switchover (the lock is kept until a candidate has the shutdown checkpoint) would draw the
            // load balancer's connections to a server that cannot take them. The state covers a stop that ended
            // after the last observation of PostgreSQL.
            return new Leadership(false, false, false, "this node holds the lock but PostgreSQL is " + state);
        }
        if (at.isStandbyCluster()) {
            boolean standby = role == MemberRole.REPLICA || role == MemberRole.STANDBY_LEADER;
            return new Leadership(true, false, standby, "this node leads a standby cluster");
        }
        return new Leadership(true, true, false, "this node holds the leader lock");
    }

    private static HealthAnswer roleCheck(StatusAt at, HealthQuery query) {
        Leadership lead = leadership(at);
        // A standby cluster's leader replicates from afar; it is not offered as a local replica.
        HealthAnswer replica = lead.leader() && at.isStandbyCluster()
                ? HealthAnswer.unavailable("the standby leader is not a replica")
                : replica(at, query);
        boolean writableLeader = lead.primary() || lead.standbyLeader();
        return switch (query.endpoint()) {
            case PRIMARY -> answer(lead.primary(), lead.why());
            case STANDBY_LEADER -> answer(lead.standbyLeader(), lead.why());
            case LEADER -> answer(lead.leader(), lead.why());
            case REPLICA -> replica;
            case READ_ONLY -> writableLeader ? HealthAnswer.ok(lead.why()) : replica;
            default -> syncCheck(at, query.endpoint(), writableLeader, lead.why(), replica);
        };
    }

    private static HealthAnswer syncCheck(
            StatusAt at, HealthEndpoint endpoint, boolean writableLeader, String why, HealthAnswer replica) {
        if (at.status().cluster().isEmpty()) {
            return HealthAnswer.unavailable("the DCS has not been read, so sync membership is unknown");
        }
        boolean sync = at.isSyncStandby();
        boolean quorum = at.isQuorumStandby();
        return switch (endpoint) {
            case SYNCHRONOUS -> sync ? replica : HealthAnswer.unavailable("not a synchronous standby");
            case QUORUM -> quorum ? replica : HealthAnswer.unavailable("not a quorum standby");
            case ASYNCHRONOUS -> sync || quorum ? HealthAnswer.unavailable("a synchronous standby") : replica;
            case READ_ONLY_SYNC ->
                writableLeader
                        ? HealthAnswer.ok(why)
                        : sync ? replica : HealthAnswer.unavailable("neither leader nor synchronous standby");
            case READ_ONLY_QUORUM ->
                writableLeader
                        ? HealthAnswer.ok(why)
                        : quorum ? replica : HealthAnswer.unavailable("neither leader nor quorum standby");
            default -> throw new IllegalStateException("not a sync check: " + endpoint);
        };
    }

    /** Running, in recovery, offered for load balancing, within {@code ?lag} and {@code ?replication_state}. */
    private static HealthAnswer replica(StatusAt at, HealthQuery query) {
        NodeStatus status = at.status();
        if (status.tags().noLoadBalance()) {
            return HealthAnswer.unavailable("tagged noloadbalance");
        }
        if (!at.isRunning()) {
            return HealthAnswer.unavailable("PostgreSQL is " + status.postgresState());
        }
        if (at.role() != MemberRole.REPLICA) {
            return HealthAnswer.unavailable("role is " + at.role().wire() + ", not replica");
        }
        long lag = at.leaderOptime().minus(status.local().replayLsn().orElse(Lsn.ZERO));
        // An unknown leader position (zero) never makes a replica lag, as in Patroni.
        if (query.maxLag().isPresent()
                && at.leaderOptime().value() > 0
                && lag > query.maxLag().getAsLong()) {
            return HealthAnswer.unavailable("replays " + lag + " bytes behind the leader, more than "
                    + query.maxLag().getAsLong());
        }
        Optional<String> state = at.replicationState();
        if (query.replicationState().isPresent() && !query.replicationState().equals(state)) {
            return HealthAnswer.unavailable("replication state is " + state.orElse("unknown") + ", not "
                    + query.replicationState().get());
        }
        return HealthAnswer.ok("running replica");
    }

    /**
     * The loop ran recently: within ttl on a running primary, whose lock expires after ttl anyway; within twice ttl
     * elsewhere, since a replica's stall harms no one quickly. Paused nodes are always live: an operator may be
     * working on them.
     */
    private static HealthAnswer liveness(StatusAt at) {
        if (at.isPaused()) {
            return HealthAnswer.ok("paused");
        }
        NodeStatus status = at.status();
        Duration threshold = status.settings().ttl().multipliedBy(status.local().isPrimary() ? 1 : 2);
        Duration sinceCycle = at.now().minus(status.lastCycleAt());
        if (sinceCycle.compareTo(threshold) < 0) {
            return HealthAnswer.ok("last cycle " + sinceCycle.toMillis() + " ms ago");
        }
        return HealthAnswer.unavailable("last cycle " + sinceCycle.toMillis() + " ms ago, limit " + threshold);
    }

    /** The leader, or a streaming replica within {@code ?lag} (default maximum_lag_on_failover). */
    private static HealthAnswer readiness(StatusAt at, HealthQuery query) {
        if (at.isLeader()) {
            return HealthAnswer.ok("this node holds the leader lock");
        }
        if (!at.isRunning()) {
            return HealthAnswer.unavailable("PostgreSQL is not running");
        }
        if (at.replicationState().filter("streaming"::equals).isEmpty()) {
            return HealthAnswer.unavailable("PostgreSQL replication state is not streaming");
        }
        if (at.status().cluster().isEmpty()) {
            return HealthAnswer.unavailable("DCS is not accessible");
        }
        LocalPostgres local = at.status().local();
        Optional<Lsn> position = query.mode() == HealthQuery.LagMode.WRITE ? local.receiveLsn() : local.replayLsn();
        long lag = at.leaderOptime().minus(position.orElse(Lsn.ZERO));
        long max = query.maxLag().orElse(at.status().settings().maximumLagOnFailover());
        if (lag > max) {
            String mode = query.mode() == HealthQuery.LagMode.WRITE ? "write" : "apply";
            return HealthAnswer.unavailable(
                    "replication " + mode + " lag " + lag + " exceeds maximum allowable " + max);
        }
        return HealthAnswer.ok("streaming within " + max + " bytes of the leader");
    }

    /** Patroni compares custom tags as text, lower-casing non-string values ({@code true}, {@code 1}). */
    private static Optional<String> tagMismatch(NodeStatus status, Map<String, String> wanted) {
        for (Map.Entry<String, String> want : wanted.entrySet()) {
            Object have = status.tags().all().get(want.getKey());
            if (have == null) {
                return Optional.of("no tag " + want.getKey());
            }
            String text = have instanceof String s ? s : have.toString().toLowerCase(java.util.Locale.ROOT);
            if (!text.equals(want.getValue())) {
                return Optional.of("tag " + want.getKey() + " is " + text + ", not " + want.getValue());
            }
        }
        return Optional.empty();
    }

    private static HealthAnswer answer(boolean ok, String why) {
        return ok ? HealthAnswer.ok(why) : HealthAnswer.unavailable(why);
    }
}
