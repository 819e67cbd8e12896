package org.bellwether.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.TimelineHistory;

/**
 * PostgreSQL's timeline history files ({@code pg_wal/0000000N.history}): one line per timeline that ended before
 * timeline N, {@code <timeline> TAB <switch LSN> TAB <reason>}. The same text is what the replication command
 * {@code TIMELINE_HISTORY} returns.
 */
final class TimelineHistoryFile {
    private TimelineHistoryFile() {}

    /** {@code 00000002.history} for timeline 2. */
    static String fileName(Timeline timeline) {
        return String.format(Locale.ROOT, "%08X.history", timeline.value());
    }

    /**
     * The lines of a history file. As in Patroni's {@code parse_history}, a line counts only with exactly three
     * tab-separated fields that parse; comments and blank lines are skipped.
     */
    static List<HistoryEntry> parse(String content) {
        List<HistoryEntry> lines = new ArrayList<>();
        for (String line : content.split("\n")) {
            String[] fields = line.strip().split("\t");
            if (fields.length != 3) {
                continue;
            }
            try {
                lines.add(new HistoryEntry(
                        new Timeline(Integer.parseInt(fields[0].trim())),
                        Lsn.parse(fields[1].trim()),
                        fields[2],
                        Optional.empty(),
                        Optional.empty()));
            } catch (IllegalArgumentException e) {
                // Not a history line (NumberFormatException is one): skipped, as Patroni does.
            }
        }
        return List.copyOf(lines);
    }

    /**
     * This server's history on {@code timeline}, read from its data directory; the last line carries the file's
     * modification time, which is when the promotion that started {@code timeline} happened (Patroni publishes it).
     * Empty on timeline 1 or when the file cannot be read.
     */
    static List<HistoryEntry> read(DataDirectory dir, Timeline timeline) throws IOException {
        if (timeline.equals(Timeline.FIRST)) {
            return List.of();
        }
        Path file = dir.resolve("pg_wal").resolve(fileName(timeline));
        String content;
        Instant modified;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
            modified = Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<HistoryEntry> lines = new ArrayList<>(parse(content));
        if (!lines.isEmpty()) {
            HistoryEntry last = lines.get(lines.size() - 1);
            lines.set(
                    lines.size() - 1,
                    new HistoryEntry(
                            last.timeline(),
                            last.switchLsn(),
                            last.reason(),
                            Optional.of(TimelineHistory.timestamp(modified)),
                            Optional.empty()));
        }
        return List.copyOf(lines);
    }
}
