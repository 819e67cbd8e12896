package org.bellwether.agent.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SynchronousMode;
import org.bellwether.core.status.NodeStatus;
import org.bellwether.core.status.StatusAt;

/**
 * {@code GET /cluster}: the topology as this node last read it from the DCS, shaped as Patroni's
 * {@code cluster_as_json} (what {@code patronictl list} and dashboards parse). Lags are bytes behind the leader's
 * published {@code optime}.
 */
final class ClusterResource {
    private ClusterResource() {}

    static void register(Router router) {
        router.get("/cluster", ClusterResource::get);
    }

    static Response get(Request request) {
        NodeStatus status = request.status();
        ClusterView cluster = status.cluster()
                .orElseThrow(() -> new HttpError(503, "the DCS has not been read yet; cluster topology unknown"));
        StatusAt at = new StatusAt(status, request.now());
        HaSettings settings = cluster.config().map(ClusterConfig::settings).orElse(status.settings());
        ObjectNode json = Json.MAPPER.createObjectNode();
        ArrayNode members = json.putArray("members");
        for (Member member : cluster.members()) {
            members.add(member(member, cluster, settings.synchronousMode(), at.isStandbyCluster()));
        }
        json.put("scope", status.scope());
        if (at.isPaused()) {
            json.put("pause", true);
        }
        cluster.failover()
                .flatMap(ClusterResource::scheduledSwitchover)
                .ifPresent(s -> json.set("scheduled_switchover", s));
        return Response.json(200, json);
    }

    private static ObjectNode member(Member m, ClusterView cluster, SynchronousMode mode, boolean standbyCluster) {
        boolean leader = cluster.isLeader(m.name());
        String role;
        if (leader) {
            role = standbyCluster ? "standby_leader" : "leader";
        } else if (mode != SynchronousMode.OFF && inSyncKey(cluster, m.name())) {
            role = mode == SynchronousMode.QUORUM ? "quorum_standby" : "sync_standby";
        } else {
            role = "replica";
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", m.name());
        json.put("role", role);
        String state = "leader".equals(role) ? m.state() : m.replicationState().orElse(m.state());
        json.put("state", state);
        json.put("api_url", m.apiUrl().orElse(null));
        m.postgresAddress().ifPresent(hp -> {
            json.put("host", hp.host());
            json.put("port", hp.port());
        });
        m.timeline().ifPresent(t -> json.put("timeline", t.value()));
        if (m.pendingRestart()) {
            json.put("pending_restart", true);
        }
        for (String key : new String[] {"pending_restart_reason", "scheduled_restart"}) {
            if (m.extra().containsKey(key)) {
                json.set(key, Json.MAPPER.valueToTree(m.extra().get(key)));
            }
        }
        if (!m.tags().all().isEmpty()) {
            json.set("tags", Json.MAPPER.valueToTree(m.tags().all()));
        }
        if (!leader) {
            Lsn optime = cluster.optime().orElse(Lsn.ZERO);
            lag(json, "receive_", m.receiveLsn(), optime);
            lag(json, "replay_", m.replayLsn(), optime);
            lag(json, "", m.xlogLocation(), optime);
        }
        return json;
    }

    /** A member ahead of the last published optime lags 0, not a negative amount. */
    private static void lag(ObjectNode json, String prefix, Optional<Lsn> lsn, Lsn optime) {
        if (lsn.isEmpty() || lsn.get().value() == 0) {
            json.put(prefix + "lsn", "unknown");
            json.put(prefix + "lag", "unknown");
            return;
        }
        json.put(prefix + "lsn", lsn.get().toString());
        json.put(prefix + "lag", Math.max(0, optime.minus(lsn.get())));
    }

    private static boolean inSyncKey(ClusterView cluster, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return cluster.sync()
                .map(s -> s.syncStandbys().stream()
                        .anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower)))
                .orElse(false);
    }

    private static Optional<ObjectNode> scheduledSwitchover(FailoverIntent intent) {
        if (intent.scheduledAt().isEmpty()) {
            return Optional.empty();
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("at", Json.pythonTimestamp(intent.scheduledAt().get(), 'T'));
        intent.leader().ifPresent(l -> json.put("from", l));
        intent.candidate().ifPresent(c -> json.put("to", c));
        return Optional.of(json);
    }
}
