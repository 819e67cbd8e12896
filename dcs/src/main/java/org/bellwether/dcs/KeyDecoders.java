package org.bellwether.dcs;

import static org.bellwether.dcs.JsonValues.MAX_TIMELINE;
import static org.bellwether.dcs.JsonValues.nonBlank;
import static org.bellwether.dcs.JsonValues.scalarText;
import static org.bellwether.dcs.JsonValues.shown;
import static org.bellwether.dcs.JsonValues.text;
import static org.bellwether.dcs.JsonValues.whole;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.PatroniTime;
import org.bellwether.core.SyncState;
import org.bellwether.core.SystemIdentifier;
import org.bellwether.core.Timeline;

/**
 * The values of Patroni's keys other than members, read as leniently as Patroni reads them and checked: each decoder
 * returns a usable value and the problems it found, or no value and why. None throws. Where Patroni reads garbage as
 * "empty but present" ({@code config}, {@code failover}, {@code sync}) the empty value keeps the key's version, so the
 * leader or an operator can replace it with compare-and-set.
 */
final class KeyDecoders {
    private KeyDecoders() {}

    /** Kept as it is ({@code ""} while a bootstrap is under way); anything else but a system identifier is reported. */
    static Decoded<String> initialize(String value) {
        if (value.isEmpty() || SystemIdentifier.isValid(value)) {
            return Decoded.of(value, List.of());
        }
        return Decoded.of(
                value,
                List.of(shown(value) + " is not a PostgreSQL system identifier: no data directory is refused for it,"
                        + " and the leader writes its own"));
    }

    /** A name no node can have is no holder: the key is reported as held by nobody ({@link ClusterView#invalidLeader}). */
    static boolean isHolder(String value) {
        return Member.isValidName(value);
    }

    static String invalidLeaderProblem(String value) {
        return shown(value) + " names no node, so nobody can renew it; it counts as expired once it stays unchanged"
                + " for ttl, and is then deleted";
    }

    static Decoded<ClusterConfig> config(String value, long version) {
        Decoded<JsonNode> parsed = JsonValues.parseObject(value);
        if (parsed.value().isEmpty()) {
            List<String> problems = new ArrayList<>(parsed.problems());
            problems.add("read as an empty configuration");
            return Decoded.of(new ClusterConfig(new TreeMap<>(), version), problems);
        }
        return Decoded.of(
                new ClusterConfig(JsonValues.toSortedMap(parsed.value().get()), version), List.of());
    }

    /** Accepts the object form and a bare integer (older Patroni); fields that cannot be used are left out. */
    static Decoded<PatroniCodec.Status> status(String value) {
        Decoded<JsonNode> parsed = JsonValues.parse(value);
        if (parsed.value().isEmpty()) {
            return new Decoded<>(Optional.empty(), parsed.problems());
        }
        JsonNode node = parsed.value().get();
        List<String> problems = new ArrayList<>();
        if (node.isNumber()) {
            Optional<Lsn> optime =
                    whole(node, "optime", 0, Long.MAX_VALUE, problems).map(Lsn::new);
            return Decoded.of(new PatroniCodec.Status(optime, new TreeMap<>(), List.of()), problems);
        }
        if (!node.isObject()) {
            return Decoded.unreadable("neither an object nor an integer: " + shown(value));
        }
        Optional<Lsn> optime = JsonValues.lsn(node, "optime", problems);
        SortedMap<String, Lsn> slots = new TreeMap<>();
        JsonNode slotNode = node.get("slots");
        if (slotNode != null && slotNode.isObject()) {
            slotNode.properties()
                    .forEach(e -> whole(e.getValue(), "slot " + shown(e.getKey()), 0, Long.MAX_VALUE, problems)
                            .ifPresent(lsn -> slots.put(e.getKey(), new Lsn(lsn))));
        } else if (slotNode != null && !slotNode.isNull()) {
            problems.add("slots is not an object, ignored: " + shown(slotNode.toString()));
        }
        List<String> retain = new ArrayList<>();
        JsonNode retainNode = node.get("retain_slots");
        if (retainNode != null && retainNode.isArray()) {
            retainNode.forEach(n -> {
                if (n.isTextual()) {
                    retain.add(n.textValue());
                } else {
                    problems.add("retain_slots holds a value that is not a name, ignored: " + shown(n.toString()));
                }
            });
        } else if (retainNode != null && !retainNode.isNull()) {
            problems.add("retain_slots is not a list, ignored: " + shown(retainNode.toString()));
        }
        return Decoded.of(new PatroniCodec.Status(optime, slots, retain), problems);
    }

