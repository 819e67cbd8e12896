package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.SyncState;
import org.bellwether.core.SynchronousMode;
import org.bellwether.core.ha.HaMemory.SyncCheckpoint;
import org.bellwether.core.ha.LocalPostgres.StandbyNames;

/**
 * The leader's side of {@code synchronous_mode: on}: which standbys PostgreSQL waits for
 * ({@code synchronous_standby_names}) and which the {@code sync} key names as safe to promote.
 *
 * <p>The one invariant: every standby the {@code sync} key names has every commit the primary acknowledged. So the
 * key only ever names standbys that {@code synchronous_standby_names} requires, and the two change in this order:
 * <ul>
 *   <li>shrink: the key first (to the standbys that stay required), then PostgreSQL; a failed key write stops the
 *       plan, so PostgreSQL never stops waiting for a standby the key still names;
 *   <li>grow: PostgreSQL first; the key names a new standby only once PostgreSQL reports it synchronous and it has
 *       flushed past the primary's WAL position seen after the change took effect ({@link SyncCheckpoint}), so the
 *       commits acknowledged before it was required are on it too.
 * </ul>
 */
final class SyncReplication {
    private SyncReplication() {}

    /** What the leader's running primary does about synchronous replication this cycle, and what it remembers. */
    record Steps(List<Action> actions, HaMemory next, Optional<String> change) {}

    static Steps onPrimary(Observation obs, HaMemory memory, ClusterView cluster) {
        HaSettings settings = obs.settings();
        String me = obs.self().name();
        LocalPostgres local = obs.local();
        StandbyNames observed = local.standbyNames();
        Optional<SyncState> key = cluster.sync();
        long version = key.map(SyncState::version).orElse(0L);
        HaMemory forget = memory.withSyncCheckpoint(Optional.empty());
        if (settings.synchronousMode() == SynchronousMode.QUORUM) {
            return QuorumReplication.onPrimary(obs, memory, cluster);
        }
        if (settings.synchronousMode() == SynchronousMode.OFF) {
            return off(key, version, observed, forget);
        }
        boolean keyMine = key.flatMap(SyncState::leader).filter(me::equals).isPresent();
        TreeSet<String> current = keyMine ? new TreeSet<>(key.get().syncStandbys()) : new TreeSet<>();
        List<SyncCandidates.Candidate> ranked = SyncCandidates.ranked(cluster, local, me, settings);
        List<String> picked = ranked.stream()
                .limit(settings.synchronousNodeCount())
                .map(SyncCandidates.Candidate::name)
                .toList();
        String wanted = StandbyNamesValue.of(SynchronousMode.ON, picked, settings.synchronousModeStrict());
        boolean namesInEffect = observed.setByAgent()
                && !observed.value().isEmpty()
                && !observed.value().equals(StandbyNamesValue.ANY_STANDBY);
        TreeSet<String> stillRequired = new TreeSet<>();
        if (namesInEffect) {
            ranked.stream()
                    .filter(c -> picked.contains(c.name()) && current.contains(c.name()) && c.isSyncNow())
                    .forEach(c -> stillRequired.add(c.name()));
        }
        List<Action> actions = new ArrayList<>();
        if (!observed.setByAgent() || !observed.value().equals(wanted)) {
            if (!keyMine || !stillRequired.equals(current)) {
                actions.add(new Action.WriteSync(Optional.of(me), List.copyOf(stillRequired), version));
            }
            actions.add(new Action.SetSynchronousStandbyNames(Optional.of(wanted)));
            return new Steps(actions, forget, Optional.of("synchronous_standby_names '" + wanted + "'"));
        }
        Optional<SyncCheckpoint> checkpoint = memory.syncCheckpoint()
                .filter(c -> c.standbyNames().equals(observed.value()))
                .or(() -> local.writeLsn().map(lsn -> new SyncCheckpoint(observed.value(), lsn)));
        TreeSet<String> confirmed = new TreeSet<>(stillRequired);
        if (namesInEffect && checkpoint.isPresent() && memory.syncCheckpoint().equals(checkpoint)) {
            Lsn needed = checkpoint.get().primaryFlush();
            ranked.stream()
                    .filter(c -> picked.contains(c.name()) && c.isSyncNow() && !needed.isAfter(c.flushed()))
                    .forEach(c -> confirmed.add(c.name()));
        }
        HaMemory next = memory.withSyncCheckpoint(checkpoint);
        if (keyMine && confirmed.equals(current)) {
            return new Steps(actions, next, Optional.empty());
        }
        actions.add(new Action.WriteSync(Optional.of(me), List.copyOf(confirmed), version));
        return new Steps(actions, next, Optional.of("synchronous standbys " + confirmed));
    }

