package org.bellwether.dcs;

import static org.bellwether.dcs.JsonValues.JSON;
import static org.bellwether.dcs.JsonValues.shown;
import static org.bellwether.dcs.JsonValues.write;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.PatroniTime;
import org.bellwether.core.SyncState;

/**
 * The values of Patroni's keys, byte for byte as Patroni writes them and as leniently as Patroni reads them. Pure: no
 * I/O, no clock. JSON is written compactly ({@code separators=(',', ':')}), as Patroni does.
 *
 * <p>The decoders here throw {@link IllegalArgumentException} for a value they cannot make sense of; they are the
 * convenient face of {@link MemberDecoder} and {@link KeyDecoders}, which never throw and say what was wrong with a
 * value ({@link Decoded}). {@link ClusterAssembler} reads a cluster with those.
 */
public final class PatroniCodec {
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
            if (!MemberDecoder.MEMBER_FIELDS.contains(k)) {
                node.set(k, JSON.valueToTree(v));
            }
        });
        return write(node);
    }

    /**
     * Reads a member key (also Governor's legacy {@code postgres://...} string and {@code conn_kwargs}); fields that
     * cannot be used are left out ({@link #readMember} says which).
     *
     * @throws IllegalArgumentException when nothing usable is left
     */
    public static Member decodeMember(String name, String value) {
        return readMember(name, value).orElseThrow();
    }

    /** {@link #decodeMember} with its problems, never throwing. */
    public static Decoded<Member> readMember(String name, String value) {
        return MemberDecoder.decode(name, value);
    }

    // ---- config ----------------------------------------------------------------------------------------------------

    public static String encodeConfig(Map<String, Object> config) {
        return write(JSON.valueToTree(new TreeMap<>(config)));
    }

    /** @throws IllegalArgumentException when the value is not a JSON object */
    public static ClusterConfig decodeConfig(String value, long version) {
        return JsonValues.parseObject(value)
                .value()
                .map(node -> new ClusterConfig(JsonValues.toSortedMap(node), version))
                .orElseThrow(() -> new IllegalArgumentException("config is not a JSON object: " + shown(value)));
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

    /** Accepts the object form and a bare integer (older Patroni); fields that cannot be used are ignored. */
    public static Status decodeStatus(String value) {
        return KeyDecoders.status(value).orElseThrow();
    }

    /** The legacy {@code optime/leader} key: an LSN as a decimal string. */
    public static Lsn decodeLegacyOptime(String value) {
        return KeyDecoders.legacyOptime(value).orElseThrow();
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

    /** Lines that cannot be used are left out; throws only when the value is not a JSON array. */
    public static List<HistoryEntry> decodeHistory(String value) {
        return KeyDecoders.history(value).orElseThrow();
    }

    // ---- failover --------------------------------------------------------------------------------------------------

    /**
     * {@code {"leader": ..., "member": ..., "scheduled_at": ...}}: the candidate is {@code member}; absent = omitted.
     *
     * @throws IllegalArgumentException for a {@code scheduled_at} Patroni could not read back ({@link PatroniTime}):
     *     a Patroni leader that cannot parse the key fails its whole DCS read and demotes
     */
    public static String encodeFailover(FailoverIntent intent) {
        intent.scheduledAt().filter(at -> !PatroniTime.isReadable(at)).ifPresent(at -> {
            throw new IllegalArgumentException(
                    "failover scheduled_at " + at + " is outside the years 0001 to 9999 (UTC) that Patroni can read");
        });
        ObjectNode node = JSON.createObjectNode();
        intent.leader().ifPresent(v -> node.put("leader", v));
        intent.candidate().ifPresent(v -> node.put("member", v));
        intent.scheduledAt().ifPresent(v -> node.put("scheduled_at", isoFormat(v)));
        return write(node);
    }

    /**
     * Also reads the legacy {@code "leader:candidate"} string; a JSON value that is not an object, or a
     * {@code scheduled_at} that cannot be read, means no request. Never throws.
     */
    public static FailoverIntent decodeFailover(String value, long version) {
        return KeyDecoders.failover(value, version).orElseThrow();
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

    /** As Patroni: a value that is not an object with a leader reads as the empty state, keeping its version. */
    public static SyncState decodeSync(String value, long version) {
        return KeyDecoders.sync(value, version).orElseThrow();
    }

    // ---- failsafe --------------------------------------------------------------------------------------------------

    /** {@code {member: api_url, ...}} including the leader itself. */
    public static String encodeFailsafe(SortedMap<String, String> failsafe) {
        return write(JSON.valueToTree(failsafe));
    }

    /** @throws IllegalArgumentException when the value is not a JSON object */
    public static SortedMap<String, String> decodeFailsafe(String value) {
        return KeyDecoders.failsafe(value).orElseThrow();
    }
}
