package org.bellwether.postgres;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The server parameters written to {@code postgresql.conf}: the cluster-wide {@code postgresql.parameters} from the
 * DCS, this node's local ones over them, then the ones Bellwether insists on so that any member can stream from any
 * other and be promoted (as Patroni's {@code CMDLINE_OPTIONS} do).
 */
public final class ServerParameters {
    /** Written by Bellwether in the replica section; a user's value would fight it. */
    static final Set<String> MANAGED = Set.of(
            "primary_conninfo",
            "primary_slot_name",
            "recovery_target_timeline",
            "standby_mode",
            "config_file",
            "data_directory");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final String DEFAULT_SENDERS_AND_SLOTS = "10";

    private ServerParameters() {}

    /** What this node forces, whatever the configuration says. */
    public record Forced(String clusterName, String listenAddresses, int port, boolean usePgRewind) {}

    /**
     * Merges and completes the parameters. Keys are compared case-insensitively (PostgreSQL's GUC names are); a
     * {@code null} value removes a cluster-wide parameter locally.
     *
     * @throws IllegalArgumentException for a name that is not a parameter name (it would corrupt the file)
     */
    public static SortedMap<String, String> merge(
            Map<String, Object> cluster, Map<String, Object> local, Forced forced) {
        SortedMap<String, String> merged = new TreeMap<>();
        putAll(merged, cluster);
        putAll(merged, local);
        MANAGED.forEach(merged::remove);

        merged.put("listen_addresses", forced.listenAddresses());
        merged.put("port", Integer.toString(forced.port()));
        merged.put("cluster_name", forced.clusterName());
        merged.put("hot_standby", "on");
        merged.put("wal_level", walLevel(merged.get("wal_level")));
        merged.putIfAbsent("max_wal_senders", DEFAULT_SENDERS_AND_SLOTS);
        merged.putIfAbsent("max_replication_slots", DEFAULT_SENDERS_AND_SLOTS);
        // Replicas report to the primary every second even when idle, so a primary can tell within a second or two
        // that it has lost every replica (see ReplicaContact).
        merged.putIfAbsent("wal_receiver_status_interval", "1s");
        if (forced.usePgRewind()) {
            merged.put("wal_log_hints", "on");
        } else {
            // Patroni always turns it on; keep that default so a later switch to pg_rewind needs no re-clone.
            merged.putIfAbsent("wal_log_hints", "on");
        }
        return Collections.unmodifiableSortedMap(merged);
    }

    /** At least {@code replica}: streaming needs it. {@code logical} stays; the pre-9.6 names map to replica. */
    static String walLevel(String configured) {
        if (configured != null && configured.equalsIgnoreCase("logical")) {
            return "logical";
        }
        return "replica";
    }

    /** A value as PostgreSQL reads it: booleans as on/off, everything else as its text. */
    static String text(Object value) {
        if (value instanceof Boolean b) {
            return b ? "on" : "off";
        }
        return value.toString();
    }

    private static void putAll(SortedMap<String, String> into, Map<String, Object> parameters) {
        parameters.forEach((name, value) -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a PostgreSQL parameter name: '" + name + "'");
            }
            String key = name.toLowerCase(Locale.ROOT);
            if (value == null) {
                into.remove(key);
            } else {
                into.put(key, text(value));
            }
        });
    }
}
