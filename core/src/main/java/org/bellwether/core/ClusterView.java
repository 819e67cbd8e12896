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
        Optional<SortedMap<String, String>> failsafe) {

    public ClusterView {
        members = members.stream().sorted(Comparator.comparing(Member::name)).toList();
        slots = Collections.unmodifiableSortedMap(new TreeMap<>(slots));
        history = List.copyOf(history);
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

    /** The {@code leader} key: the member name it holds, and its DCS version for compare-and-set. */
    public record LeaderKey(String name, long version) {}
}
