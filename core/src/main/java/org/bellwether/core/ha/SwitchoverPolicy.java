package org.bellwether.core.ha;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.PatroniTime;
import org.bellwether.core.SyncState;
import org.bellwether.core.SynchronousMode;
import org.bellwether.core.Timeline;

/**
 * Whether a switchover or failover may happen, in one place for everyone who asks: the REST API before it writes the
 * {@code failover} key, and the leader's decision before it stops PostgreSQL for it. The rules are Patroni's
 * ({@code api.py do_POST_failover}, {@code ha.py is_failover_possible}); refusals say what was wrong in a sentence.
 *
 * <p>Two steps, because the second needs the peers' answers to {@code GET /patroni}: {@link #check} reads the request
 * against the cluster; {@link #checkCandidates} then requires a member that can take over now. A scheduled request
 * skips the second step, as in Patroni: who can take over is judged when the time comes.
 */
public final class SwitchoverPolicy {
    /** ISO 8601 with an offset written without a colon ({@code +0200}), which Patroni's dateutil also reads. */
    private static final DateTimeFormatter OFFSET_WITHOUT_COLON = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .appendOffset("+HHMM", "Z")
            .toFormatter(Locale.ROOT);

    private SwitchoverPolicy() {}

    /** A switchover has a leader that stops first; a failover promotes a named member, with or without a leader. */
    public enum Kind {
        SWITCHOVER,
        FAILOVER;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The operator's request as the REST body gave it ({@code scheduled_at} still text). */
    public record Request(
            Kind kind, Optional<String> leader, Optional<String> candidate, Optional<String> scheduledAt) {}

    /** Why a request is refused. The REST layer maps each to Patroni's status code. */
    public enum Refusal {
        MISSING_CANDIDATE,
        MISSING_LEADER,
        FAILOVER_CANNOT_BE_SCHEDULED,
        PAUSED_CANNOT_SCHEDULE,
        SCHEDULE_WITHOUT_TIME_ZONE,
        SCHEDULE_UNREADABLE,
        SCHEDULE_OUT_OF_RANGE,
        SCHEDULE_IN_THE_PAST,
        PAUSED_NEEDS_CANDIDATE,
        SAME_MEMBER,
        LEADER_MISMATCH,
        UNKNOWN_CANDIDATE,
        CANDIDATE_NOT_SYNCHRONOUS,
        CANDIDATE_NOT_ELIGIBLE,
        NO_CANDIDATE
    }

    /** The outcome of a check. */
    public sealed interface Verdict {}

    /** The request may go ahead as {@code intent} (version 0: the REST layer creates or replaces the key). */
    public record Accepted(Kind kind, FailoverIntent intent) implements Verdict {}

    public record Refused(Refusal refusal, String sentence) implements Verdict {}

    /** Checks the request's shape, its schedule and the names in it against the cluster, in Patroni's order. */
    public static Verdict check(Request request, ClusterView cluster, Instant now) {
        Kind kind = request.kind();
        Optional<String> leader = request.leader().filter(s -> !s.isBlank());
        Optional<String> candidate = request.candidate().filter(s -> !s.isBlank());
        Optional<String> schedule = request.scheduledAt().filter(s -> !s.isBlank());
        boolean paused = cluster.isPaused();
        if (kind == Kind.FAILOVER && candidate.isEmpty()) {
            return refuse(Refusal.MISSING_CANDIDATE, "a failover needs a candidate: name the member to promote");
        }
        if (kind == Kind.SWITCHOVER && leader.isEmpty()) {
            return refuse(Refusal.MISSING_LEADER, "a switchover needs the name of the current leader");
        }
        Optional<Instant> scheduledAt = Optional.empty();
        if (schedule.isPresent()) {
            if (kind == Kind.FAILOVER) {
                return refuse(Refusal.FAILOVER_CANNOT_BE_SCHEDULED, "a failover cannot be scheduled");
            }
            if (paused) {
                return refuse(Refusal.PAUSED_CANNOT_SCHEDULE, "a switchover cannot be scheduled while paused");
            }
            Verdict parsed = parseSchedule(schedule.get(), "switchover", now);
            if (parsed instanceof Refused refused) {
                return refused;
            }
            scheduledAt = ((Accepted) parsed).intent().scheduledAt();
        }
        if (paused && candidate.isEmpty()) {
            return refuse(
                    Refusal.PAUSED_NEEDS_CANDIDATE,
                    "while paused, a switchover must name its candidate: nobody is chosen automatically");
        }
        Kind effective = leader.isPresent() ? Kind.SWITCHOVER : kind;
        if (leader.isPresent() && leader.equals(candidate)) {
            return refuse(Refusal.SAME_MEMBER, "the candidate and the leader are the same member: " + leader.get());
        }
        Optional<Refused> names = checkNames(effective, leader, candidate, cluster);
        if (names.isPresent()) {
            return names.get();
        }
        return new Accepted(effective, new FailoverIntent(leader, candidate, scheduledAt, 0));
    }

