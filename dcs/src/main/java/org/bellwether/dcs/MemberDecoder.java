package org.bellwether.dcs;

import static org.bellwether.dcs.JsonValues.JSON;
import static org.bellwether.dcs.JsonValues.bool;
import static org.bellwether.dcs.JsonValues.lsn;
import static org.bellwether.dcs.JsonValues.present;
import static org.bellwether.dcs.JsonValues.shown;
import static org.bellwether.dcs.JsonValues.text;
import static org.bellwether.dcs.JsonValues.timeline;
import static org.bellwether.dcs.JsonValues.toSortedMap;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;

/**
 * A {@code members/<name>} value, read as leniently as Patroni reads it and checked field by field: a field that cannot
 * be used (a WAL position that is no whole number, an {@code api_url} that is no HTTP URL) is left out and reported, so
 * a peer with one bad field is still seen. A value without a usable whole (not JSON, not an object, tags that are not
 * an object) or a name no node can have is no member at all. Never throws.
 */
final class MemberDecoder {
    /** Member fields with a typed home in {@link Member}; everything else rides in {@link Member#extra()}. */
    static final Set<String> MEMBER_FIELDS = Set.of(
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

    private MemberDecoder() {}

    /**
     * Besides the JSON object, accepts Governor's legacy string
     * {@code postgres://user:pw@host:port/db?application_name=<api_url>} and the legacy {@code conn_kwargs} object in
     * place of {@code conn_url}.
     */
    static Decoded<Member> decode(String name, String value) {
        if (!Member.isValidName(name)) {
            return Decoded.unreadable("no node can be called " + shown(name));
        }
        String text = value.strip();
        if (text.startsWith("postgres")) {
            return legacy(name, text);
        }
        Decoded<JsonNode> parsed = JsonValues.parseObject(text);
        if (parsed.value().isEmpty()) {
            return new Decoded<>(Optional.empty(), parsed.problems());
        }
        JsonNode node = parsed.value().get();
        JsonNode tags = node.get("tags");
        if (tags != null && !tags.isNull() && !tags.isObject()) {
            return Decoded.unreadable("tags is not an object: " + shown(tags.toString()));
        }
        List<String> problems = new ArrayList<>();
        Optional<String> connUrl = text(node, "conn_url", problems).or(() -> fromKwargs(node.get("conn_kwargs")));
        Member member = new Member(
                name,
                checkedUrl(text(node, "api_url", problems), "api_url", true, problems),
                checkedUrl(connUrl, "conn_url", false, problems),
                text(node, "state", problems).orElse("unknown"),
                role(node, problems),
                text(node, "version", problems),
                lsn(node, "xlog_location", problems),
                lsn(node, "receive_lsn", problems),
                lsn(node, "replay_lsn", problems),
                text(node, "replication_state", problems),
                timeline(node, "timeline", problems),
                tags == null || tags.isNull() ? Tags.NONE : Tags.of(toSortedMap(tags)),
                bool(node, "pending_restart", problems),
                bool(node, "pause", problems),
                present(node, "checkpoint_after_promote").map(v -> bool(node, "checkpoint_after_promote", problems)),
                extra(node));
        return Decoded.of(member, problems);
    }

    private static MemberRole role(JsonNode node, List<String> problems) {
        Optional<String> role = text(node, "role", problems);
        MemberRole read = MemberRole.fromWire(role.orElse(null));
        if (role.isPresent() && !role.get().equals("master") && !read.wire().equals(role.get())) {
            problems.add("role " + shown(role.get()) + " is unknown, read as " + read.wire());
        }
        return read;
    }

    /**
     * A URL peers and tools connect to: {@code api_url} must be HTTP(S) and {@code conn_url} a PostgreSQL URL, each
     * with a host; otherwise it is left out. {@code conn_url} is not shown, since a legacy one carried a password.
     */
    private static Optional<String> checkedUrl(
            Optional<String> url, String field, boolean http, List<String> problems) {
        if (url.isEmpty()) {
            return url;
        }
        boolean ok = http ? JsonValues.isHttpUrl(url.get()) : JsonValues.isPostgresUrl(url.get());
        if (!ok) {
            problems.add(field + " is not a " + (http ? "http(s)" : "postgres") + " URL with a host, ignored"
                    + (http ? ": " + shown(url.get()) : ""));
            return Optional.empty();
        }
        return url;
    }

    private static SortedMap<String, Object> extra(JsonNode node) {
        SortedMap<String, Object> extra = new TreeMap<>();
        node.properties().forEach(e -> {
            if (!MEMBER_FIELDS.contains(e.getKey())) {
                extra.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
            }
        });
        return extra;
    }

    private static Decoded<Member> legacy(String name, String text) {
        List<String> problems = new ArrayList<>();
        int query = text.indexOf('?');
        String url = query < 0 ? text : text.substring(0, query);
        Optional<String> apiUrl = Optional.empty();
        if (query >= 0) {
            for (String pair : text.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("application_name")) {
                    apiUrl = urlDecoded(pair.substring(eq + 1), problems);
                }
            }
        }
        return Decoded.of(
                new Member(
                        name,
                        checkedUrl(apiUrl, "api_url", true, problems),
                        checkedUrl(Optional.of(withoutPassword(url)), "conn_url", false, problems),
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
                        new TreeMap<>()),
                problems);
    }

    private static Optional<String> urlDecoded(String text, List<String> problems) {
        try {
            return Optional.of(URLDecoder.decode(text, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            problems.add("application_name is not URL-encoded, ignored: " + shown(text));
            return Optional.empty();
        }
    }

    /**
     * Legacy values carry the replication password in the URL. Nothing here needs it (nodes use their own configured
     * credentials), and a password must never reach a log line or a status page, so it is dropped on the way in.
     */
    private static String withoutPassword(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        if (scheme < 0 || at < 0 || at < scheme) {
            return url;
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        return colon < 0 ? url : url.substring(0, scheme + 3) + userInfo.substring(0, colon) + url.substring(at);
    }

    /** As Patroni's {@code Member.conn_url}: {@code postgresql://host:port} from {@code {"host", "port"}}. */
    private static Optional<String> fromKwargs(JsonNode kwargs) {
        if (kwargs == null || !kwargs.isObject() || !kwargs.hasNonNull("host")) {
            return Optional.empty();
        }
        String port = kwargs.hasNonNull("port") ? kwargs.get("port").asText() : "5432";
        return Optional.of("postgresql://" + kwargs.get("host").asText() + ":" + port);
    }
}
