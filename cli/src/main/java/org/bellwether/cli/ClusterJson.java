package org.bellwether.cli;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SynchronousMode;

/**
 * Patroni's {@code cluster_as_json} (4.x) computed from one DCS read: what {@code GET /cluster} answers and what
 * patronictl's member table is made of. Kept here rather than shared with the agent's REST resource because the tool
 * must not depend on agent internals; both follow the same Patroni function.
 */
final class ClusterJson {
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private ClusterJson() {}

    /** Nothing at all stored for the cluster: a name that does not exist (or a cluster removed). */
    static boolean isAbsent(ClusterView view) {
        return view.initialize().isEmpty()
                && view.config().isEmpty()
                && view.leader().isEmpty()
                && view.members().isEmpty()
                && view.history().isEmpty()
                && view.failover().isEmpty()
                && view.sync().isEmpty()
                && view.optime().isEmpty();
    }

    static HaSettings settings(ClusterView view) {
        return view.config().map(ClusterConfig::settings).orElse(HaSettings.defaults());
    }

    /** {@code loop_wait} as stored (patronictl reports it unadjusted), else Patroni's default of 10 seconds. */
    static long loopWait(ClusterView view) {
        return view.config()
                .map(c -> c.raw().get("loop_wait"))
                .flatMap(org.bellwether.core.ConfigRules::parseLong)
                .filter(n -> n > 0)
                .orElse((long) HaSettings.DEFAULT_LOOP_WAIT);
    }

    /** Patroni's {@code is_standby_cluster}: a {@code standby_cluster} section naming where to replicate from. */
    static boolean isStandbyCluster(ClusterView view) {
        Object standby = view.config().map(c -> c.raw().get("standby_cluster")).orElse(null);
        if (!(standby instanceof Map<?, ?> m)) {
            return false;
        }
        return present(m.get("host")) || present(m.get("port")) || present(m.get("restore_command"));
    }

    private static boolean present(Object v) {
        return v != null && !(v instanceof String s && s.isEmpty());
    }

    /** The cluster as {@code cluster_as_json} builds it: {@code members}, {@code pause}, {@code scheduled_switchover}. */
    static Map<String, Object> of(ClusterView view) {
        HaSettings settings = settings(view);
        boolean standby = isStandbyCluster(view);
        String syncRole = settings.synchronousMode() == SynchronousMode.QUORUM ? "quorum_standby" : "sync_standby";
        Lsn clusterLsn = view.optime().orElse(Lsn.ZERO);
        List<Map<String, Object>> members = new ArrayList<>();
        for (Member m : view.members()) {
            boolean leader = view.isLeader(m.name());
            String role;
            if (leader) {
                role = standby ? "standby_leader" : "leader";
            } else if (settings.synchronousMode() != SynchronousMode.OFF && inSync(view, m.name())) {
                role = syncRole;
            } else {
                role = "replica";
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", m.name());
            json.put("role", role);
            String state = role.equals("leader") ? "" : m.replicationState().orElse("");
            json.put("state", state.isEmpty() ? m.state() : state);
            json.put("api_url", m.apiUrl().orElse(null));
            Optional<Address> address = m.connUrl().flatMap(ClusterJson::address);
            address.ifPresent(a -> {
                json.put("host", a.host());
                json.put("port", a.port());
            });
            m.timeline().ifPresent(t -> json.put("timeline", t.value()));
            if (m.pendingRestart()) {
                json.put("pending_restart", true);
            }
            for (String key : List.of("pending_restart_reason", "scheduled_restart")) {
                if (m.extra().containsKey(key)) {
                    json.put(key, m.extra().get(key));
                }
            }
            if (!m.tags().all().isEmpty()) {
                json.put("tags", new LinkedHashMap<>(m.tags().all()));
            }
            if (!leader) {
                lag(json, "receive_", m.receiveLsn(), clusterLsn);
                lag(json, "replay_", m.replayLsn(), clusterLsn);
                lag(json, "", m.xlogLocation(), clusterLsn);
            }
            members.add(json);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("members", members);
        if (view.isPaused()) {
            out.put("pause", true);
        }
        view.failover().flatMap(ClusterJson::scheduledSwitchover).ifPresent(s -> out.put("scheduled_switchover", s));
        return out;
    }

    /** A member ahead of the last published optime lags 0; an unknown position (absent or 0) is {@code unknown}. */
    private static void lag(Map<String, Object> json, String prefix, Optional<Lsn> lsn, Lsn clusterLsn) {
        if (lsn.isEmpty() || lsn.get().value() == 0) {
            json.put(prefix + "lsn", "unknown");
            json.put(prefix + "lag", "unknown");
            return;
        }
        json.put(prefix + "lag", Math.max(0, clusterLsn.minus(lsn.get())));
        json.put(prefix + "lsn", lsn.get().toString());
    }

    private static boolean inSync(ClusterView view, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return view.sync()
                .map(s -> s.syncStandbys().stream()
                        .anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower)))
                .orElse(false);
    }

    private static Optional<Map<String, Object>> scheduledSwitchover(FailoverIntent intent) {
        if (intent.scheduledAt().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", isoFormat(intent.scheduledAt().get()));
        intent.leader().ifPresent(l -> json.put("from", l));
        intent.candidate().ifPresent(c -> json.put("to", c));
        return Optional.of(json);
    }

    /** Python's {@code isoformat()} of an aware time in UTC: microseconds only when not zero. */
    static String isoFormat(Instant instant) {
        var time = instant.atOffset(ZoneOffset.UTC);
        return (time.getNano() / 1000 == 0 ? ISO_SECONDS : ISO_MICROS).format(time);
    }

    /** Host and port of a {@code conn_url}, as Patroni's {@code conn_kwargs}: the port defaults to 5432. */
    record Address(String host, int port, String dbname) {}

    static Optional<Address> address(String connUrl) {
        try {
            URI uri = URI.create(connUrl);
            String host = uri.getHost();
            if (host == null || host.isEmpty()) {
                return Optional.empty();
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            return Optional.of(new Address(
                    host, uri.getPort() < 0 ? 5432 : uri.getPort(), path.startsWith("/") ? path.substring(1) : path));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
