package org.bellwether.postgres;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.LocalPostgres;

/**
 * What {@code pg_controldata} says about a data directory, read also while PostgreSQL is stopped. Parsing needs the
 * untranslated output, so the tool runs with {@code LC_ALL=C}.
 *
 * @param clusterState e.g. {@code in production}, {@code shut down}, {@code in archive recovery},
 *     {@code shut down in recovery}, {@code in crash recovery}
 * @param fields every {@code label: value} line, for the few callers that need more (pg_rewind decisions)
 */
public record ControlData(
        String systemIdentifier,
        String clusterState,
        Lsn latestCheckpoint,
        Timeline timeline,
        boolean walLogHints,
        int dataChecksumVersion,
        SortedMap<String, String> fields) {

    public static final String SYSTEM_IDENTIFIER = "Database system identifier";
    public static final String CLUSTER_STATE = "Database cluster state";
    public static final String LATEST_CHECKPOINT = "Latest checkpoint location";
    public static final String TIMELINE = "Latest checkpoint's TimeLineID";
    public static final String WAL_LOG_HINTS = "wal_log_hints setting";
    public static final String CHECKSUM_VERSION = "Data page checksum version";
    public static final String MIN_RECOVERY_END = "Minimum recovery ending location";
    public static final String MIN_RECOVERY_END_TIMELINE = "Min recovery ending loc's timeline";

    public ControlData {
        fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
    }

    /** Parses the output of {@code pg_controldata}; throws {@link IllegalArgumentException} if a field is missing. */
    public static ControlData parse(String output) {
        SortedMap<String, String> fields = new TreeMap<>();
        for (String line : output.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim());
            }
        }
        try {
            return new ControlData(
                    required(fields, SYSTEM_IDENTIFIER),
                    required(fields, CLUSTER_STATE),
                    Lsn.parse(required(fields, LATEST_CHECKPOINT)),
                    new Timeline(Integer.parseInt(required(fields, TIMELINE))),
                    "on".equals(required(fields, WAL_LOG_HINTS)),
                    Integer.parseInt(required(fields, CHECKSUM_VERSION)),
                    fields);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unexpected pg_controldata output: " + e.getMessage(), e);
        }
    }

    /** Whether pg_rewind can work on this cluster: it needs hint bits WAL-logged or data checksums. */
    public boolean rewindable() {
        return walLogHints || dataChecksumVersion > 0;
    }

    /** Whether the cluster was shut down cleanly (as a primary or as a replica). */
    public boolean cleanlyShutDown() {
        return clusterState.equals("shut down") || clusterState.equals("shut down in recovery");
    }

    /**
     * What the HA decision needs to place this data directory's end of history: the latest checkpoint, the minimum
     * recovery point (absent as {@code 0/0} or timeline 0 when it last ran as a primary) and whether pg_rewind can
     * work on it. A minimum recovery point that does not parse is reported absent, as Patroni treats it.
     *
     * @param backupLabel whether the data directory holds a {@code backup_label} (pg_controldata cannot tell)
     */
    public LocalPostgres.ControlFile controlFile(boolean backupLabel) {
        Optional<Lsn> minRecoveryEnd =
                field(MIN_RECOVERY_END).flatMap(ControlData::lsn).filter(l -> !l.equals(Lsn.ZERO));
        Optional<Timeline> minRecoveryEndTimeline =
                field(MIN_RECOVERY_END_TIMELINE).flatMap(ControlData::positive).map(Timeline::new);
        return new LocalPostgres.ControlFile(
                latestCheckpoint, timeline, minRecoveryEnd, minRecoveryEndTimeline, rewindable(), backupLabel);
    }

    private static Optional<Lsn> lsn(String text) {
        try {
            return Optional.of(Lsn.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> positive(String text) {
        try {
            int value = Integer.parseInt(text.trim());
            return value > 0 ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A field by its label, for callers that need one this record does not name. */
    public Optional<String> field(String label) {
        return Optional.ofNullable(fields.get(label));
    }

    private static String required(SortedMap<String, String> fields, String label) {
        String value = fields.get(label);
        if (value == null) {
            throw new IllegalArgumentException("pg_controldata output has no '" + label + "' line");
        }
        return value;
    }
}