    /** The legacy {@code optime/leader} key: an LSN as a decimal string. */
    static Decoded<Lsn> legacyOptime(String value) {
        try {
            long lsn = Long.parseLong(value.strip());
            if (lsn >= 0) {
                return Decoded.of(new Lsn(lsn), List.of());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return Decoded.unreadable("not a decimal LSN: " + shown(value));
    }

    /** Lines that are not {@code [timeline, lsn, ...]} with a usable timeline and LSN are left out and reported. */
    static Decoded<List<HistoryEntry>> history(String value) {
        Decoded<JsonNode> parsed = JsonValues.parse(value);
        if (parsed.value().isEmpty()) {
            return new Decoded<>(Optional.empty(), parsed.problems());
        }
        JsonNode node = parsed.value().get();
        if (!node.isArray()) {
            return Decoded.unreadable("not a JSON array: " + shown(value));
        }
        List<String> problems = new ArrayList<>();
        List<HistoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            historyLine(node.get(i), "line " + (i + 1), problems).ifPresent(entries::add);
        }
        return Decoded.of(entries, problems);
    }

    private static Optional<HistoryEntry> historyLine(JsonNode line, String what, List<String> problems) {
        if (!line.isArray() || line.size() < 2) {
            problems.add(what + " is not [timeline, lsn, reason, ...], left out: " + shown(line.toString()));
            return Optional.empty();
        }
        List<String> lineProblems = new ArrayList<>();
        Optional<Long> timeline = whole(line.get(0), what + " timeline", 1, MAX_TIMELINE, lineProblems);
        Optional<Long> lsn = whole(line.get(1), what + " lsn", 0, Long.MAX_VALUE, lineProblems);
        if (timeline.isEmpty() || lsn.isEmpty()) {
            lineProblems.forEach(p -> problems.add(p.replace(", ignored", ", line left out")));
            return Optional.empty();
        }
        return Optional.of(new HistoryEntry(
                new Timeline(timeline.get().intValue()),
                new Lsn(lsn.get()),
                scalarText(line.get(2), what + " reason", problems).orElse(""),
                scalarText(line.get(3), what + " timestamp", problems),
                scalarText(line.get(4), what + " new leader", problems)));
    }

    /**
     * Also reads the legacy {@code "leader:candidate"} string. A JSON value that is not an object, or one whose
     * {@code scheduled_at} cannot be read or lies outside what Patroni reads, is no request: acting on its names
     * without its time would turn a scheduled switchover into an immediate one.
     */
    static Decoded<FailoverIntent> failover(String value, long version) {
        FailoverIntent none = new FailoverIntent(Optional.empty(), Optional.empty(), Optional.empty(), version);
        String text = value.strip();
        if (text.isEmpty()) {
            return Decoded.of(none, List.of());
        }
        Decoded<JsonNode> parsed = JsonValues.parse(text);
        if (parsed.value().isEmpty()) {
            String[] parts = text.split(":", -1);
            return Decoded.of(
                    new FailoverIntent(
                            nonBlank(parts[0]),
                            parts.length > 1 ? nonBlank(parts[1]) : Optional.empty(),
                            Optional.empty(),
                            version),
                    List.of());
        }
        JsonNode node = parsed.value().get();
        if (!node.isObject()) {
            return Decoded.of(none, List.of("not a JSON object, read as no request: " + shown(text)));
        }
        List<String> problems = new ArrayList<>();
        Optional<String> schedule = text(node, "scheduled_at", problems).flatMap(JsonValues::nonBlank);
        Optional<Instant> scheduledAt = schedule.flatMap(s -> scheduledAt(s, problems));
        if (schedule.isPresent() && scheduledAt.isEmpty()) {
            return Decoded.of(none, problems);
        }
        return Decoded.of(
                new FailoverIntent(
                        text(node, "leader", problems).flatMap(JsonValues::nonBlank),
                        text(node, "member", problems).flatMap(JsonValues::nonBlank),
                        scheduledAt,
                        version),
                problems);
    }

    private static Optional<Instant> scheduledAt(String text, List<String> problems) {
        try {
            OffsetDateTime time = OffsetDateTime.parse(text.replaceFirst(" ", "T"));
            Optional<String> unreadable = PatroniTime.whyUnreadable(time);
            if (unreadable.isEmpty()) {
                return Optional.of(time.toInstant());
            }
            problems.add("scheduled_at " + shown(text) + ": " + unreadable.get() + ", read as no request");
        } catch (DateTimeParseException e) {
            problems.add("scheduled_at " + shown(text) + " is not an ISO 8601 time with an offset, read as no request");
        }
        return Optional.empty();
    }

    /**
     * As Patroni: a value that is not an object with a leader reads as the empty state, keeping its version; standbys
     * and quorum only count when there is a leader. A quorum that is no whole number from 0 to the number of standbys
     * reads as all of them: the strictest reading, kept until the leader writes the key again.
     */
    static Decoded<SyncState> sync(String value, long version) {
        SyncState empty = new SyncState(Optional.empty(), List.of(), 0, version);
        Decoded<JsonNode> parsed = JsonValues.parse(value);
        if (parsed.value().isEmpty() || !parsed.value().get().isObject()) {
            return Decoded.of(empty, List.of("not a JSON object, read as no synchronous state: " + shown(value)));
        }
        JsonNode node = parsed.value().get();
        List<String> problems = new ArrayList<>();
        Optional<String> leader = text(node, "leader", problems).flatMap(JsonValues::nonBlank);
        if (leader.isEmpty()) {
            return Decoded.of(empty, problems);
        }
        TreeSet<String> standbys = new TreeSet<>();
        text(node, "sync_standby", problems).ifPresent(s -> {
            for (String name : s.split(",")) {
                if (Member.isValidName(name.strip())) {
                    standbys.add(name.strip());
                } else if (!name.isBlank()) {
                    // Fewer standbys named is the stricter reading: only those named may be promoted.
                    problems.add("sync_standby names " + shown(name) + ", which no node can be called: left out");
                }
            }
        });
        if (!Member.isValidName(leader.get())) {
            problems.add("leader " + shown(leader.get()) + " is no node's name");
        }
        int quorum = 0;
        JsonNode quorumNode = node.get("quorum");
        if (quorumNode != null && !quorumNode.isNull()) {
            quorum = whole(quorumNode, "quorum", 0, standbys.size(), problems)
                    .map(Long::intValue)
                    .orElse(standbys.size());
        }
        return Decoded.of(new SyncState(leader, new ArrayList<>(standbys), quorum, version), problems);
    }

    /**
     * {@code {member: api_url}}. Every named member stays in, since the primary must reach each one while the DCS is
     * down and leaving one out would ask fewer: an address that is no HTTP URL is reported and kept (as {@code ""}
     * when it is not even text), so that member simply cannot acknowledge.
     */
    static Decoded<SortedMap<String, String>> failsafe(String value) {
        Decoded<JsonNode> parsed = JsonValues.parseObject(value);
        if (parsed.value().isEmpty()) {
            return new Decoded<>(Optional.empty(), parsed.problems());
        }
        List<String> problems = new ArrayList<>();
        SortedMap<String, String> members = new TreeMap<>();
        parsed.value().get().properties().forEach(e -> {
            String what = "the address of " + shown(e.getKey());
            JsonNode address = e.getValue();
            String url = address.isTextual() ? address.textValue() : "";
            if (!address.isTextual()) {
                problems.add(what + " is not a string: " + shown(address.toString()));
            } else if (!JsonValues.isHttpUrl(url)) {
                problems.add(what + " is not an http(s) URL with a host: " + shown(url));
            }
            members.put(e.getKey(), url);
        });
        return Decoded.of(members, problems);
    }
}
