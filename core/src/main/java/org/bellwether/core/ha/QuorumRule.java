package org.bellwether.core.ha;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwether.core.ha.LocalPostgres.StandbyNames;

/**
 * What a {@code synchronous_standby_names} value makes a commit wait for: {@code count} of {@code names}; with
 * {@code anyStandby} ({@code *}, or a value the agent did not set and cannot vouch for) the names are unknown.
 *
 * <p>{@link #coveredBy} is quorum mode's safety rule. A candidate is promoted only when it and {@code quorum} other
 * voters it can see are no further than it; a commit returned once {@code count} of {@code names} had flushed it. The
 * commit is on the candidate if every such set of acknowledging standbys meets every such set of {@code quorum + 1}
 * voters.
 */
record QuorumRule(Set<String> names, int count, boolean anyStandby) {
    private static final Pattern LIST = Pattern.compile("(?:(FIRST|ANY)\\s+)?(\\d+)\\s*\\((.*)\\)");
    static final QuorumRule UNKNOWN = new QuorumRule(Set.of(), 1, true);

    QuorumRule {
        names = new TreeSet<>(names);
    }

    static QuorumRule of(StandbyNames observed) {
        if (!observed.setByAgent()) {
            return UNKNOWN;
        }
        return parse(observed.value()).orElse(UNKNOWN);
    }

    static Optional<QuorumRule> parse(String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.of(new QuorumRule(Set.of(), 0, false));
        }
        if (v.equals(StandbyNamesValue.ANY_STANDBY)) {
            return Optional.of(UNKNOWN);
        }
        Matcher m = LIST.matcher(v);
        String list = m.matches() ? m.group(3) : v;
        int count = m.matches() ? Integer.parseInt(m.group(2)) : 1;
        TreeSet<String> names = new TreeSet<>();
        for (String name : list.split(",")) {
            String n = name.trim();
            if (n.isEmpty() || n.equals("*")) {
                return Optional.empty();
            }
            // Unquoted names compare case-insensitively; the agent writes lowercase ones unquoted only.
            names.add(
                    n.startsWith("\"")
                            ? n.substring(1, n.length() - 1).replace("\"\"", "\"")
                            : n.toLowerCase(Locale.ROOT));
        }
        return Optional.of(new QuorumRule(names, count, false));
    }

    /**
     * Whether every commit this rule acknowledges is on any candidate that finds {@code quorum} of the other
     * {@code voters} no further than itself. Without voters only the leader may be promoted, which is always safe.
     */
    boolean coveredBy(Set<String> voters, int quorum) {
        if (voters.isEmpty() || quorum + 1 > voters.size()) {
            return true;
        }
        if (anyStandby || count == 0) {
            return false;
        }
        long votersOutside = voters.stream().filter(v -> !names.contains(v)).count();
        long fewestNamedInVote = Math.max(0, quorum + 1 - votersOutside);
        return names.size() - fewestNamedInVote < count;
    }
}
