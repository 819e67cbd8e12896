package org.bellwether.cli.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PyYAML's {@code safe_dump(data, default_flow_style=..., allow_unicode=True, width=200)}, which patronictl uses for
 * {@code show-config}, {@code edit-config} and {@code -f yaml}: keys sorted, block style with lists not indented under
 * their key, a string quoted only when it would otherwise read as something else (a number, a boolean, null, a date)
 * or break the syntax. {@code show-config} output and the text {@code edit-config} diffs therefore match patronictl's.
 *
 * <p>Two simplifications, both still valid YAML that reads back the same: a string spanning lines is written
 * double-quoted with {@code \n} escapes (PyYAML folds it in single quotes), and long scalars are not folded at the
 * 200-column width.
 */
public final class PyYaml {
    private static final Pattern BOOL =
            Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)"
            + "|\\.(?:nan|NaN|NAN)");
    private static final Pattern INT = Pattern.compile("[-+]?0b[0-1_]+"
            + "|[-+]?0[0-7_]+"
            + "|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
            + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
            + "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?");
    private static final Pattern MERGE_OR_VALUE = Pattern.compile("<<|=");

    private PyYaml() {}

    /** Block style ({@code default_flow_style=False}): the document, ending in a newline. */
    public static String dump(Object value) {
        StringBuilder out = new StringBuilder();
        if (isNonEmptyCollection(value)) {
            block(value, 0, out);
        } else {
            out.append(flowValue(value, false)).append('\n');
        }
        return out.toString();
    }

    /** Flow style ({@code default_flow_style=True}): {@code {a: b, c: [1, 2]}}, ending in a newline. */
    public static String dumpFlow(Object value) {
        return flowValue(value, !(value instanceof Map<?, ?> || value instanceof List<?>)) + "\n";
    }

    private static boolean isNonEmptyCollection(Object value) {
        return value instanceof Map<?, ?> m && !m.isEmpty() || value instanceof List<?> l && !l.isEmpty();
    }

    /**
     * A non-empty map or list at {@code indent}, each line ending in a newline. The first entry of a collection that
     * is a list item continues the item's line ({@code - a: 1}); the others start a line at {@code indent}.
     */
    private static void block(Object value, int indent, StringBuilder out) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : sorted(m)) {
                if (atLineStart(out)) {
                    out.append(" ".repeat(indent));
                }
                out.append(scalar(e.getKey(), false, true)).append(':');
                Object v = e.getValue();
                if (v instanceof Map<?, ?> && isNonEmptyCollection(v)) {
                    out.append('\n');
                    block(v, indent + 2, out);
                } else if (v instanceof List<?> && isNonEmptyCollection(v)) {
                    // PyYAML does not indent a list under its key.
                    out.append('\n');
                    block(v, indent, out);
                } else {
                    out.append(' ').append(flowValue(v, false)).append('\n');
                }
            }
        } else {
            for (Object item : (List<?>) value) {
                if (atLineStart(out)) {
                    out.append(" ".repeat(indent));
                }
                out.append("- ");
                if (isNonEmptyCollection(item)) {
                    block(item, indent + 2, out);
                } else {
                    out.append(flowValue(item, false)).append('\n');
                }
            }
        }
    }

    private static boolean atLineStart(StringBuilder out) {
        return out.length() == 0 || out.charAt(out.length() - 1) == '\n';
    }

    /** A scalar, or a collection written in flow style ({@code {}} and {@code []} when empty). */
    private static String flowValue(Object value, boolean inFlow) {
        if (value instanceof Map<?, ?> m) {
            List<String> items = new ArrayList<>();
            for (Map.Entry<?, ?> e : sorted(m)) {
                items.add(scalar(e.getKey(), true, true) + ": " + flowValue(e.getValue(), true));
            }
            return "{" + String.join(", ", items) + "}";
        }
        if (value instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            for (Object item : l) {
                items.add(flowValue(item, true));
            }
            return "[" + String.join(", ", items) + "]";
        }
        return scalar(value, inFlow, false);
    }

    private static List<Map.Entry<?, ?>> sorted(Map<?, ?> m) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
        entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
        return entries;
    }

    private static String scalar(Object value, boolean inFlow, boolean simpleKey) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Double || value instanceof Float) {
            return floatText(((Number) value).doubleValue());
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        String s = value.toString();
        Analysis a = analyse(s);
        boolean plain = !resolvesToOtherType(s)
                && !(simpleKey && a.multiline)
                && (inFlow ? a.allowFlowPlain : a.allowBlockPlain);
        if (plain) {
            return s;
        }
        if (a.allowSingleQuoted && !a.multiline) {
            return "'" + s.replace("'", "''") + "'";
        }
        return doubleQuoted(s);
    }

    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        String repr = PyValues.floatRepr(d).toLowerCase(java.util.Locale.ROOT);
        // PyYAML adds ".0" so that an exponent form without a point still reads back as a float.
        return !repr.contains(".") && repr.contains("e") ? repr.replaceFirst("e", ".0e") : repr;
    }

    private static boolean resolvesToOtherType(String s) {
        return BOOL.matcher(s).matches()
                || NULL.matcher(s).matches()
                || INT.matcher(s).matches()
                || FLOAT.matcher(s).matches()
                || TIMESTAMP.matcher(s).matches()
                || MERGE_OR_VALUE.matcher(s).matches();
    }

    /** What PyYAML's {@code analyze_scalar} decides about a string. */
    private record Analysis(
            boolean multiline, boolean allowFlowPlain, boolean allowBlockPlain, boolean allowSingleQuoted) {}

    private static Analysis analyse(String s) {
        if (s.isEmpty()) {
            return new Analysis(false, false, true, true);
        }
        boolean flowIndicators = false;
        boolean blockIndicators = false;
        boolean lineBreaks = false;
        boolean special = false;
        boolean leadingSpace = false;
        boolean leadingBreak = false;
        boolean trailingSpace = false;
        boolean trailingBreak = false;
        boolean breakSpace = false;
        boolean spaceBreak = false;
        if (s.startsWith("---") || s.startsWith("...")) {
            flowIndicators = true;
            blockIndicators = true;
        }
        boolean precededByWhitespace = true;
        boolean followedByWhitespace = s.length() == 1 || isBlankOrBreak(s.charAt(1));
        boolean previousSpace = false;
        boolean previousBreak = false;
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int ch = cps[i];
            if (i == 0) {
                if ("#,[]{}&*!|>'\"%@`".indexOf(ch) >= 0) {
                    flowIndicators = true;
                    blockIndicators = true;
                }
                if (ch == '?' || ch == ':') {
                    flowIndicators = true;
                    if (followedByWhitespace) {
                        blockIndicators = true;
                    }
                }
                if (ch == '-' && followedByWhitespace) {
                    flowIndicators = true;
                    blockIndicators = true;
                }
            } else {
                if (",?[]{}".indexOf(ch) >= 0) {
                    flowIndicators = true;
                }
                if (ch == ':') {
                    flowIndicators = true;
                    if (followedByWhitespace) {
                        blockIndicators = true;
                    }
                }
                if (ch == '#' && precededByWhitespace) {
                    flowIndicators = true;
                    blockIndicators = true;
                }
            }
            boolean isBreak = ch == '\n' || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
            if (isBreak) {
                lineBreaks = true;
            }
            if (!(ch == '\n' || (ch >= 0x20 && ch <= 0x7e))) {
                boolean printableUnicode = (ch == 0x85
                                || (ch >= 0xa0 && ch <= 0xd7ff)
                                || (ch >= 0xe000 && ch <= 0xfffd)
                                || (ch >= 0x10000 && ch < 0x10ffff))
                        && ch != 0xfeff;
                if (!printableUnicode) {
                    special = true;
                }
            }
            if (ch == ' ') {
                if (i == 0) {
                    leadingSpace = true;
                }
                if (i == cps.length - 1) {
                    trailingSpace = true;
                }
                if (previousBreak) {
                    breakSpace = true;
                }
                previousSpace = true;
                previousBreak = false;
            } else if (isBreak) {
                if (i == 0) {
                    leadingBreak = true;
                }
                if (i == cps.length - 1) {
                    trailingBreak = true;
                }
                if (previousSpace) {
                    spaceBreak = true;
                }
                previousSpace = false;
                previousBreak = true;
            } else {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = isBlankOrBreak(ch);
            followedByWhitespace = i + 2 >= cps.length || isBlankOrBreak(cps[i + 2]);
        }
        boolean flowPlain = true;
        boolean blockPlain = true;
        boolean singleQuoted = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
            flowPlain = false;
            blockPlain = false;
        }
        if (breakSpace) {
            flowPlain = false;
            blockPlain = false;
            singleQuoted = false;
        }
        if (spaceBreak || special) {
            flowPlain = false;
            blockPlain = false;
            singleQuoted = false;
        }
        if (lineBreaks) {
            flowPlain = false;
            blockPlain = false;
        }
        if (flowIndicators) {
            flowPlain = false;
        }
        if (blockIndicators) {
            blockPlain = false;
        }
        return new Analysis(lineBreaks, flowPlain, blockPlain, singleQuoted);
    }

    private static boolean isBlankOrBreak(int ch) {
        return ch == 0
                || ch == ' '
                || ch == '\t'
                || ch == '\r'
                || ch == '\n'
                || ch == 0x85
                || ch == 0x2028
                || ch == 0x2029;
    }

    private static String doubleQuoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(ch -> {
            switch (ch) {
                case 0 -> out.append("\\0");
                case 7 -> out.append("\\a");
                case 8 -> out.append("\\b");
                case 9 -> out.append("\\t");
                case 10 -> out.append("\\n");
                case 11 -> out.append("\\v");
                case 12 -> out.append("\\f");
                case 13 -> out.append("\\r");
                case 27 -> out.append("\\e");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0x85 -> out.append("\\N");
                case 0xa0 -> out.append("\\_");
                case 0x2028 -> out.append("\\L");
                case 0x2029 -> out.append("\\P");
                default -> {
                    if (ch >= 0x20 && ch <= 0x7e || ch > 0xa0 && ch != 0xfeff && ch <= 0xfffd || ch >= 0x10000) {
                        out.appendCodePoint(ch);
                    } else if (ch <= 0xff) {
                        out.append(String.format("\\x%02X", ch));
                    } else {
                        out.append(String.format("\\u%04X", ch));
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
