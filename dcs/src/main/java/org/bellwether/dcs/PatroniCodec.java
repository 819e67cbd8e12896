package org.bellwether.dcs;

import static org.bellwether.dcs.JsonValues.JSON;
import static org.bellwether.dcs.JsonValues.abbreviate;
import static org.bellwether.dcs.JsonValues.bool;
import static org.bellwether.dcs.JsonValues.longValue;
import static org.bellwether.dcs.JsonValues.lsn;
import static org.bellwether.dcs.JsonValues.nonBlank;
import static org.bellwether.dcs.JsonValues.optionalText;
import static org.bellwether.dcs.JsonValues.present;
import static org.bellwether.dcs.JsonValues.read;
import static org.bellwether.dcs.JsonValues.readObject;
import static org.bellwether.dcs.JsonValues.text;
import static org.bellwether.dcs.JsonValues.toSortedMap;
import static org.bellwether.dcs.JsonValues.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SyncState;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;

/**
 * The values of Patroni's keys, byte for byte as Patroni writes them and as leniently as Patroni reads them. Pure: no
 * I/O, no clock. Decoders throw {@link IllegalArgumentException} for a value they cannot make sense of; the caller
 * decides whether to skip the key. JSON is written compactly ({@code separators=(',', ':')}), as Patroni does.
 */
public final class PatroniCodec {
    /** Member fields with a typed home in {@link Member}; everything else rides in {@link Member#extra()}. */
    private static final Set<String> MEMBER_FIELDS = Set.of(
            "conn_url",
            "api_url",
            "state",
            "role",
            "version",
            "xlog_location",
            "receive_lsn",
            "replay_lsn",
            "replication_state",
            "timeline",
            "tags",
            "pending_restart",
            "pause",
            "checkpoint_after_promote");

    /** Python's {@code datetime.isoformat()}: seconds, microseconds only when non-zero, {@code +00:00}. */
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private PatroniCodec() {}

    /** The {@code status} key: the leader's last known WAL position and its replication slots' positions. */
    public record Status(Optional<Lsn> optime, SortedMap<String, Lsn> slots, List<String> retainSlots) {
        public static final Status EMPTY = new Status(Optional.empty(), new TreeMap<>(), List.of());

        public Status {
            slots = Collections.unmodifiableSortedMap(new TreeMap<>(slots));
            retainSlots = List.copyOf(retainSlots);
        }
    }

    // ---- members/<name> ------------------------------------------------------------------------------------------

    public static String encodeMember(Member member) {
        ObjectNode node = JSON.createObjectNode();
        member.connUrl().ifPresent(v -> node.put("conn_url", v));
        member.apiUrl().ifPresent(v -> node.put("api_url", v));
        node.put("state", member.state());
        node.put("role", member.role().wire());
        member.version().ifPresent(v -> node.put("version", v));
        member.xlogLocation().ifPresent(v -> node.put("xlog_location", v.value()));
        member.receiveLsn().ifPresent(v -> node.put("receive_lsn", v.value()));
        member.replayLsn().ifPresent(v -> node.put("replay_lsn", v.value()));
        member.replicationState().ifPresent(v -> node.put("replication_state", v));
        member.timeline().ifPresent(v -> node.put("timeline", v.value()));
        if (!member.tags().all().isEmpty()) {
            node.set("tags", JSON.valueToTree(member.tags().all()));
        }
        if (member.pendingRestart()) {
            node.put("pending_restart", true);
        }
        if (member.paused()) {
            node.put("pause", true);
        }
        member.checkpointAfterPromote().ifPresent(v -> node.put("checkpoint_after_promote", v));
        member.extra().forEach((k, v) -> {
            if (!MEMBER_FIELDS.contains(k)) {
                node.set(k, JSON.valueToTree(v));
            }
        });
        return write(node);
    }

