package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.ha.LocalPostgres.ReplicationConnection;

/**
 * Which replicas the leader would make synchronous, best first (Patroni's {@code sync.py}): members streaming from
 * this primary (their {@code pg_stat_replication} row, matched by {@code application_name}) that may be synchronous
 * ({@code nosync} and {@code sync_priority} tags), ranked by {@code sync_priority}, then those already synchronous
 * (a sync standby is not swapped for an equal one), then by flushed WAL; {@code nofailover} members come last because
 * a synchronous standby that may not be promoted protects writes but not availability.
 */
final class SyncCandidates {
    private SyncCandidates() {}

    /** One streaming replica that may become synchronous. */
    record Candidate(String name, Member member, ReplicationConnection row, Lsn flushed) {
        boolean isSyncNow() {
            return row.syncState().equals("sync") || row.syncState().equals("quorum");
        }
    }

    /** The best {@code synchronous_node_count} candidates, best first. */
    static List<String> pick(ClusterView cluster, LocalPostgres local, String me, HaSettings settings) {
        return ranked(cluster, local, me, settings).stream()
                .limit(settings.synchronousNodeCount())
                .map(Candidate::name)
                .toList();
    }

    /** Every candidate, best first, without those lagging beyond {@code maximum_lag_on_syncnode}. */
    static List<Candidate> ranked(ClusterView cluster, LocalPostgres local, String me, HaSettings settings) {
        List<Candidate> all = new ArrayList<>();
        for (ReplicationConnection row : local.replication()) {
            Optional<Member> member = cluster.members().stream()
                    .filter(m -> m.name().equalsIgnoreCase(row.applicationName()))
                    .findFirst();
            if (member.isEmpty()
                    || member.get().name().equals(me)
                    || !row.state().equals("streaming")
                    || row.flushLsn().isEmpty()
                    || !member.get().tags().canBeSynchronous()
                    || all.stream().anyMatch(c -> c.name().equals(member.get().name()))) {
                continue;
            }
            all.add(new Candidate(
                    member.get().name(), member.get(), row, row.flushLsn().get()));
        }
        all.sort(Comparator.comparing((Candidate c) -> !c.member().tags().canBecomeLeader())
                .thenComparing(c -> -c.member().tags().syncPriority())
                .thenComparing(c -> !c.isSyncNow())
                .thenComparing(Candidate::flushed, Comparator.reverseOrder())
                .thenComparing(Candidate::name));
        long maxLag = settings.maximumLagOnSyncNode();
        if (maxLag <= 0 || all.isEmpty()) {
            return all;
        }
        // Against the best candidate; with only one, against the primary (Patroni does the same).
        Lsn best = all.size() > 1
                ? all.stream()
                        .map(Candidate::flushed)
                        .max(Comparator.naturalOrder())
                        .orElseThrow()
                : local.writeLsn().orElse(all.get(0).flushed());
        return all.stream().filter(c -> best.minus(c.flushed()) <= maxLag).toList();
    }
}
