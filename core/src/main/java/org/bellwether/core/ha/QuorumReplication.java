package org.bellwether.core.ha;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.SyncState;
import org.bellwether.core.SynchronousMode;
import org.bellwether.core.ha.HaMemory.SyncCheckpoint;
import org.bellwether.core.ha.SyncReplication.Steps;

/**
 * The leader's side of {@code synchronous_mode: quorum}. The target: every candidate streaming replica is a voter,
 * commits wait for {@code ANY n} of them ({@code n = min(synchronous_node_count, voters)}), and a candidate needs
 * {@code quorum = voters - n} other voters no further than itself, so that every set of acknowledging standbys meets
 * every winning vote ({@link QuorumRule#coveredBy}).
 *
 * <p>The order keeps that true for every commit ever acknowledged. Before PostgreSQL changes, the key must cover both
 * the rule in force and the next one; if it does not, the key first grows in a way that never uncovers an older
 * commit ({@link #interimKey}). After the change, the key moves to the target only once the commits acknowledged
 * under older rules are safe too: all but {@code quorum} of the new voters have flushed past the primary's position
 * seen after the change took effect.
 */
final class QuorumReplication {
    private QuorumReplication() {}

    static Steps onPrimary(Observation obs, HaMemory memory, ClusterView cluster) {
        HaSettings settings = obs.settings();
        String me = obs.self().name();
        LocalPostgres local = obs.local();
        Optional<SyncState> key = cluster.sync();
        long version = key.map(SyncState::version).orElse(0L);
        HaMemory forget = memory.withSyncCheckpoint(Optional.empty());
        if (key.flatMap(SyncState::leader).filter(me::equals).isEmpty()) {
            // Naming no voter is always safe: only this leader may be promoted.
            return new Steps(
                    List.of(new Action.WriteSync(Optional.of(me), List.of(), 0, version)),
                    forget,
                    Optional.of("sync key for this leader"));
        }
        TreeSet<String> voters = new TreeSet<>(key.get().syncStandbys());
        int quorum = key.get().quorum();
        List<SyncCandidates.Candidate> ranked = SyncCandidates.ranked(cluster, local, me, settings);
        List<String> active =
                ranked.stream().map(SyncCandidates.Candidate::name).sorted().toList();
        int count = Math.min(settings.synchronousNodeCount(), active.size());
        String wanted = StandbyNamesValue.of(SynchronousMode.QUORUM, active, count, settings.synchronousModeStrict());
        QuorumRule now = QuorumRule.of(local.standbyNames());
        QuorumRule next = QuorumRule.parse(wanted).orElse(QuorumRule.UNKNOWN);
        if (!local.standbyNames().setByAgent() || !local.standbyNames().value().equals(wanted)) {
            List<Action> actions = new java.util.ArrayList<>();
            if (!now.coveredBy(voters, quorum) || !next.coveredBy(voters, quorum)) {
                actions.add(interimKey(me, voters, quorum, now, next, version));
            }
            actions.add(new Action.SetSynchronousStandbyNames(Optional.of(wanted)));
            return new Steps(actions, forget, Optional.of("synchronous_standby_names '" + wanted + "'"));
        }
        Optional<SyncCheckpoint> checkpoint = memory.syncCheckpoint()
                .filter(c -> c.standbyNames().equals(wanted))
                .or(() -> local.writeLsn().map(lsn -> new SyncCheckpoint(wanted, lsn)));
        HaMemory remember = memory.withSyncCheckpoint(checkpoint);
        TreeSet<String> targetVoters = count == 0 ? new TreeSet<>() : new TreeSet<>(active);
        int targetQuorum = targetVoters.size() - count;
        if (targetVoters.equals(voters) && targetQuorum == quorum) {
            return new Steps(List.of(), remember, Optional.empty());
        }
        boolean settled = checkpoint.isPresent() && memory.syncCheckpoint().equals(checkpoint);
        if (!settled || laggards(ranked, targetVoters, checkpoint.get().primaryFlush()) > targetQuorum) {
            return new Steps(List.of(), remember, Optional.empty());
        }
        return new Steps(
                List.of(new Action.WriteSync(Optional.of(me), List.copyOf(targetVoters), targetQuorum, version)),
                remember,
                Optional.of("quorum " + targetQuorum + " of voters " + targetVoters));
    }

    /**
     * A key that covers the commits of both rules and every older one. Standbys the next rule adds become voters,
     * each with one more vote needed: of any winning vote, all but the new voters are a winning vote under the old
     * key, so what that covered stays covered. Then {@code quorum} is raised until both rules are covered too; when
     * nothing short of every voter would do, the key names no voter and only this leader may be promoted meanwhile.
     */
    private static Action interimKey(
            String me, TreeSet<String> voters, int quorum, QuorumRule now, QuorumRule next, long version) {
        TreeSet<String> widened = new TreeSet<>(voters);
        widened.addAll(next.names());
        int raised = quorum + (widened.size() - voters.size());
        while (raised < widened.size() && !(now.coveredBy(widened, raised) && next.coveredBy(widened, raised))) {
            raised++;
        }
        if (raised >= widened.size()) {
            return new Action.WriteSync(Optional.of(me), List.of(), 0, version);
        }
        return new Action.WriteSync(Optional.of(me), List.copyOf(widened), raised, version);
    }

    /** Voters that have not flushed up to {@code position} (or do not stream at all). */
    private static long laggards(List<SyncCandidates.Candidate> ranked, TreeSet<String> voters, Lsn position) {
        return voters.stream()
                .filter(v -> ranked.stream().noneMatch(c -> c.name().equals(v) && !position.isAfter(c.flushed())))
                .count();
    }
}
