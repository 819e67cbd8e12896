package org.bellwether.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One line of the {@link SettingsTable}: a key path pattern, its class and why.
 *
 * <p>A pattern is a dotted key path in which a segment in angle brackets ({@code <name>}) stands for any key the
 * user names ({@code postgresql.parameters.<parameter>}, {@code slots.<slot>.type}). A section rule also covers every
 * key below its path, so one line refuses the whole of an unsupported DCS.
 *
 * @param when the values that put a present setting in its class; others are applied
 * @param reason why the setting is refused or not applied (empty, or a note, for applied settings)
 * @param through for the keys of a section another setting declares (a custom replica method's {@code command}):
 *     that setting, whose refusal covers them, so that one choice is not reported once per key
 */
record SettingRule(
        String pattern,
        boolean section,
        SettingClass kind,
        SettingCondition when,
        String reason,
        Optional<String> through) {

    private static final int LITERAL = 2;
    private static final int PLACEHOLDER = 1;
    private static final int BELOW_SECTION = 0;

    List<String> segments() {
        return Arrays.asList(pattern.split("\\."));
    }

    /** Whether a present setting matching this rule is reported (the others are applied or covered elsewhere). */
    boolean reported() {
        return kind != SettingClass.APPLIED && through.isEmpty();
    }

    /**
     * How closely this rule matches {@code path}, segment by segment (literal beats placeholder beats the coverage of a
     * section), or empty when it does not match. A placeholder in {@code path} itself (as the fixture of Patroni's
     * documentation writes {@code bootstrap.<method>.command}) is matched by placeholders only.
     */
    Optional<int[]> rank(List<String> path) {
        List<String> mine = segments();
        if (path.size() < mine.size() || (!section && path.size() != mine.size())) {
            return Optional.empty();
        }
        int[] rank = new int[path.size()];
        for (int i = 0; i < path.size(); i++) {
            if (i >= mine.size()) {
                rank[i] = BELOW_SECTION;
            } else if (isPlaceholder(mine.get(i))) {
                rank[i] = PLACEHOLDER;
            } else if (mine.get(i).equals(path.get(i))) {
                rank[i] = LITERAL;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(rank);
    }

    /** Whether the pattern names a key the user chooses. */
    boolean hasPlaceholder() {
        return segments().stream().anyMatch(SettingRule::isPlaceholder);
    }

    static boolean isPlaceholder(String segment) {
        return segment.startsWith("<") && segment.endsWith(">");
    }

    /** The message of a present setting this rule reports: {@code refused: why} or {@code accepted, not applied: why}. */
    String message() {
        return kind.label() + ": " + reason;
    }
}
