package org.bellwether.agent.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.bellwether.core.Lsn;
import org.bellwether.core.ha.Decision;
import org.bellwether.core.ha.Reason;

/**
 * The invariants, checked as the world runs. Safety, after every event: never two servers accepting writes; no
 * promotion that loses more than {@code maximum_lag_on_failover} of the WAL position last published in the DCS; no
 * replica that PostgreSQL lets stream from a history that is not its own; no exception out of the agent loop; in
 * synchronous mode, no promotion that loses any acknowledged write at all. Liveness, once every fault has healed:
 * one primary that holds the lock, and every other node streaming from it.
 *
 * <p>A replica whose WAL went past the new primary's switch point cannot stream without pg_rewind or a new clone,
 * which the decision core does not plan yet. Such forks are recorded, not failed on, unless forks are declared fatal.
 */
final class Checkers {
    record Violation(long at, String rule, String detail) {
        @Override
        public String toString() {
            return SimTime.format(at) + " " + rule + ": " + detail;
        }
    }

    record Fork(long at, String node, String detail) {}

    private final SimWorld world;
    private final List<Violation> violations = new ArrayList<>();
    private final List<Fork> forks = new ArrayList<>();
    private final TreeSet<String> forkKeys = new TreeSet<>();
    /** A condition a scenario requires after every event before {@code until} (see {@link #require}). */
    private record Requirement(String rule, long until, Supplier<Optional<String>> broken) {}

    private Optional<Requirement> required = Optional.empty();
    private boolean splitBrainOngoing;
    private long maxLostOnPromotion;
    private int promotions;
    private int failsafeCycles;

    Checkers(SimWorld world) {
        this.world = world;
    }

    void afterEvent() {
        required.ifPresent(this::checkRequirement);
        int count = 0;
        for (SimNode node : world.nodes()) {
            count += node.postgres().acceptsWrites() ? 1 : 0;
        }
        if (count < 2) {
            splitBrainOngoing = false;
            return;
        }
        if (!splitBrainOngoing) {
            List<SimNode> writable = writable();
            splitBrainOngoing = true;
            StringBuilder detail = new StringBuilder("servers accepting writes at once:");
            for (SimNode node : writable) {
                detail.append(' ').append(describe(node)).append(';');
            }
            detail.append(" leader key: ").append(world.dcs().leaderName().orElse("none"));
            violate("two-primaries", detail.toString());
        }
    }

    /**
     * After every event from now until {@code until}, {@code broken} is asked: what it says is wrong is a violation of
     * {@code rule}, once. For what holds only in a situation a scenario sets up, not in every run.
     */
    void require(String rule, long until, Supplier<Optional<String>> broken) {
        required = Optional.of(new Requirement(rule, until, broken));
    }

    private void checkRequirement(Requirement requirement) {
        if (world.now() >= requirement.until()) {
            required = Optional.empty();
            return;
        }
        Optional<String> why = requirement.broken().get();
        if (why.isPresent()) {
            required = Optional.empty();
            violate(requirement.rule(), why.get());
        }
    }

    List<SimNode> writable() {
        List<SimNode> writable = new ArrayList<>(2);
        for (SimNode node : world.nodes()) {
            if (node.postgres().acceptsWrites()) {
                writable.add(node);
            }
        }
        return writable;
    }

    static String describe(SimNode node) {
        return node.name() + " [" + node.postgres().describe() + ", agent "
                + node.agent().name().toLowerCase() + "]";
    }

    /**
     * A promotion finished. The WAL position the last leader published ({@code status.optime}) must be in the new
     * history up to maximum_lag_on_failover; comparing histories, not bare LSNs, catches a candidate whose LSN looks
     * far enough only because it is on another timeline.
     */
    void promoted(SimPostgres postgres, Incarnation before) {
        promotions++;
        Incarnation now = postgres.incarnation();
        world.trace()
                .event(
                        world.now(),
                        postgres.name(),
                        "promoted: " + before + " -> " + now + " at " + new Lsn(now.startLsn()));
        maxLostOnPromotion = Math.max(maxLostOnPromotion, world.workload().lostFromLastWriter(now));
        if (world.config().synchronous()) {
            // A commit returns only once a synchronous standby has it, and only those standbys may be promoted.
            long lost = world.workload().lostBytes(now);
            if (lost > 0) {
                violate(
                        "sync-acknowledged-write-lost",
                        postgres.name() + " promoted to " + now + " without " + lost
                                + " bytes of acknowledged writes, in synchronous mode");
            }
        }
        Optional<Lsn> optime = world.dcs().optime();
        Optional<Incarnation> published = world.dcs().optimeHistory();
        if (optime.isEmpty() || published.isEmpty()) {
            return;
        }
        long common = published.get().commonPrefixWith(now);
        long lost = optime.get().value() - Math.min(common, optime.get().value());
        if (lost > world.config().maximumLagOnFailover()) {
            violate(
                    "promotion-beyond-maximum-lag",
                    postgres.name() + " promoted to " + now + " at " + new Lsn(now.startLsn()) + ", but status.optime "
                            + optime.get() + " on " + published.get() + " shares history only up to "
                            + new Lsn(Math.min(common, optime.get().value())) + ": " + lost
                            + " bytes lost > maximum_lag_on_failover "
                            + world.config().maximumLagOnFailover());
        }
    }

