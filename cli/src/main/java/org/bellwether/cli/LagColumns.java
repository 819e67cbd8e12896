package org.bellwether.cli;

import java.util.List;
import java.util.Set;

/**
 * How the member table shows how far each replica is behind. patronictl 4 replaced 3's one {@code Lag in MB} column
 * (of whichever position the member published) with the received and the replayed position and the lag of each, so
 * a replica that receives but does not replay shows it. Scripts that read patronictl 3's column keep working with
 * {@link #LAG_IN_MB}.
 */
enum LagColumns {
    /** patronictl 4.1: {@code Receive LSN | Lag | Replay LSN | Lag} in tables, the full names elsewhere. */
    RECEIVE_AND_REPLAY(
            List.of("Receive LSN", "Receive Lag", "Replay LSN", "Replay Lag"),
            Set.of("TL", "Receive LSN", "Replay LSN", "Lag")),
    /** patronictl 3: {@code Lag in MB}. */
    LAG_IN_MB(List.of("Lag in MB"), Set.of("TL", "Lag in MB"));

    private final List<String> columns;
    private final Set<String> rightAligned;

    LagColumns(List<String> columns, Set<String> rightAligned) {
        this.columns = columns;
        this.rightAligned = rightAligned;
    }

    /** The lag columns, as TSV, JSON and YAML name them. */
    List<String> columns() {
        return columns;
    }

    /** The columns a table aligns right, by their shown names. */
    Set<String> rightAligned() {
        return rightAligned;
    }

    /**
     * The name a table shows for a column: patronictl 4 shortens both lag columns to {@code Lag}, since the LSN
     * column before each already says which position it is (prettytable then allows the name twice).
     */
    String shownInTable(String column) {
        return this == RECEIVE_AND_REPLAY && column.endsWith(" Lag") ? "Lag" : column;
    }
}