    /**
     * Parses a schedule as Patroni accepts it: ISO 8601 with a time zone, not in the past, and within the years Patroni
     * can read back ({@link PatroniTime}): a time it cannot parse in the {@code failover} key makes a Patroni leader
     * fail its DCS read and demote.
     *
     * @return {@link Accepted} carrying only the instant in {@code intent().scheduledAt()}, or the refusal
     */
    public static Verdict parseSchedule(String text, String action, Instant now) {
        String iso = text.trim().replaceFirst(" ", "T");
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(iso);
        } catch (DateTimeParseException e) {
            try {
                time = OffsetDateTime.parse(iso, OFFSET_WITHOUT_COLON);
            } catch (DateTimeParseException e2) {
                if (isLocalTime(iso)) {
                    return refuse(
                            Refusal.SCHEDULE_WITHOUT_TIME_ZONE,
                            field(action) + ": the time of a scheduled " + action + " needs a time zone, e.g. "
                                    + text.trim() + "+00:00");
                }
                return refuse(
                        Refusal.SCHEDULE_UNREADABLE,
                        field(action) + ": cannot read '" + text + "' as a time: use ISO 8601, e.g."
                                + " 2030-01-31T12:00:00+00:00");
            }
        }
        Optional<String> unreadable = PatroniTime.whyUnreadable(time);
        if (unreadable.isPresent()) {
            return refuse(
                    Refusal.SCHEDULE_OUT_OF_RANGE,
                    field(action) + " '" + text.trim() + "' cannot be stored for Patroni to read: "
                            + unreadable.get() + "; use ISO 8601 with a four-digit year and an offset, e.g."
                            + " 2030-01-31T12:00:00+00:00");
        }
        Instant at = time.toInstant();
        if (at.isBefore(now)) {
            return refuse(
                    Refusal.SCHEDULE_IN_THE_PAST,
                    field(action) + ": cannot schedule a " + action + " in the past (" + text + ")");
        }
        return new Accepted(
                Kind.SWITCHOVER, new FailoverIntent(Optional.empty(), Optional.empty(), Optional.of(at), 0));
    }

    /** The REST field that carries the time: {@code scheduled_at} for a switchover, {@code schedule} for a restart. */
    private static String field(String action) {
        return action.equals("restart") ? "schedule" : "scheduled_at";
    }