    /** A cycle decided (null: it threw); counts the cycles a primary without the DCS stayed primary on failsafe. */
    void decided(Decision decision) {
        if (decision != null && decision.reason().code() == Reason.Code.DCS_UNREACHABLE_FAILSAFE) {
            failsafeCycles++;
        }
    }

    void forked(SimPostgres replica, SimPostgres upstream, String why) {
        String key = replica.name() + "/" + replica.incarnation().id() + "/"
                + upstream.incarnation().id();
        if (forkKeys.add(key)) {
            String detail = replica.name() + " on " + replica.incarnation() + " cannot follow " + upstream.name()
                    + " on " + upstream.incarnation() + ": " + why;
            forks.add(new Fork(world.now(), replica.name(), detail));
            world.trace().event(world.now(), replica.name(), "forked: " + detail);
        }
    }

    void silentFork(SimPostgres replica, SimPostgres upstream) {
        violate(
                "silent-fork",
                replica.name() + " on " + replica.incarnation() + "@" + new Lsn(replica.flush()) + " streams from "
                        + upstream.name() + " on " + upstream.incarnation()
                        + " although its WAL is not in that history");
    }

    void agentThrew(SimNode node, RuntimeException e) {
        StackTraceElement top = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        violate("agent-exception", node.name() + ": " + e + (top == null ? "" : " at " + top));
    }

    /** Why the cluster has not converged yet, or empty when it has. */
    Optional<String> notConverged(boolean forksAllowed) {
        return converged(forksAllowed) ? Optional.empty() : Optional.of(whyNotConverged(forksAllowed));
    }

    /**
     * One primary, holding the lock in the DCS and knowing it; every other node's agent running and its PostgreSQL
     * streaming from that primary (or, when allowed, forked from it for want of pg_rewind). Checked often, so cheap.
     */
    boolean converged(boolean forksAllowed) {
        SimNode primary = null;
        for (SimNode node : world.nodes()) {
            if (node.postgres().acceptsWrites()) {
                if (primary != null) {
                    return false;
                }
                primary = node;
            }
        }
        if (primary == null
                || !world.dcs().leaderName().equals(Optional.of(primary.name()))
                || !primary.believesItLeads()) {
            return false;
        }
        for (SimNode node : world.nodes()) {
            if (node != primary && !follows(node, primary, forksAllowed)) {
                return false;
            }
        }
        return true;
    }

    private static boolean follows(SimNode node, SimNode primary, boolean forksAllowed) {
        SimPostgres pg = node.postgres();
        if (node.agent() != SimNode.Agent.RUNNING) {
            return false;
        }
        if (forksAllowed && isForked(pg, primary.postgres())) {
            return true;
        }
        return pg.isRunning()
                && pg.inRecovery()
                && pg.isStreaming()
                && pg.upstream().map(u -> u.member().equals(primary.name())).orElse(false);
    }

    private String whyNotConverged(boolean forksAllowed) {
        List<SimNode> writable = writable();
        if (writable.size() != 1) {
            return writable.size() + " servers accept writes";
        }
        SimNode primary = writable.get(0);
        if (!world.dcs().leaderName().equals(Optional.of(primary.name()))) {
            return "primary " + primary.name() + " but leader key "
                    + world.dcs().leaderName();
        }
        if (!primary.believesItLeads()) {
            return "primary " + primary.name() + " does not know it holds the lock";
        }
        StringBuilder why = new StringBuilder();
        for (SimNode node : world.nodes()) {
            if (node != primary && !follows(node, primary, forksAllowed)) {
                why.append(describe(node))
                        .append(" does not stream from ")
                        .append(primary.name())
                        .append("; ");
            }
        }
        return why.toString();
    }

    /** The node's WAL is not a prefix of the primary's history: only pg_rewind or a new clone brings it back. */
    static boolean isForked(SimPostgres node, SimPostgres primary) {
        return node.isInitialized()
                && primary.isInitialized()
                && node.flush() > node.incarnation().commonPrefixWith(primary.incarnation());
    }

    int forkedNodesNow() {
        List<SimNode> writable = writable();
        if (writable.size() != 1) {
            return 0;
        }
        int count = 0;
        for (SimNode node : world.nodes()) {
            if (node != writable.get(0)
                    && isForked(node.postgres(), writable.get(0).postgres())) {
                count++;
            }
        }
        return count;
    }

    void violate(String rule, String detail) {
        violations.add(new Violation(world.now(), rule, detail));
        world.trace().event(world.now(), "CHECK", "VIOLATION " + rule + ": " + detail);
        world.violationRaised();
    }

    List<Violation> violations() {
        return violations;
    }

    List<Fork> forks() {
        return forks;
    }

    long maxLostOnPromotion() {
        return maxLostOnPromotion;
    }

    int promotions() {
        return promotions;
    }

    int failsafeCycles() {
        return failsafeCycles;
    }
}
