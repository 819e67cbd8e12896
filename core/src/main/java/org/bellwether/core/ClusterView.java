package org.bellwether.core;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One consistent read of the cluster's keys under {@code /<namespace>/<scope>/}. Absent keys are empty optionals.
 * Members are sorted by name so that every iteration over them is deterministic.
 *
 * <p>{@code initializeVersion} is the {@code initialize} key's version for compare-and-set (0 when absent).
 * {@code invalidLeader} is a {@code leader} key whose value names no possible node (empty, white space, a control
 * character; see {@link Member#isValidName}): nobody holds it and nobody can renew it, so {@code leader} is empty
 * then. {@code problems} are the values that could not be used as they were, for the reader to report.
 * {@code slots} and {@code retainSlots} are the {@code status} key's slot positions and the slots of departed members
 * the leader keeps for {@code member_slots_ttl}.
 */
public record ClusterView(
        Optional<String> initialize,
        Optional<ClusterConfig> config,
        Optional<LeaderKey> leader,
        List<Member> members,
        Optional<Lsn> optime,
        SortedMap<String, Lsn> slots,
        List<HistoryEntry> history,
        Optional<FailoverIntent> failover,
        Optional<SyncState> sync,
        Optional<SortedMap<String, String>> failsafe,
        long initializeVersion,
        Optional<LeaderKey> invalidLeader,
        List<KeyProblem> problems,
        List<String> retainSlots) {

    public ClusterView {
        members = members.stream().sorted(Comparator.comparing(Member::name)).toList();
        slots = Collections.unmodifiableSortedMap(new TreeMap<>(slots));
        history = List.copyOf(history);
        problems = List.copyOf(problems);
        retainSlots = List.copyOf(retainSlots);
    }

    /** Without {@code status.retain_slots}. */
    public ClusterView(
            Optional<String> initialize,
            Optional<ClusterConfig> config,
            Optional<LeaderKey> leader,
            List<Member> members,
            Optional<Lsn> optime,
            SortedMap<String, Lsn> slots,
            List<HistoryEntry> history,
            Optional<FailoverIntent> failover,
            Optional<SyncState> sync,
            Optional<SortedMap<String, String>> failsafe,
            long initializeVersion,
            Optional<LeaderKey> invalidLeader,
            List<KeyProblem> problems) {
        this(
                initialize,
                config,
                leader,
                members,
                optime,
                slots,
                history,
                failover,
                sync,
                failsafe,
                initializeVersion,
                invalidLeader,
                problems,
                List.of());
    }

    /** A view with every key readable and the {@code initialize} version unknown (0). */
    public ClusterView(
            Optional<String> initialize,
            Optional<ClusterConfig> config,
            Optional<LeaderKey> leader,
            List<Member> members,
            Optional<Lsn> optime,
            SortedMap<String, Lsn> slots,
            List<HistoryEntry> history,
            Optional<FailoverIntent> failover,
            Optional<SyncState> sync,
            Optional<SortedMap<String, String>> failsafe) {
        this(
                initialize,
                config,
                leader,
                members,
                optime,
                slots,
                history,
                failover,
                sync,
                failsafe,
                0,
                Optional.empty(),
                List.of());
    }

    /** A cluster whose keys do not exist yet. */
    public static ClusterView empty() {
        return new ClusterView(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                new TreeMap<>(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<String> leaderName() {
        return leader.map(LeaderKey::name);
    }

    public boolean isLeader(String name) {
        return leader.map(l -> l.name().equals(name)).orElse(false);
    }

    /** The leader's member key, when both exist. */
    public Optional<Member> leaderMember() {
        return leader.flatMap(l -> member(l.name()));
    }

    /** The timeline the cluster has reached: one past the last timeline recorded in {@code history}. */
    public Optional<Timeline> timelineFromHistory() {
        if (history.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(history.get(history.size() - 1).timeline().next());
    }

    public boolean isPaused() {
        return config.map(ClusterConfig::settings).map(HaSettings::pause).orElse(false);
    }

    /** This view with another leader key, the rest unchanged. */
    public ClusterView withLeader(Optional<LeaderKey> key, Optional<LeaderKey> invalidKey) {
        return new ClusterView(
                initialize,
                config,
                key,
                members,
                optime,
                slots,
                history,
                failover,
                sync,
                failsafe,
                initializeVersion,
                invalidKey,
                problems,
                retainSlots);
    }

    /** The {@code leader} key: the member name it holds, and its DCS version for compare-and-set. */
    public record LeaderKey(String name, long version) {}
}