    private static boolean isLocalTime(String iso) {
        try {
            LocalDateTime.parse(iso);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Optional<Refused> checkNames(
            Kind kind, Optional<String> leader, Optional<String> candidate, ClusterView cluster) {
        Optional<String> current = cluster.leaderName();
        if (leader.isPresent() && !leader.equals(current)) {
            return Optional.of(refuse(
                    Refusal.LEADER_MISMATCH,
                    leader.get() + " is not the leader"
                            + current.map(c -> " (" + c + " is)").orElse(" (the cluster has no leader)")));
        }
        if (candidate.isPresent()) {
            if (candidate.equals(current)) {
                return Optional.of(refuse(Refusal.SAME_MEMBER, candidate.get() + " is already the leader"));
            }
            if (cluster.member(candidate.get()).isEmpty()) {
                return Optional.of(refuse(
                        Refusal.UNKNOWN_CANDIDATE, "candidate " + candidate.get() + " is not a member of the cluster"));
            }
            if (kind == Kind.SWITCHOVER
                    && synchronousStandbysOnly(cluster)
                    && !isSyncStandby(cluster, candidate.get())) {
                return Optional.of(refuse(
                        Refusal.CANDIDATE_NOT_SYNCHRONOUS,
                        "candidate " + candidate.get() + " is not a synchronous standby; in synchronous mode only "
                                + syncStandbys(cluster) + " can take over"));
            }
            return Optional.empty();
        }
        if (candidates(cluster, leader, candidate).isEmpty()) {
            return Optional.of(refuse(
                    Refusal.NO_CANDIDATE,
                    synchronousStandbysOnly(cluster)
                            ? "no synchronous standby to switch over to"
                            : "the cluster has no member besides the leader to switch over to"));
        }
        return Optional.empty();
    }

    /**
     * The members that could take over: the named candidate; else, in synchronous mode, the synchronous standbys;
     * else every member but the leader. These are the peers whose status is needed.
     */
    public static List<Member> candidates(ClusterView cluster, Optional<String> leader, Optional<String> candidate) {
        if (candidate.isPresent()) {
            return cluster.member(candidate.get()).stream().toList();
        }
        Optional<String> current = leader.or(cluster::leaderName);
        boolean syncOnly = synchronousStandbysOnly(cluster);
        return cluster.members().stream()
                .filter(m -> current.map(c -> !c.equals(m.name())).orElse(true))
                .filter(m -> !syncOnly || isSyncStandby(cluster, m.name()))
                .toList();
    }

    /**
     * Requires a member that can take over now: the named candidate, or any candidate. The lag limit applies while
     * the cluster has a leader (its WAL position is the reference); a failover without a leader may promote a
     * lagging member, as Patroni allows.
     */
    public static Verdict checkCandidates(
            Accepted accepted, ClusterView cluster, SortedMap<String, PeerStatus> peers, HaSettings settings) {
        FailoverIntent intent = accepted.intent();
        Optional<Lsn> reference = cluster.leader().isPresent()
                ? cluster.leaderMember().flatMap(Member::walPosition).or(cluster::optime)
                : Optional.empty();
        List<String> problems = new ArrayList<>();
        for (Member m : candidates(cluster, intent.leader(), intent.candidate())) {
            Optional<String> why =
                    whyNotEligible(m, Optional.ofNullable(peers.get(m.name())), cluster, settings, reference);
            if (why.isEmpty()) {
                return accepted;
            }
            problems.add(m.name() + " " + why.get());
        }
        if (intent.candidate().isPresent()) {
            return refuse(
                    Refusal.CANDIDATE_NOT_ELIGIBLE,
                    "candidate " + problems.get(0) + "; " + accepted.kind().word() + " is not possible");
        }
        return refuse(
                Refusal.NO_CANDIDATE,
                accepted.kind().word() + " is not possible: no member can take over (" + String.join("; ", problems)
                        + ")");
    }

    /**
     * Why {@code member} cannot take over now, as the end of a sentence starting with its name ("is tagged
     * nofailover"); empty when it can. With a {@code lagReference}, a member further behind it than
     * {@code maximum_lag_on_failover} is not eligible.
     */
    public static Optional<String> whyNotEligible(
            Member member,
            Optional<PeerStatus> status,
            ClusterView cluster,
            HaSettings settings,
            Optional<Lsn> lagReference) {
        if (!member.tags().canBecomeLeader()) {
            return Optional.of("is tagged nofailover");
        }
        if (status.isEmpty() || !status.get().reachable()) {
            return Optional.of("does not answer GET /patroni");
        }
        PeerStatus peer = status.get();
        if (!peer.tags().canBecomeLeader()) {
            return Optional.of("is tagged nofailover");
        }
        if (peer.watchdogFailed()) {
            return Optional.of("reports a failed watchdog");
        }
        if (!peer.inRecovery()) {
            return Optional.of("is not running as a replica");
        }
        if (lagReference.isPresent()) {
            long lag = lagReference.get().minus(peer.walPosition().orElse(Lsn.ZERO));
            if (lag > settings.maximumLagOnFailover()) {
                return Optional.of("is " + lag + " bytes behind the leader, over maximum_lag_on_failover ("
                        + settings.maximumLagOnFailover() + ")");
            }
        }
        Optional<Timeline> clusterTimeline = cluster.timelineFromHistory();
        if (settings.checkTimeline() && clusterTimeline.isPresent()) {
            Optional<Timeline> theirs = peer.timeline();
            if (theirs.isEmpty() || theirs.get().isBefore(clusterTimeline.get())) {
                return Optional.of(
                        "is on timeline " + theirs.map(Object::toString).orElse("unknown") + ", behind the cluster's "
                                + clusterTimeline.get());
            }
        }
        return Optional.empty();
    }

    /** The {@code failover} key when it asks for something ({@code {}} is how Patroni clears it). */
    public static Optional<FailoverIntent> activeRequest(ClusterView cluster) {
        return cluster.failover().filter(f -> !f.isEmpty());
    }

    /**
     * Whether a switchover is due or close (within loop_wait), so nodes should look often: the leader to act on time,
     * the candidate to publish fresh WAL positions for the hand-over.
     */
    public static boolean isUnderway(ClusterView cluster, Instant now, Duration loopWait) {
        return activeRequest(cluster)
                .map(f -> f.scheduledAt()
                        .map(at -> !at.isAfter(now.plus(loopWait)))
                        .orElse(true))
                .orElse(false);
    }

    /**
     * The peers the leader needs to hear from this cycle: the candidates of a request that is due, to judge who can
     * take over and, once PostgreSQL is stopped, who has received its shutdown checkpoint.
     */
    public static List<Member> peersForLeader(ClusterView cluster, String self, Instant now, Duration loopWait) {
        if (!cluster.isLeader(self) || !isUnderway(cluster, now, loopWait)) {
            return List.of();
        }
        FailoverIntent request = activeRequest(cluster).orElseThrow();
        return candidates(cluster, Optional.of(self), request.candidate()).stream()
                .filter(m -> !m.name().equals(self) && m.apiUrl().isPresent())
                .toList();
    }

    static boolean synchronousStandbysOnly(ClusterView cluster) {
        HaSettings settings = cluster.config().map(c -> c.settings()).orElse(HaSettings.defaults());
        return settings.synchronousMode() == SynchronousMode.ON
                && cluster.sync().flatMap(SyncState::leader).isPresent();
    }

    static boolean isSyncStandby(ClusterView cluster, String name) {
        return cluster.sync()
                .map(s -> s.syncStandbys().stream().anyMatch(n -> n.equalsIgnoreCase(name)))
                .orElse(false);
    }

    private static String syncStandbys(ClusterView cluster) {
        return cluster.sync().map(s -> String.join(", ", s.syncStandbys())).orElse("none");
    }

    private static Refused refuse(Refusal refusal, String sentence) {
        return new Refused(refusal, sentence);
    }
}
