package org.bellwether.core;

import java.util.Optional;

/**
 * One line of the {@code history} key: the timeline that ended, the LSN where it ended, why, and (newer Patroni) when
 * and who became the new leader. On the wire: {@code [1, 50331808, "no recovery target specified", "2024-...", "n2"]}.
 */
public record HistoryEntry(
        Timeline timeline, Lsn switchLsn, String reason, Optional<String> timestamp, Optional<String> newLeader) {}
