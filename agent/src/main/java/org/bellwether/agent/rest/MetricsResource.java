package org.bellwether.agent.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.slots.SlotReport;
import org.bellwether.core.status.NodeStatus;
import org.bellwether.core.status.PostgresStates;
import org.bellwether.core.status.StatusAt;

/**
 * {@code GET /metrics}: Prometheus text exposition with Patroni's metric names, types and {@code {scope, name}}
 * labels, so existing dashboards and alerts work unchanged, then Bellwether's own ({@code bellwether_}). Written by
 * hand: it is a couple of dozen gauges.
 */
final class MetricsResource {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Pattern VERSION_PART = Pattern.compile("(\\d+)");

    private final StringBuilder out = new StringBuilder(4096);
    private final String labels;
    /** {@code scope="..",name=".."} without braces, for metrics with labels of their own. */
    private final String nodeLabels;

    private MetricsResource(NodeStatus status) {
        this.nodeLabels = "scope=\"" + escape(status.scope()) + "\",name=\"" + escape(status.name()) + "\"";
        this.labels = "{" + nodeLabels + "}";
    }

    static void register(Router router) {
        router.get("/metrics", MetricsResource::get);
    }

    static Response get(Request request) {
        String text = new MetricsResource(request.status()).render(new StatusAt(request.status(), request.now()));
        return Response.text(200, text).withContentType(CONTENT_TYPE);
    }

    private String render(StatusAt at) {
        NodeStatus status = at.status();
        LocalPostgres local = status.local();
        boolean queryable = at.isQueryable();
        MemberRole role = at.role();
        gauge("patroni_version", "Patroni semver without periods.", paddedVersion(status.version()));
        gauge("patroni_postgres_running", "Value is 1 if Postgres is running, 0 otherwise.", bit(at.isRunning()));
        gauge(
                "patroni_postmaster_start_time",
                "Epoch seconds since Postgres started.",
                queryable
                        ? local.postmasterStartTime()
                                .map(MetricsResource::epoch)
                                .orElse("0")
                        : "0");
        gauge(
                "patroni_primary",
                "Value is 1 if this node is the leader, 0 otherwise.",
                bit(role == MemberRole.PRIMARY));
        counter(
                "patroni_xlog_location",
                "Current location of the Postgres transaction log, 0 if this node is not the leader.",
                queryable && !local.inRecovery() ? lsn(local.writeLsn()) : "0");
        gauge(
                "patroni_standby_leader",
                "Value is 1 if this node is the standby_leader, 0 otherwise.",
                bit(role == MemberRole.STANDBY_LEADER));
        gauge("patroni_replica", "Value is 1 if this node is a replica, 0 otherwise.", bit(role == MemberRole.REPLICA));
        gauge(
                "patroni_sync_standby",
                "Value is 1 if this node is a sync standby, 0 otherwise.",
                bit(at.isSyncStandby()));
        gauge(
                "patroni_quorum_standby",
                "Value is 1 if this node is a quorum standby, 0 otherwise.",
                bit(at.isQuorumStandby()));
        boolean replica = queryable && local.inRecovery();
        counter(
                "patroni_xlog_received_location",
                "Current location of the received Postgres transaction log, 0 if this node is not a replica.",
                replica ? lsn(local.receiveLsn().or(local::replayLsn)) : "0");
        counter(
                "patroni_xlog_replayed_location",
                "Current location of the replayed Postgres transaction log, 0 if this node is not a replica.",
                replica ? lsn(local.replayLsn()) : "0");
        // Replay timestamp and pause are not observed yet; Patroni also reports 0 when they are null.
        gauge(
                "patroni_xlog_replayed_timestamp",
                "Current timestamp of the replayed Postgres transaction log, 0 if null.",
                "0");
        gauge("patroni_xlog_paused", "Value is 1 if the Postgres xlog is paused, 0 otherwise.", "0");
        int serverVersion = queryable ? local.serverVersion().orElse(0) : 0;
        if (serverVersion >= 90600) {
            boolean streaming = at.replicationState().isPresent();
            gauge("patroni_postgres_streaming", "Value is 1 if Postgres is streaming, 0 otherwise.", bit(streaming));
            gauge(
                    "patroni_postgres_in_archive_recovery",
                    "Value is 1 if Postgres is replicating from archive, 0 otherwise.",
                    "0");
        }
        gauge(
                "patroni_postgres_server_version",
                "Version of Postgres (if running), 0 otherwise.",
                Integer.toString(serverVersion));
        renderCluster(at);
        renderSlots(status.slots());
        return out.toString();
    }

