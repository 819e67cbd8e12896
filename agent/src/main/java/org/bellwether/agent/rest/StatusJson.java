package org.bellwether.agent.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.slots.SlotReport;
import org.bellwether.core.status.NodeStatus;
import org.bellwether.core.status.StatusAt;

/**
 * The {@code GET /patroni} body (also the body of GET health checks), field for field as Patroni's
 * {@code get_postgresql_status} and {@code _write_status_response} build it. Peers race on it: a body without
 * {@code xlog.location} and with a non-primary role reads as "in recovery", and one without {@code xlog} as unhealthy.
 */
final class StatusJson {
    private StatusJson() {}

    static ObjectNode build(NodeStatus status, Duration now) {
        StatusAt at = new StatusAt(status, now);
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("state", status.postgresState());
        if (at.isQueryable()) {
            postgres(json, at);
        } else {
            // PostgreSQL does not answer: Patroni reports only state and the role it last knew.
            json.put("role", at.role().wire());
        }
        if (at.isPaused()) {
            json.put("pause", true);
        }
        if (at.isClusterUnlocked()) {
            json.put("cluster_unlocked", true);
        }
        if (status.failsafeActive()) {
            json.put("failsafe_mode_is_active", true);
        }
        if (status.watchdogFailed()) {
            // Peers leave such a member out of their leader race, and a switchover refuses it as candidate.
            json.put("watchdog_failed", true);
        }
        json.put(
                "dcs_last_seen",
                status.dcsLastSeen().map(i -> i.getEpochSecond()).orElse(0L));
        if (!status.tags().all().isEmpty()) {
            json.set("tags", Json.MAPPER.valueToTree(status.tags().all()));
        }
        status.local().systemId().ifPresent(id -> json.put("database_system_identifier", id));
        at.self().ifPresent(self -> publishedByMember(json, self));
        slots(json, status.slots());
        ObjectNode patroni = json.putObject("patroni");
        patroni.put("version", status.version());
        patroni.put("scope", status.scope());
        patroni.put("name", status.name());
        return json;
    }

    private static void postgres(ObjectNode json, StatusAt at) {
        LocalPostgres local = at.status().local();
        local.postmasterStartTime().ifPresent(t -> json.put("postmaster_start_time", Json.pythonTimestamp(t, ' ')));
        MemberRole role = at.role();
        json.put("role", role.wire());
        local.serverVersion().ifPresent(v -> json.put("server_version", v));
        ObjectNode xlog = json.putObject("xlog");
        if (!local.inRecovery()) {
            xlog.put("location", local.writeLsn().orElse(Lsn.ZERO).value());
        } else {
            Lsn replayed = local.replayLsn().orElse(Lsn.ZERO);
            xlog.put("received_location", local.receiveLsn().orElse(replayed).value());
            xlog.put("replayed_location", replayed.value());
            // Not observed yet; null rather than a guess, so no client mistakes it for a real value.
            xlog.putNull("replayed_timestamp");
            xlog.putNull("paused");
        }
        if (at.isSyncStandby()) {
            json.put("sync_standby", true);
        }
        if (at.isQuorumStandby()) {
            json.put("quorum_standby", true);
        }
        local.timeline().ifPresent(t -> json.put("timeline", t.value()));
        at.replicationState().ifPresent(s -> json.put("replication_state", s));
        if (!local.replication().isEmpty()) {
            ArrayNode rows = json.putArray("replication");
            for (LocalPostgres.ReplicationConnection c : local.replication()) {
                ObjectNode row = rows.addObject();
                row.put("usename", c.usename());
                row.put("application_name", c.applicationName());
                row.put("client_addr", c.clientAddr());
                row.put("state", c.state());
                row.put("sync_state", c.syncState());
                row.put("sync_priority", c.syncPriority());
            }
        }
    }

    /**
     * Bellwether's own fields, absent when there is nothing to say, so that a Patroni client sees the body it knows:
     * the slots this node leaves alone (Patroni would drop them), and the readiness of its copies of logical slots.
     */
    private static void slots(ObjectNode json, SlotReport report) {
        if (!report.unowned().isEmpty()) {
            ArrayNode rows = json.putArray("unmanaged_slots");
            for (SlotReport.UnownedSlot slot : report.unowned()) {
                ObjectNode row = rows.addObject();
                row.put("name", slot.name());
                row.put("type", slot.type().word());
                row.put("active", slot.active());
                row.put("retained_wal_bytes", slot.retainedBytes());
            }
        }
        if (!report.logicalReady().isEmpty() || !report.logicalNotReady().isEmpty()) {
            ObjectNode logical = json.putObject("logical_slots");
            report.logicalReady().forEach(logical.putArray("ready")::add);
            report.logicalNotReady().forEach(logical.putArray("not_ready")::add);
            json.put("logical_failover_safe", report.logicalFailoverSafe());
        }
    }

    /** What the loop last wrote into this node's member key about restarts, repeated here as Patroni does. */
    private static void publishedByMember(ObjectNode json, Member self) {
        if (self.pendingRestart()) {
            json.put("pending_restart", true);
            Object reason = self.extra().get("pending_restart_reason");
            if (reason != null) {
                json.set("pending_restart_reason", Json.MAPPER.valueToTree(reason));
            }
        }
        if (self.extra().get("scheduled_restart") instanceof Map<?, ?> scheduled) {
            Map<Object, Object> copy = new TreeMap<>(scheduled);
            copy.remove("postmaster_start_time");
            json.set("scheduled_restart", Json.MAPPER.valueToTree(copy));
        }
    }
}
