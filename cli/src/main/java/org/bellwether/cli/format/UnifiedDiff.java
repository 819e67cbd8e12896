package org.bellwether.cli.format;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code difflib.unified_diff(a, b)} with its defaults (three lines of context, empty file names), as
 * {@code patronictl edit-config} prints it. The matching is difflib's {@code SequenceMatcher} (longest matching block
 * first, lines that occur in more than 1% of a 200+ line text treated as popular), not a minimal-edit diff, so the
 * hunks are the ones patronictl shows.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {}

    /** One opcode of {@code SequenceMatcher.get_opcodes()}. */
    record Op(char tag, int i1, int i2, int j1, int j2) {}

    /** The diff's lines without line ends; empty when the texts are equal. */
    public static List<String> diff(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        for (List<Op> group : groupedOpcodes(opcodes(a, b))) {
            if (out.isEmpty()) {
                out.add("--- ");
                out.add("+++ ");
            }
            Op first = group.get(0);
            Op last = group.get(group.size() - 1);
            out.add("@@ -" + range(first.i1(), last.i2()) + " +" + range(first.j1(), last.j2()) + " @@");
            for (Op op : group) {
                if (op.tag() == 'e') {
                    a.subList(op.i1(), op.i2()).forEach(l -> out.add(" " + l));
                    continue;
                }
                if (op.tag() == 'r' || op.tag() == 'd') {
                    a.subList(op.i1(), op.i2()).forEach(l -> out.add("-" + l));
                }
                if (op.tag() == 'r' || op.tag() == 'i') {
                    b.subList(op.j1(), op.j2()).forEach(l -> out.add("+" + l));
                }
            }
        }
        return out;
    }

    /** patronictl's {@code listify}: the text's lines, a trailing newline not making an empty last line. */
    public static List<String> lines(String text) {
        String t = text;
        while (t.endsWith("\n")) {
            t = t.substring(0, t.length() - 1);
        }
        return List.of(t.split("\n", -1));
    }

    private static String range(int start, int stop) {
        int beginning = start + 1;
        int length = stop - start;
        if (length == 1) {
            return Integer.toString(beginning);
        }
        if (length == 0) {
            beginning--;
        }
        return beginning + "," + length;
    }

    static List<Op> opcodes(List<String> a, List<String> b) {
        List<int[]> blocks = matchingBlocks(a, b);
        List<Op> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        for (int[] m : blocks) {
            char tag = 0;
            if (i < m[0] && j < m[1]) {
                tag = 'r';
            } else if (i < m[0]) {
                tag = 'd';
            } else if (j < m[1]) {
                tag = 'i';
            }
            if (tag != 0) {
                ops.add(new Op(tag, i, m[0], j, m[1]));
            }
            i = m[0] + m[2];
            j = m[1] + m[2];
            if (m[2] > 0) {
                ops.add(new Op('e', m[0], i, m[1], j));
            }
        }
        return ops;
    }

    private static List<List<Op>> groupedOpcodes(List<Op> codes) {
        List<Op> c = new ArrayList<>(codes);
        if (c.isEmpty()) {
            c.add(new Op('e', 0, 1, 0, 1));
        }
        Op head = c.get(0);
        if (head.tag() == 'e') {
            c.set(
                    0,
                    new Op(
                            'e',
                            Math.max(head.i1(), head.i2() - CONTEXT),
                            head.i2(),
                            Math.max(head.j1(), head.j2() - CONTEXT),
                            head.j2()));
        }
        Op tail = c.get(c.size() - 1);
        if (tail.tag() == 'e') {
            c.set(
                    c.size() - 1,
                    new Op(
                            'e',
                            tail.i1(),
                            Math.min(tail.i2(), tail.i1() + CONTEXT),
                            tail.j1(),
                            Math.min(tail.j2(), tail.j1() + CONTEXT)));
        }
        List<List<Op>> groups = new ArrayList<>();
        List<Op> group = new ArrayList<>();
        for (Op op : c) {
            int i1 = op.i1();
            int j1 = op.j1();
            if (op.tag() == 'e' && op.i2() - op.i1() > 2 * CONTEXT) {
                group.add(new Op('e', i1, Math.min(op.i2(), i1 + CONTEXT), j1, Math.min(op.j2(), j1 + CONTEXT)));
                groups.add(group);
                group = new ArrayList<>();
                i1 = Math.max(i1, op.i2() - CONTEXT);
                j1 = Math.max(j1, op.j2() - CONTEXT);
            }
            group.add(new Op(op.tag(), i1, op.i2(), j1, op.j2()));
        }
        if (!group.isEmpty() && !(group.size() == 1 && group.get(0).tag() == 'e')) {
            groups.add(group);
        }
        return groups;
    }

    /** {@code get_matching_blocks()}: triples (i, j, size), the last one (len(a), len(b), 0). */
    private static List<int[]> matchingBlocks(List<String> a, List<String> b) {
        Map<String, List<Integer>> b2j = b2j(b);
        List<int[]> found = new ArrayList<>();
        Deque<int[]> queue = new ArrayDeque<>();
        queue.push(new int[] {0, a.size(), 0, b.size()});
        while (!queue.isEmpty()) {
            int[] q = queue.pop();
            int[] m = longestMatch(a, b, b2j, q[0], q[1], q[2], q[3]);
            if (m[2] > 0) {
                found.add(m);
                if (q[0] < m[0] && q[2] < m[1]) {
                    queue.push(new int[] {q[0], m[0], q[2], m[1]});
                }
                if (m[0] + m[2] < q[1] && m[1] + m[2] < q[3]) {
                    queue.push(new int[] {m[0] + m[2], q[1], m[1] + m[2], q[3]});
                }
            }
        }
        found.sort((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]));
        List<int[]> merged = new ArrayList<>();
        int i1 = 0;
        int j1 = 0;
        int k1 = 0;
        for (int[] m : found) {
            if (i1 + k1 == m[0] && j1 + k1 == m[1]) {
                k1 += m[2];
            } else {
                if (k1 > 0) {
                    merged.add(new int[] {i1, j1, k1});
                }
                i1 = m[0];
                j1 = m[1];
                k1 = m[2];
            }
        }
        if (k1 > 0) {
            merged.add(new int[] {i1, j1, k1});
        }
        merged.add(new int[] {a.size(), b.size(), 0});
        return merged;
    }

    /** Where each line of {@code b} occurs, minus the popular lines of a long text (difflib's autojunk). */
    private static Map<String, List<Integer>> b2j(List<String> b) {
        Map<String, List<Integer>> b2j = new HashMap<>();
        for (int j = 0; j < b.size(); j++) {
            b2j.computeIfAbsent(b.get(j), k -> new ArrayList<>()).add(j);
        }
        if (b.size() >= 200) {
            int limit = b.size() / 100 + 1;
            b2j.values().removeIf(indices -> indices.size() > limit);
        }
        return b2j;
    }

    /** {@code find_longest_match}: the earliest longest block, then extended over popular lines that match. */
    private static int[] longestMatch(
            List<String> a, List<String> b, Map<String, List<Integer>> b2j, int alo, int ahi, int blo, int bhi) {
        int besti = alo;
        int bestj = blo;
        int bestsize = 0;
        Map<Integer, Integer> j2len = new HashMap<>();
        for (int i = alo; i < ahi; i++) {
            Map<Integer, Integer> newj2len = new HashMap<>();
            for (int j : b2j.getOrDefault(a.get(i), List.of())) {
                if (j < blo) {
                    continue;
                }
                if (j >= bhi) {
                    break;
                }
                int k = j2len.getOrDefault(j - 1, 0) + 1;
                newj2len.put(j, k);
                if (k > bestsize) {
                    besti = i - k + 1;
                    bestj = j - k + 1;
                    bestsize = k;
                }
            }
            j2len = newj2len;
        }
        while (besti > alo && bestj > blo && a.get(besti - 1).equals(b.get(bestj - 1))) {
            besti--;
            bestj--;
            bestsize++;
        }
        while (besti + bestsize < ahi
                && bestj + bestsize < bhi
                && a.get(besti + bestsize).equals(b.get(bestj + bestsize))) {
            bestsize++;
        }
        return new int[] {besti, bestj, bestsize};
    }
}
