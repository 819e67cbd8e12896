package org.bellwether.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code time.strftime} directives, which {@code log.dateformat} is written in, as a {@code java.time}
 * pattern (the kind logback's {@code %d} takes). Names come out in English, as in the C locale Patroni runs in.
 */
final class StrftimePattern {
    /** What Python writes for {@code %(asctime)s} without a {@code dateformat}: milliseconds after a comma. */
    static final String PYTHON_DEFAULT = "yyyy-MM-dd HH:mm:ss,SSS";

    /** The pattern, and the directives with no counterpart, which are written as text. */
    record Translation(String pattern, List<String> unsupported) {}

    private static final Map<Character, String> DIRECTIVES = Map.ofEntries(
            Map.entry('a', "EEE"),
            Map.entry('A', "EEEE"),
            Map.entry('b', "MMM"),
            Map.entry('h', "MMM"),
            Map.entry('B', "MMMM"),
            Map.entry('c', "EEE MMM ppd HH:mm:ss yyyy"),
            Map.entry('d', "dd"),
            Map.entry('e', "ppd"),
            Map.entry('f', "SSSSSS"),
            Map.entry('H', "HH"),
            Map.entry('I', "hh"),
            Map.entry('k', "ppH"),
            Map.entry('l', "pph"),
            Map.entry('j', "DDD"),
            Map.entry('m', "MM"),
            Map.entry('M', "mm"),
            Map.entry('p', "a"),
            Map.entry('S', "ss"),
            Map.entry('y', "yy"),
            Map.entry('Y', "yyyy"),
            Map.entry('z', "Z"),
            Map.entry('Z', "z"),
            Map.entry('x', "MM/dd/yy"),
            Map.entry('D', "MM/dd/yy"),
            Map.entry('X', "HH:mm:ss"),
            Map.entry('T', "HH:mm:ss"),
            Map.entry('F', "yyyy-MM-dd"),
            Map.entry('R', "HH:mm"),
            Map.entry('r', "hh:mm:ss a"));
    private static final Map<Character, String> TEXT = Map.of('%', "%", 'n', "\n", 't', "\t");

    private StrftimePattern() {}

    static Translation translate(String strftime) {
        StringBuilder pattern = new StringBuilder();
        StringBuilder text = new StringBuilder();
        List<String> unsupported = new ArrayList<>();
        for (int i = 0; i < strftime.length(); i++) {
            char c = strftime.charAt(i);
            if (c != '%' || i + 1 == strftime.length()) {
                text.append(c);
                continue;
            }
            char directive = strftime.charAt(++i);
            String word = DIRECTIVES.get(directive);
            if (word == null) {
                // As glibc does with a directive it does not know: the directive itself is written.
                String written = TEXT.get(directive);
                if (written == null) {
                    unsupported.add("%" + directive);
                    written = "%" + directive;
                }
                text.append(written);
                continue;
            }
            flush(text, pattern);
            pattern.append(word);
        }
        flush(text, pattern);
        return new Translation(pattern.toString(), unsupported);
    }

    /** Text goes in quotes when java.time would read any of it as a pattern letter or a reserved character. */
    private static void flush(StringBuilder text, StringBuilder pattern) {
        if (text.length() == 0) {
            return;
        }
        String t = text.toString();
        boolean plain = t.chars().noneMatch(ch -> Character.isLetter(ch) || "'[]{}#".indexOf(ch) >= 0);
        pattern.append(plain ? t : "'" + t.replace("'", "''") + "'");
        text.setLength(0);
    }
}
