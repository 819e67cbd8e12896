package org.bellwether.cli.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * patronictl's {@code print_output}: the same rows as a pretty table, tab-separated values, JSON or YAML. Returns
 * the text to print, ending in a newline, exactly as patronictl's {@code click.echo} would write it.
 */
public final class Output {
    private Output() {}

    /** The formats of {@code -f/--format}; {@code topology} is the table of the {@code topology} command. */
    public enum Format {
        PRETTY,
        TSV,
        JSON,
        YAML,
        TOPOLOGY;

        /** Parses a format name as patronictl accepts it ({@code yml} is YAML). */
        public static Optional<Format> parse(String name) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            return switch (n) {
                case "pretty" -> Optional.of(PRETTY);
                case "tsv" -> Optional.of(TSV);
                case "json" -> Optional.of(JSON);
                case "yaml", "yml" -> Optional.of(YAML);
                case "topology" -> Optional.of(TOPOLOGY);
                default -> Optional.empty();
            };
        }

        public boolean isTable() {
            return this == PRETTY || this == TOPOLOGY;
        }

        public boolean isMachine() {
            return this == JSON || this == YAML;
        }
    }

    /**
     * @param columns the header, or empty for rows without one (a failed query)
     * @param rows the values; Python's {@code str()} of each is what tables and TSV show
     * @param rightAligned columns aligned right in tables
     * @param title text in the top rule of a table; for JSON and YAML a non-empty title also drops empty values, as
     *     patronictl does for member lists
     */
    public static String print(
            List<String> columns,
            List<List<Object>> rows,
            Set<String> rightAligned,
            Format format,
            String title,
            String delimiter) {
        if (format.isMachine()) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (List<Object> row : rows) {
                Map<String, Object> record = new LinkedHashMap<>();
                for (int i = 0; i < Math.min(columns.size(), row.size()); i++) {
                    Object v = row.get(i);
                    if (title.isEmpty() || !PyValues.str(v).isEmpty()) {
                        record.put(columns.get(i), v);
                    }
                }
                records.add(record);
            }
            return records(records, format);
        }
        if (format == Format.TSV) {
            StringBuilder out = new StringBuilder();
            if (!columns.isEmpty()) {
                out.append(String.join(delimiter, columns)).append('\n');
            }
            for (List<Object> row : rows) {
                out.append(String.join(
                                delimiter, row.stream().map(PyValues::str).toList()))
                        .append('\n');
            }
            return out.toString();
        }
        List<String> header = columns;
        if (header.isEmpty() && !rows.isEmpty()) {
            // prettytable's default names for a table given no header
            header = new ArrayList<>();
            for (int i = 1; i <= rows.get(0).size(); i++) {
                header.add("Field " + i);
            }
        }
        List<List<String>> cells =
                rows.stream().map(r -> r.stream().map(PyValues::str).toList()).toList();
        Map<String, Boolean> right = new LinkedHashMap<>();
        rightAligned.forEach(c -> right.put(c, true));
        return PrettyTable.render(title, header, cells, right);
    }

    /** JSON (one line) or YAML (a document and a blank line, as {@code click.echo} of PyYAML's text prints it). */
    public static String records(Object records, Format format) {
        return format == Format.JSON ? PyJson.dumps(records) + "\n" : PyYaml.dump(records) + "\n";
    }
}