    /**
     * Reads a member key. Besides the JSON object, accepts Governor's legacy string
     * {@code postgres://user:pw@host:port/db?application_name=<api_url>} and the legacy {@code conn_kwargs} object
     * in place of {@code conn_url}.
     */
    public static Member decodeMember(String name, String value) {
        String text = value.strip();
        if (text.startsWith("postgres")) {
            return legacyMember(name, text);
        }
        JsonNode node = readObject(text, "member " + name);
        Optional<String> connUrl = text(node, "conn_url").or(() -> connUrlFromKwargs(node.get("conn_kwargs")));
        SortedMap<String, Object> extra = new TreeMap<>();
        node.properties().forEach(e -> {
            if (!MEMBER_FIELDS.contains(e.getKey())) {
                extra.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
            }
        });
        JsonNode tags = node.get("tags");
        if (tags != null && !tags.isNull() && !tags.isObject()) {
            throw new IllegalArgumentException("member " + name + ": tags is not an object: " + tags);
        }
        return new Member(
                name,
                text(node, "api_url"),
                connUrl,
                text(node, "state").orElse("unknown"),
                MemberRole.fromWire(text(node, "role").orElse(null)),
                text(node, "version"),
                lsn(node, "xlog_location"),
                lsn(node, "receive_lsn"),
                lsn(node, "replay_lsn"),
                text(node, "replication_state"),
                longValue(node, "timeline").map(t -> new Timeline(Math.toIntExact(t))),
                tags == null || tags.isNull() ? Tags.NONE : Tags.of(toSortedMap(tags)),
                bool(node, "pending_restart"),
                bool(node, "pause"),
                present(node, "checkpoint_after_promote").map(JsonNode::asBoolean),
                extra);
    }

