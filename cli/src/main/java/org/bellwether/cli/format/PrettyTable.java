package org.bellwether.cli.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table layout of Python's prettytable as patronictl configures it: every column padded by one space, cells
 * left-aligned unless said otherwise (headers follow their column), a frame of {@code +}, {@code -} and {@code |},
 * rows separated by rules only when some cell spans lines, and an optional title written into the top rule
 * ({@code + Cluster: demo (7301...) ---+------+}), cut to fit as patronictl cuts it.
 */
public final class PrettyTable {
    private PrettyTable() {}

    /**
     * @param title text for the top rule, empty for a plain rule
     * @param columns the header cells
     * @param rows the cells, already as text (a cell may hold several lines)
     * @param rightAligned the column names aligned right
     * @return the table, each line ending in a newline
     */
    public static String render(
            String title, List<String> columns, List<List<String>> rows, Map<String, ?> rightAligned) {
        int n = columns.size();
        int[] widths = new int[n];
        for (int c = 0; c < n; c++) {
            widths[c] = width(columns.get(c));
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        boolean[] right = new boolean[n];
        for (int c = 0; c < n; c++) {
            right[c] = rightAligned.containsKey(columns.get(c));
        }
        StringBuilder rule = new StringBuilder("+");
        for (int w : widths) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        boolean ruleBetweenRows = rows.stream().anyMatch(r -> r.stream().anyMatch(cell -> cell.contains("\n")));

        StringBuilder out = new StringBuilder();
        out.append(withTitle(rule.toString(), title)).append('\n');
        line(columns, widths, right, out);
        out.append(rule).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            line(rows.get(i), widths, right, out);
            if (ruleBetweenRows && i < rows.size() - 1) {
                out.append(rule).append('\n');
            }
        }
        out.append(rule).append('\n');
        return out.toString();
    }

    /** patronictl's title injection: {@code line[0] + title[:len(line) - 2] + line[1 + len(title):]}. */
    static String withTitle(String rule, String title) {
        if (title.isEmpty()) {
            return rule;
        }
        String cut = title.length() > rule.length() - 2 ? title.substring(0, Math.max(0, rule.length() - 2)) : title;
        return rule.charAt(0) + cut + rule.substring(1 + cut.length());
    }

    /** One row, as many physical lines as its tallest cell; shorter cells are blank below (top-aligned). */
    private static void line(List<String> cells, int[] widths, boolean[] right, StringBuilder out) {
        List<String[]> split = new ArrayList<>();
        int height = 1;
        for (String cell : cells) {
            String[] lines = cell.split("\n", -1);
            split.add(lines);
            height = Math.max(height, lines.length);
        }
        for (int h = 0; h < height; h++) {
            out.append('|');
            for (int c = 0; c < widths.length; c++) {
                String[] lines = split.get(c);
                String text = h < lines.length ? lines[h] : "";
                String pad = " ".repeat(widths[c] - width(text));
                out.append(' ').append(right[c] ? pad + text : text + pad).append(" |");
            }
            out.append('\n');
        }
    }

    private static int width(String cell) {
        int max = 0;
        for (String line : cell.split("\n", -1)) {
            max = Math.max(max, line.codePointCount(0, line.length()));
        }
        return max;
    }
}