    private void renderCluster(StatusAt at) {
        NodeStatus status = at.status();
        gauge(
                "patroni_cluster_unlocked",
                "Value is 1 if the cluster is unlocked, 0 if locked.",
                bit(at.isClusterUnlocked()));
        gauge(
                "patroni_failsafe_mode_is_active",
                "Value is 1 if failsafe mode is active, 0 if inactive.",
                bit(status.failsafeActive()));
        gauge(
                "patroni_failsafe_mode_enabled",
                "Value is 1 if failsafe mode is enabled, 0 otherwise.",
                bit(status.settings().failsafeMode()));
        boolean failsafeMember = status.cluster()
                .flatMap(ClusterView::failsafe)
                .map(m -> m.containsKey(status.name()))
                .orElse(false);
        gauge(
                "patroni_failsafe_member",
                "Value is 1 if this node is a member of the failsafe topology, 0 otherwise.",
                bit(failsafeMember));
        gauge(
                "patroni_postgres_timeline",
                "Postgres timeline of this node (if running), 0 otherwise.",
                at.isQueryable()
                        ? status.local()
                                .timeline()
                                .map(t -> Integer.toString(t.value()))
                                .orElse("0")
                        : "0");
        gauge(
                "patroni_dcs_last_seen",
                "Epoch timestamp when DCS was last contacted successfully by Patroni.",
                Long.toString(status.dcsLastSeen().map(Instant::getEpochSecond).orElse(0L)));
        gauge(
                "patroni_pending_restart",
                "Value is 1 if the node needs a restart, 0 otherwise.",
                bit(at.self().map(Member::pendingRestart).orElse(false)));
        gauge("patroni_is_paused", "Value is 1 if auto failover is disabled, 0 otherwise.", bit(at.isPaused()));
        out.append("# HELP patroni_postgres_state Numeric representation of Postgres state.\n");
        out.append("# Values: ").append(stateLegend()).append('\n');
        sample("patroni_postgres_state", "gauge", Integer.toString(PostgresStates.ALL.indexOf(status.postgresState())));
        gauge(
                "patroni_failover_priority",
                "Node failover priority, 0 if the node cannot become the leader.",
                Integer.toString(status.tags().failoverPriority()));
    }

    /**
     * Bellwether's own metrics, after Patroni's: WAL held back by each slot it leaves alone (a family without samples
     * is left out, as client libraries do), and how many copies of logical slots could not yet be used after a
     * failover (always present, so that an alert on it also sees 0).
     */
    private void renderSlots(SlotReport report) {
        if (!report.unowned().isEmpty()) {
            String name = "bellwether_unmanaged_slot_retained_wal_bytes";
            out.append("# HELP ").append(name).append(' ');
            out.append("Bytes of WAL kept by a replication slot Bellwether does not manage.\n");
            out.append("# TYPE ").append(name).append(" gauge\n");
            for (SlotReport.UnownedSlot slot : report.unowned()) {
                out.append(name).append('{').append(nodeLabels);
                out.append(",slot=\"").append(escape(slot.name())).append('"');
                out.append(",type=\"").append(slot.type().word()).append("\"} ");
                out.append(slot.retainedBytes()).append('\n');
            }
        }
        gauge(
                "bellwether_logical_slots_not_ready",
                "Copies of permanent logical slots on this node not yet safe to use after a failover.",
                Integer.toString(report.logicalNotReady().size()));
    }

    private void gauge(String name, String help, String value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sample(name, "gauge", value);
    }

    private void counter(String name, String help, String value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sample(name, "counter", value);
    }

    private void sample(String name, String type, String value) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static String stateLegend() {
        StringBuilder legend = new StringBuilder();
        for (int i = 0; i < PostgresStates.ALL.size(); i++) {
            legend.append(i == 0 ? "" : ", ").append(i).append('=').append(PostgresStates.ALL.get(i));
        }
        return legend.toString();
    }

    /** Patroni's encoding: each dotted part zero-padded to two digits, {@code 4.0.3} to {@code 040003}. */
    static String paddedVersion(String version) {
        StringBuilder padded = new StringBuilder();
        for (String part : version.split("\\.")) {
            Matcher digits = VERSION_PART.matcher(part);
            String number = digits.lookingAt() ? digits.group(1) : "0";
            padded.append(number.length() < 2 ? "0" + number : number);
        }
        return padded.length() == 0 ? "0" : padded.toString();
    }

    private static String epoch(Instant instant) {
        return BigDecimal.valueOf(instant.getEpochSecond())
                .add(BigDecimal.valueOf(instant.getNano() / 1000, 6))
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String lsn(Optional<Lsn> lsn) {
        return Long.toString(lsn.orElse(Lsn.ZERO).value());
    }

    private static String bit(boolean value) {
        return value ? "1" : "0";
    }

    /** Prometheus label values escape backslash, double quote and newline. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