    /**
     * Before a promotion in synchronous mode: the key names this node alone, so nobody else may be promoted until a
     * standby is confirmed, and PostgreSQL waits for nobody yet (strict: for any standby). A replica normally has that
     * setting already ({@link #readyOnReplica}); then no reload comes right before the promotion.
     */
    static List<Action> beforePromote(Observation obs, ClusterView cluster) {
        HaSettings settings = obs.settings();
        if (settings.synchronousMode() == SynchronousMode.OFF) {
            return List.of();
        }
        long version = cluster.sync().map(SyncState::version).orElse(0L);
        List<Action> actions = new ArrayList<>(
                List.of(new Action.WriteSync(Optional.of(obs.self().name()), List.of(), version)));
        String names = promotionValue(settings);
        if (!inEffect(obs.local().standbyNames(), names)) {
            actions.add(new Action.SetSynchronousStandbyNames(Optional.of(names)));
        }
        return actions;
    }

    /**
     * A replica in synchronous mode keeps the value its promotion needs. Set right before {@code pg_ctl promote}, the
     * reload wakes PostgreSQL's startup process from its wait between attempts to stream from the primary that just
     * went away; it tries again at once, and a promotion that then arrives is only acted on after a whole
     * {@code wal_retrieve_retry_interval} (5 s by default). Empty when there is nothing to change.
     */
    static Optional<Action> readyOnReplica(Observation obs) {
        HaSettings settings = obs.settings();
        if (settings.synchronousMode() == SynchronousMode.OFF || !obs.local().isReplica()) {
            return Optional.empty();
        }
        String names = promotionValue(settings);
        return inEffect(obs.local().standbyNames(), names)
                ? Optional.empty()
                : Optional.of(new Action.SetSynchronousStandbyNames(Optional.of(names)));
    }

    private static String promotionValue(HaSettings settings) {
        return StandbyNamesValue.of(SynchronousMode.ON, List.of(), settings.synchronousModeStrict());
    }

    private static boolean inEffect(StandbyNames observed, String value) {
        return observed.setByAgent() && observed.value().equals(value);
    }

    /**
     * Whether {@code name} may take the lock without an operator: in synchronous mode with a {@code sync} key that
     * names a leader, only that leader and the standbys (quorum mode: voters) it names can have every acknowledged
     * commit.
     */
    static boolean mayBePromoted(ClusterView cluster, String name) {
        return !restrictsCandidates(cluster)
                || cluster.sync()
                        .flatMap(SyncState::leader)
                        .filter(name::equalsIgnoreCase)
                        .isPresent()
                || SwitchoverPolicy.isSyncStandby(cluster, name);
    }

    /** Synchronous mode (either kind) with a {@code sync} key that names a leader. */
    static boolean restrictsCandidates(ClusterView cluster) {
        return mode(cluster) != SynchronousMode.OFF
                && cluster.sync().flatMap(SyncState::leader).isPresent();
    }

    /** Quorum mode with a leader in the key: how many other voters a candidate must find no further than itself. */
    static Optional<Integer> votesNeeded(ClusterView cluster, String name) {
        Optional<SyncState> key = cluster.sync().filter(s -> s.leader().isPresent());
        if (mode(cluster) != SynchronousMode.QUORUM
                || key.isEmpty()
                || key.get().leader().get().equalsIgnoreCase(name)) {
            // The former leader had every commit itself: it needs no vote (a peer further than it still wins).
            return Optional.empty();
        }
        return Optional.of(key.get().quorum());
    }

    private static SynchronousMode mode(ClusterView cluster) {
        return cluster.config().map(c -> c.settings().synchronousMode()).orElse(SynchronousMode.OFF);
    }

    /** Synchronous mode off: empty the key if a leader is named, and give the setting back to the configuration. */
    private static Steps off(Optional<SyncState> key, long version, StandbyNames observed, HaMemory next) {
        List<Action> actions = new ArrayList<>();
        if (key.flatMap(SyncState::leader).isPresent()) {
            actions.add(new Action.WriteSync(Optional.empty(), List.of(), version));
        }
        if (observed.setByAgent()) {
            actions.add(new Action.SetSynchronousStandbyNames(Optional.empty()));
        }
        return new Steps(actions, next, actions.isEmpty() ? Optional.empty() : Optional.of("synchronous mode off"));
    }
}
