package org.bellwether.core.ha;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bellwether.core.SynchronousMode;

/**
 * The {@code synchronous_standby_names} value the leader sets. Every listed standby is required (the number equals the
 * list's length), so each one has every commit acknowledged while it is listed; that is what lets the {@code sync}
 * key name it as safe to promote. Names are sorted and quoted only where SQL needs it, as Patroni writes them.
 */
final class StandbyNamesValue {
    /** Strict mode with nobody to name: any standby may acknowledge, and without one commits wait. */
    static final String ANY_STANDBY = "*";

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final Set<String> KEYWORDS = Set.of("first", "any");

    private StandbyNamesValue() {}

    /** The value for {@code names}, all required (empty: no synchronous standby, or {@code *} when strict). */
    static String of(SynchronousMode mode, List<String> names, boolean strict) {
        return of(mode, names, names.size(), strict);
    }

    /** The value requiring {@code count} of {@code names} (quorum mode: {@code ANY count (...)}). */
    static String of(SynchronousMode mode, List<String> names, int count, boolean strict) {
        if (names.isEmpty() || count == 0) {
            return strict ? ANY_STANDBY : "";
        }
        TreeSet<String> sorted = new TreeSet<>(names);
        List<String> quoted = sorted.stream().map(StandbyNamesValue::quote).toList();
        if (mode != SynchronousMode.QUORUM && quoted.size() == 1) {
            return quoted.get(0);
        }
        String method = mode == SynchronousMode.QUORUM ? "ANY" : "FIRST";
        return method + " " + count + " (" + String.join(",", quoted) + ")";
    }

    static String quote(String name) {
        if (PLAIN.matcher(name).matches() && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
