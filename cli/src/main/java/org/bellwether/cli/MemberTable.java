package org.bellwether.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bellwether.cli.format.Output;
import org.bellwether.cli.format.Output.Format;
import org.bellwether.cli.format.PyYaml;
import org.bellwether.core.ClusterView;

/**
 * patronictl's {@code output_members}: the member table of {@code list}, {@code topology} and of every command that
 * shows the cluster before acting.
 *
 * <p>The columns are patronictl 4.1's ({@code Member | Host | Role | State | TL | Receive LSN | Lag | Replay LSN |
 * Lag}, the lags named {@code Receive Lag} and {@code Replay Lag} in TSV, JSON and YAML), or with
 * {@link LagColumns#LAG_IN_MB} patronictl 3's ({@code ... | TL | Lag in MB}). {@code Pending restart},
 * {@code Pending restart reason}, {@code Scheduled restart} and {@code Tags} follow when asked with {@code -e} or when
 * a member has them. As in patronictl, JSON and YAML records leave empty values out.
 */
final class MemberTable {
    private static final List<String> BASE = List.of("Cluster", "Member", "Host", "Role", "State", "TL");
    private static final List<String> OPTIONAL =
            List.of("Pending restart", "Pending restart reason", "Scheduled restart", "Tags");
    private static final long MB = 1024 * 1024;

    private MemberTable() {}

    /** {@link #render(ClusterView, String, boolean, Format, LagColumns)} with patronictl 4.1's columns. */
    static String render(ClusterView view, String name, boolean extended, Format format) {
        return render(view, name, extended, format, LagColumns.RECEIVE_AND_REPLAY);
    }

