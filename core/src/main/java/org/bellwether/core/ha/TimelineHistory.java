package org.bellwether.core.ha;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Timeline;

/**
 * The {@code history} key and PostgreSQL's timeline history files: which lines the leader still has to publish, and
 * how a line is added to what the key holds.
 */
public final class TimelineHistory {
    /** Patroni writes Python's {@code isoformat()} of an aware datetime: microseconds and a {@code +00:00} offset. */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private TimelineHistory() {}

    /**
     * The lines the leader adds to the {@code history} key, in order; empty when the key is up to date. As in
     * Patroni, the key is up to date when its last line is the one of the timeline before the leader's current one
     * and carries the timestamp and the new leader's name. Otherwise the leader's own history file is the truth:
     * from the first line where the key differs, its lines are (re)written, the last one with the file's timestamp
     * (or now) and this node's name, earlier ones keeping the timestamp and name the key already had for them.
     */
    static List<HistoryEntry> missingLines(
            List<HistoryEntry> published, List<HistoryEntry> local, Timeline current, String self, Instant now) {
        if (local.isEmpty() || isUpToDate(published, current)) {
            return List.of();
        }
        List<HistoryEntry> wanted = new ArrayList<>();
        for (HistoryEntry line : local) {
            boolean promotionOfThisTimeline = line.timeline().next().equals(current);
            wanted.add(promotionOfThisTimeline ? stamped(line, self, now) : enriched(line, published));
        }
        for (int i = 0; i < wanted.size(); i++) {
            HistoryEntry line = wanted.get(i);
            if (!published.contains(line)) {
                return List.copyOf(wanted.subList(i, wanted.size()));
            }
        }
        // Every line is there, but the key also holds lines past them (from a history this leader does not share):
        // rewriting the last line drops those.
        return List.of(wanted.get(wanted.size() - 1));
    }

    /** {@code base} with {@code entry} added: lines of its timeline and later are replaced by it. */
    public static List<HistoryEntry> appended(List<HistoryEntry> base, HistoryEntry entry) {
        List<HistoryEntry> result = new ArrayList<>();
        for (HistoryEntry line : base) {
            if (line.timeline().isBefore(entry.timeline())) {
                result.add(line);
            }
        }
        result.add(entry);
        return List.copyOf(result);
    }

    /** The newest {@code max} lines of {@code history}, as Patroni keeps them; all of them when {@code max} is 0. */
    public static List<HistoryEntry> capped(List<HistoryEntry> history, int max) {
        if (max <= 0 || history.size() <= max) {
            return history;
        }
        return List.copyOf(history.subList(history.size() - max, history.size()));
    }

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static boolean isUpToDate(List<HistoryEntry> published, Timeline current) {
        if (published.isEmpty()) {
            return false;
        }
        HistoryEntry last = published.get(published.size() - 1);
        return last.timeline().next().equals(current)
                && last.timestamp().isPresent()
                && last.newLeader().isPresent();
    }

    private static HistoryEntry stamped(HistoryEntry line, String self, Instant now) {
        String when = line.timestamp().orElseGet(() -> timestamp(now));
        return new HistoryEntry(line.timeline(), line.switchLsn(), line.reason(), Optional.of(when), Optional.of(self));
    }

    /** A line of an earlier promotion keeps the timestamp and leader the key has for it, if the key agrees on it. */
    private static HistoryEntry enriched(HistoryEntry line, List<HistoryEntry> published) {
        for (HistoryEntry p : published) {
            if (p.timeline().equals(line.timeline()) && p.switchLsn().equals(line.switchLsn())) {
                return new HistoryEntry(line.timeline(), line.switchLsn(), p.reason(), p.timestamp(), p.newLeader());
            }
        }
        return new HistoryEntry(line.timeline(), line.switchLsn(), line.reason(), Optional.empty(), Optional.empty());
    }
}
