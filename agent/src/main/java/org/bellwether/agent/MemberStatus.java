package org.bellwether.agent;

import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.LocalPostgres;

/** What this node publishes in its member key, derived from what it observed. */
final class MemberStatus {
    private MemberStatus() {}

    static Member of(
            String name,
            String apiUrl,
            String connUrl,
            String state,
            LocalPostgres local,
            MemberRole lastRole,
            Tags tags,
            boolean paused) {
        boolean running = local.isRunning();
        MemberRole role = running ? (local.inRecovery() ? MemberRole.REPLICA : MemberRole.PRIMARY) : lastRole;
        Optional<Lsn> xlog = running ? local.walPosition() : Optional.empty();
        boolean replica = running && local.inRecovery();
        return new Member(
                name,
                Optional.of(apiUrl),
                Optional.of(connUrl),
                state,
                role,
                Optional.of(AgentVersion.PATRONI_COMPATIBLE),
                xlog,
                replica ? local.receiveLsn() : Optional.empty(),
                replica ? local.replayLsn() : Optional.empty(),
                replica ? Optional.of(local.streaming() ? "streaming" : "in archive recovery") : Optional.empty(),
                running ? local.timeline() : Optional.empty(),
                tags,
                false,
                paused,
                // Patroni's replicas (and ours) wait for this before they pg_rewind against this node.
                local.awaitingCheckpointAfterPromote() ? Optional.of(false) : Optional.empty(),
                new TreeMap<>());
    }
}