    /** The table (or document) and, for tables, the footer lines about maintenance mode and a planned switchover. */
    @SuppressWarnings("unchecked")
    static String render(ClusterView view, String name, boolean extended, Format format, LagColumns lag) {
        Map<String, Object> cluster = ClusterJson.of(view);
        List<Map<String, Object>> members = (List<Map<String, Object>>) cluster.get("members");
        List<Map<String, Object>> withHost =
                members.stream().filter(m -> m.containsKey("host")).toList();

        List<String> columns = new ArrayList<>(BASE);
        columns.addAll(lag.columns());
        for (String c : OPTIONAL) {
            String key = key(c);
            if (extended || withHost.stream().anyMatch(m -> truthy(m.get(key)))) {
                columns.add(c);
            }
        }
        boolean appendPort =
                withHost.stream().anyMatch(m -> !Integer.valueOf(5432).equals(m.get("port")))
                        || withHost.stream().map(m -> m.get("host")).distinct().count() < withHost.size();

        List<Map<String, Object>> ordered = format == Format.TOPOLOGY ? topologySort(members) : members;
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Map<String, Object> m : ordered) {
            fields.add(fields(m, name, appendPort, format));
        }
        String title = " Cluster: " + name + " (" + initialize(view) + ") ";
        if (format.isMachine()) {
            List<String> all = new ArrayList<>(BASE);
            all.addAll(lag.columns());
            all.addAll(OPTIONAL);
            List<Map<String, Object>> records = new ArrayList<>();
            for (Map<String, Object> f : fields) {
                Map<String, Object> record = new LinkedHashMap<>();
                for (String c : all) {
                    Object v = f.getOrDefault(key(c), "");
                    if (!(v instanceof String s && s.isEmpty())) {
                        record.put(c, v);
                    }
                }
                records.add(record);
            }
            return Output.records(records, format);
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> f : fields) {
            List<Object> row = new ArrayList<>();
            for (String c : columns) {
                row.add(f.getOrDefault(key(c), ""));
            }
            rows.add(row);
        }
        if (format == Format.TSV) {
            return Output.print(columns, rows, lag.rightAligned(), format, title, "\t");
        }
        // Tables show the cluster's name in the title instead of a column.
        List<String> shown = columns.subList(1, columns.size()).stream()
                .map(lag::shownInTable)
                .toList();
        List<List<Object>> shownRows =
                rows.stream().map(r -> r.subList(1, r.size())).toList();
        return Output.print(shown, shownRows, lag.rightAligned(), format, title, "\t") + footer(cluster);
    }

    /** {@code initialize}'s value in the title: the system identifier, or where bootstrap is. */
    static String initialize(ClusterView view) {
        return view.initialize().map(v -> v.isEmpty() ? "initializing" : v).orElse("uninitialized");
    }

    /** One member's cells by column key ({@code lag_in_mb}, {@code tags}, ...). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Map<String, Object> m, String cluster, boolean appendPort, Format f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", cluster);
        out.put("member", m.get("name"));
        String host = (String) m.getOrDefault("host", "");
        if (appendPort && !host.isEmpty() && m.get("port") != null) {
            host = host + ":" + m.get("port");
        }
        out.put("host", host);
        out.put("role", title(((String) m.get("role")).replace('_', ' ')));
        out.put("state", m.get("state"));
        out.put("tl", m.getOrDefault("timeline", ""));
        out.put("lag_in_mb", megabytes(m.getOrDefault("lag", ""), false));
        Object receiveLsn = m.getOrDefault("receive_lsn", "");
        Object receiveLag = m.getOrDefault("receive_lag", "");
        Object replayLsn = m.getOrDefault("replay_lsn", "");
        Object replayLag = m.getOrDefault("replay_lag", "");
        Object lsn = m.getOrDefault("lsn", "");
        // patronictl 4: a member that publishes only xlog_location shows it as received (streaming) or replayed.
        if ("unknown".equals(receiveLsn) && "unknown".equals(replayLsn) && !"".equals(lsn) && !"unknown".equals(lsn)) {
            if ("streaming".equals(m.get("state"))) {
                receiveLsn = lsn;
                receiveLag = m.get("lag");
            } else {
                replayLsn = lsn;
                replayLag = m.get("lag");
            }
        }
        out.put("receive_lsn", receiveLsn);
        out.put("receive_lag", megabytes(receiveLag, true));
        out.put("replay_lsn", replayLsn);
        out.put("replay_lag", megabytes(replayLag, true));
        out.put("pending_restart", truthy(m.get("pending_restart")) ? "*" : "");
        out.put("pending_restart_reason", restartReason(m.get("pending_restart_reason"), f.isTable()));
        Object scheduled = m.get("scheduled_restart");
        if (scheduled instanceof Map<?, ?> s) {
            String value = String.valueOf(s.get("schedule"));
            if (s.containsKey("postgres_version")) {
                value += " if version < " + s.get("postgres_version");
            }
            out.put("scheduled_restart", value);
        } else if (scheduled != null) {
            out.put("scheduled_restart", scheduled);
        }
        Object tags = m.get("tags");
        if (tags instanceof Map<?, ?> t && !t.isEmpty()) {
            out.put("tags", f.isMachine() ? t : (f == Format.PRETTY ? PyYaml.dump(t) : PyYaml.dumpFlow(t)).strip());
        }
        return out;
    }

    /** Bytes to whole megabytes, rounded half to even as Python's {@code round}; text ({@code unknown}) as is. */
    private static Object megabytes(Object lag, boolean unknownIsEmpty) {
        if (lag instanceof Number n) {
            return (long) Math.rint(n.doubleValue() / MB);
        }
        return unknownIsEmpty && "unknown".equals(lag) ? "" : lag;
    }

    private static String restartReason(Object reason, boolean hideLong) {
        if (!(reason instanceof Map<?, ?> r)) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        r.forEach((param, values) -> {
            Map<?, ?> v = values instanceof Map<?, ?> vm ? vm : Map.of();
            String full = param + ": " + v.get("old_value") + "->" + v.get("new_value");
            lines.add(hideLong && full.length() > 50 ? param + ": [hidden - too long]" : full);
        });
        return String.join("\n", lines);
    }

    private static String footer(Map<String, Object> cluster) {
        List<String> info = new ArrayList<>();
        if (Boolean.TRUE.equals(cluster.get("pause"))) {
            info.add("Maintenance mode: on");
        }
        if (cluster.get("scheduled_switchover") instanceof Map<?, ?> s) {
            StringBuilder line = new StringBuilder("Switchover scheduled at: " + s.get("at"));
            for (String k : List.of("from", "to")) {
                if (s.containsKey(k)) {
                    line.append('\n').append(String.format("%24s: %s", k, s.get(k)));
                }
            }
            info.add(line.toString());
        }
        return info.isEmpty() ? "" : " " + String.join("\n ", info) + "\n";
    }

    /**
     * patronictl's {@code topology_sort}: the leader, then each member under the one it replicates from
     * ({@code replicatefrom} naming another replica), indented by level with {@code + }.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> topologySort(List<Map<String, Object>> members) {
        Map<String, Object> leader = members.stream()
                .filter(m -> ((String) m.get("role")).endsWith("leader"))
                .findFirst()
                .orElse(null);
        String leaderName = leader == null ? null : (String) leader.get("name");
        Set<String> replicas = new java.util.HashSet<>();
        members.stream()
                .filter(m -> !((String) m.get("role")).endsWith("leader"))
                .forEach(m -> replicas.add((String) m.get("name")));
        Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
        for (Map<String, Object> m : members) {
            if (((String) m.get("role")).endsWith("leader")) {
                continue;
            }
            Object from = m.get("tags") instanceof Map<?, ?> t ? t.get("replicatefrom") : null;
            String parent =
                    from instanceof String p && !p.equals(m.get("name")) && replicas.contains(p) ? p : leaderName;
            children.computeIfAbsent(String.valueOf(parent), k -> new ArrayList<>())
                    .add(m);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        walk(0, leader, String.valueOf(leaderName), children, out);
        return out;
    }

    private static void walk(
            int level,
            Map<String, Object> member,
            String key,
            Map<String, List<Map<String, Object>>> children,
            List<Map<String, Object>> out) {
        if (member != null) {
            Map<String, Object> copy = new LinkedHashMap<>(member);
            if (level > 0) {
                copy.put("name", " ".repeat((level - 1) * 2) + "+ " + member.get("name"));
            }
            out.add(copy);
        }
        for (Map<String, Object> child : children.getOrDefault(key, List.of())) {
            walk(level + 1, child, (String) child.get("name"), children, out);
        }
    }

    private static String key(String column) {
        return column.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
    }

    private static boolean truthy(Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return true;
    }

    /** Python's {@code str.title()} for role names ({@code sync standby} becomes {@code Sync Standby}). */
    private static String title(String s) {
        StringBuilder out = new StringBuilder();
        boolean start = true;
        for (char c : s.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetter(c);
        }
        return out.toString();
    }
}