    private static Member legacyMember(String name, String text) {
        int query = text.indexOf('?');
        String url = query < 0 ? text : text.substring(0, query);
        Optional<String> apiUrl = Optional.empty();
        if (query >= 0) {
            for (String pair : text.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("application_name")) {
                    apiUrl = Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return new Member(
                name,
                apiUrl,
                Optional.of(withoutPassword(url)),
                "unknown",
                MemberRole.UNINITIALIZED,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Tags.NONE,
                false,
                false,
                Optional.empty(),
                new TreeMap<>());
    }

    /**
     * Legacy values carry the replication password in the URL. Nothing here needs it (nodes use their own configured
     * credentials), and a password must never reach a log line or a status page, so it is dropped on the way in.
     */
    private static String withoutPassword(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        if (scheme < 0 || at < 0) {
            return url;
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        return colon < 0 ? url : url.substring(0, scheme + 3) + userInfo.substring(0, colon) + url.substring(at);
    }

    /** As Patroni's {@code Member.conn_url}: {@code postgresql://host:port} from {@code {"host", "port"}}. */
    private static Optional<String> connUrlFromKwargs(JsonNode kwargs) {
        if (kwargs == null || !kwargs.isObject() || !kwargs.hasNonNull("host")) {
            return Optional.empty();
        }
        String port = kwargs.hasNonNull("port") ? kwargs.get("port").asText() : "5432";
        return Optional.of("postgresql://" + kwargs.get("host").asText() + ":" + port);
    }

    // ---- config ----------------------------------------------------------------------------------------------------

    public static String encodeConfig(Map<String, Object> config) {
        return write(JSON.valueToTree(new TreeMap<>(config)));
    }

    public static ClusterConfig decodeConfig(String value, long version) {
        JsonNode node = readObject(value, "config");
        return new ClusterConfig(toSortedMap(node), version);
    }

    // ---- status and optime/leader -------------------------------------------------------------------------------

    /** {@code {"optime": <int>, "slots": {...}, "retain_slots": [...]}}, the last two only when not empty. */
    public static String encodeStatus(Status status) {
        ObjectNode node = JSON.createObjectNode();
        node.put("optime", status.optime().orElse(Lsn.ZERO).value());
        if (!status.slots().isEmpty()) {
            ObjectNode slots = node.putObject("slots");
            status.slots().forEach((k, v) -> slots.put(k, v.value()));
        }
        if (!status.retainSlots().isEmpty()) {
            ArrayNode retain = node.putArray("retain_slots");
            status.retainSlots().forEach(retain::add);
        }
        return write(node);
    }

    /** Accepts the object form and a bare integer (older Patroni); fields of the wrong type are ignored. */
    public static Status decodeStatus(String value) {
        JsonNode node = read(value, "status");
        if (node.isIntegralNumber()) {
            return new Status(Optional.of(new Lsn(node.asLong())), new TreeMap<>(), List.of());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("status is neither an object nor an integer: " + abbreviate(value));
        }
        JsonNode optime = node.get("optime");
        SortedMap<String, Lsn> slots = new TreeMap<>();
        JsonNode slotNode = node.get("slots");
        if (slotNode != null && slotNode.isObject()) {
            slotNode.properties().forEach(e -> {
                if (e.getValue().isIntegralNumber() && e.getValue().asLong() >= 0) {
                    slots.put(e.getKey(), new Lsn(e.getValue().asLong()));
                }
            });
        }
        List<String> retain = new ArrayList<>();
        JsonNode retainNode = node.get("retain_slots");
        if (retainNode != null && retainNode.isArray()) {
            retainNode.forEach(n -> {
                if (n.isTextual()) {
                    retain.add(n.asText());
                }
            });
        }
        Optional<Lsn> lsn = optime != null && optime.isIntegralNumber() && optime.asLong() >= 0
                ? Optional.of(new Lsn(optime.asLong()))
                : Optional.empty();
        return new Status(lsn, slots, retain);
    }

    /** The legacy {@code optime/leader} key: an LSN as a decimal string. */
    public static Lsn decodeLegacyOptime(String value) {
        try {
            return new Lsn(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optime/leader is not a decimal LSN: " + abbreviate(value), e);
        }
    }

    public static String encodeLegacyOptime(Lsn optime) {
        return Long.toString(optime.value());
    }

    // ---- history ---------------------------------------------------------------------------------------------------

    /** {@code [[timeline, lsn, "reason", "timestamp", "new leader"], ...]}; the last two only when known. */
    public static String encodeHistory(List<HistoryEntry> history) {
        ArrayNode lines = JSON.createArrayNode();
        for (HistoryEntry entry : history) {
            ArrayNode line = lines.addArray();
            line.add(entry.timeline().value());
            line.add(entry.switchLsn().value());
            line.add(entry.reason());
            if (entry.timestamp().isPresent() || entry.newLeader().isPresent()) {
                entry.timestamp().ifPresentOrElse(line::add, line::addNull);
            }
            entry.newLeader().ifPresent(line::add);
        }
        return write(lines);
    }

    public static List<HistoryEntry> decodeHistory(String value) {
        JsonNode node = read(value, "history");
        if (!node.isArray()) {
            throw new IllegalArgumentException("history is not a JSON array: " + abbreviate(value));
        }
        List<HistoryEntry> entries = new ArrayList<>();
        for (JsonNode line : node) {
            if (!line.isArray()
                    || line.size() < 2
                    || !line.get(0).canConvertToLong()
                    || !line.get(1).isNumber()) {
                throw new IllegalArgumentException("history line is not [timeline, lsn, reason, ...]: " + line);
            }
            entries.add(new HistoryEntry(
                    new Timeline(line.get(0).asInt()),
                    new Lsn(line.get(1).asLong()),
                    optionalText(line.get(2)).orElse(""),
                    optionalText(line.get(3)),
                    optionalText(line.get(4))));
        }
        return entries;
    }

    // ---- failover --------------------------------------------------------------------------------------------------

    /** {@code {"leader": ..., "member": ..., "scheduled_at": ...}}: the candidate is {@code member}; absent = omitted. */
    public static String encodeFailover(FailoverIntent intent) {
        ObjectNode node = JSON.createObjectNode();
        intent.leader().ifPresent(v -> node.put("leader", v));
        intent.candidate().ifPresent(v -> node.put("member", v));
        intent.scheduledAt().ifPresent(v -> node.put("scheduled_at", isoFormat(v)));
        return write(node);
    }

    /** Also reads the legacy {@code "leader:candidate"} string; a JSON value that is not an object means no request. */
    public static FailoverIntent decodeFailover(String value, long version) {
        String text = value.strip();
        if (text.isEmpty()) {
            return new FailoverIntent(Optional.empty(), Optional.empty(), Optional.empty(), version);
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String[] parts = text.split(":", -1);
            return new FailoverIntent(
                    nonBlank(parts[0]),
                    parts.length > 1 ? nonBlank(parts[1]) : Optional.empty(),
                    Optional.empty(),
                    version);
        }
        if (node == null || !node.isObject()) {
            return new FailoverIntent(Optional.empty(), Optional.empty(), Optional.empty(), version);
        }
        Optional<Instant> scheduledAt = text(node, "scheduled_at")
                .flatMap(JsonValues::nonBlank)
                .map(s -> {
                    try {
                        return OffsetDateTime.parse(s).toInstant();
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(
                                "failover scheduled_at is not an ISO-8601 time with an offset: " + s, e);
                    }
                });
        return new FailoverIntent(
                text(node, "leader").flatMap(JsonValues::nonBlank),
                text(node, "member").flatMap(JsonValues::nonBlank),
                scheduledAt,
                version);
    }

    static String isoFormat(Instant instant) {
        OffsetDateTime time = instant.atOffset(ZoneOffset.UTC);
        return (time.getNano() / 1000 == 0 ? ISO_SECONDS : ISO_MICROS).format(time);
    }

    // ---- sync --------------------------------------------------------------------------------------------------

    /** {@code {"leader": ..., "sync_standby": "a,b" or null, "quorum": n}}; standbys sorted, as Patroni writes them. */
    public static String encodeSync(SyncState sync) {
        ObjectNode node = JSON.createObjectNode();
        sync.leader().ifPresentOrElse(v -> node.put("leader", v), () -> node.putNull("leader"));
        TreeSet<String> standbys = new TreeSet<>(sync.syncStandbys());
        if (standbys.isEmpty()) {
            node.putNull("sync_standby");
        } else {
            node.put("sync_standby", String.join(",", standbys));
        }
        node.put("quorum", sync.quorum());
        return write(node);
    }

    /**
     * As Patroni: a value that is not an object with a leader reads as the empty state, keeping its version so the
     * leader can overwrite it with compare-and-set; standbys and quorum only count when there is a leader.
     */
    public static SyncState decodeSync(String value, long version) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return new SyncState(Optional.empty(), List.of(), 0, version);
        }
        Optional<String> leader = text(node, "leader").flatMap(JsonValues::nonBlank);
        if (leader.isEmpty()) {
            return new SyncState(Optional.empty(), List.of(), 0, version);
        }
        TreeSet<String> standbys = new TreeSet<>();
        text(node, "sync_standby").ifPresent(s -> {
            for (String name : s.split(",")) {
                if (!name.isBlank()) {
                    standbys.add(name.strip());
                }
            }
        });
        JsonNode quorum = node.get("quorum");
        int q = quorum != null && quorum.canConvertToInt() ? quorum.asInt() : 0;
        return new SyncState(leader, new ArrayList<>(standbys), q, version);
    }

    // ---- failsafe --------------------------------------------------------------------------------------------------

    /** {@code {member: api_url, ...}} including the leader itself. */
    public static String encodeFailsafe(SortedMap<String, String> failsafe) {
        return write(JSON.valueToTree(failsafe));
    }

    public static SortedMap<String, String> decodeFailsafe(String value) {
        JsonNode node = readObject(value, "failsafe");
        SortedMap<String, String> members = new TreeMap<>();
        node.properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                members.put(e.getKey(), e.getValue().asText());
            }
        });
        return members;
    }
}
