package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SystemIdentifier;
import org.bellwether.core.ha.Reason.Code;

/**
 * Creating or joining a cluster: the {@code initialize} race on an empty data directory, cloning from a running
 * member, adopting an existing data directory, and refusing one that belongs to another cluster.
 *
 * <p>Only an {@code initialize} value that is a system identifier ({@link SystemIdentifier#isValid}) can name another
 * cluster, as in Patroni ({@code sysid_valid}): any other value is a broken key, which the leader repairs
 * ({@link #withInitializeRepair}) while everyone goes on as before, instead of refusing the data directory and
 * stopping every agent.
 */
final class Bootstrap {
    private Bootstrap() {}

    /** The data directory is empty: create the cluster, clone it, or wait. */
    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        if (cluster.initialize().isEmpty() && cluster.leader().isEmpty()) {
            if (!obs.self().tags().canBecomeLeader()) {
                return Decision.of(
                        memory,
                        Reason.of(Code.WAITING_FOR_LEADER_TO_BOOTSTRAP, "nofailover: waiting for another member"));
            }
            return Decision.of(
                    memory.withBootstrapping(true),
                    Reason.of(Code.BOOTSTRAP_STARTED, "trying to bootstrap a new cluster"),
                    new Action.TakeInitializeKey(""),
                    new Action.Bootstrap());
        }
        Optional<Upstream> source = cloneSource(obs.self().name(), cluster);
        if (source.isPresent()) {
            return Decision.of(
                    memory.withBootstrapping(false),
                    Reason.of(
                            Code.CLONING_FROM_LEADER,
                            "cloning from " + source.get().member()),
                    new Action.Clone(source.get()));
        }
        return Decision.of(
                memory.withBootstrapping(false),
                Reason.of(Code.WAITING_FOR_LEADER_TO_BOOTSTRAP, "waiting for leader to bootstrap"));
    }

    /**
     * The data directory holds a cluster: it must be this cluster. Returns a decision when identity work comes first
     * (finishing our own bootstrap, adopting data, refusing a foreign directory), or empty to carry on.
     */
    static Optional<Decision> checkIdentity(Observation obs, HaMemory memory, ClusterView cluster) {
        Optional<String> localId = obs.local().systemId();
        Optional<String> clusterId = cluster.initialize();
        if (localId.isPresent()
                && clusterId.filter(SystemIdentifier::isValid).isPresent()
                && !clusterId.get().equals(localId.get())) {
            return Optional.of(Decision.of(
                    memory.withTerminal(),
                    Reason.of(
                            Code.SYSTEM_ID_MISMATCH,
                            "data directory has system identifier " + localId.get() + " but the cluster has "
                                    + clusterId.get())));
        }
        if (clusterId.isPresent() && clusterId.get().isEmpty()) {
            if (memory.bootstrapping() && obs.local().isPrimary() && localId.isPresent()) {
                return Optional.of(finishBootstrap(obs, memory, cluster, localId.get()));
            }
            // A leader's cluster is initialized whatever the key says: it leads on and repairs the key.
            return memory.bootstrapping() || cluster.isLeader(obs.self().name())
                    ? Optional.empty()
                    : Optional.of(Decision.of(
                            memory, Reason.of(Code.WAITING_FOR_LEADER_TO_BOOTSTRAP, "another member bootstraps")));
        }
        if (clusterId.isEmpty() && cluster.leader().isEmpty() && localId.isPresent()) {
            if (obs.local().isReplica()) {
                return Optional.of(Decision.of(
                        memory,
                        Reason.of(
                                Code.REPLICA_WITHOUT_INITIALIZE,
                                "this replica's cluster is not initialized in the DCS: start the primary first")));
            }
            if (obs.self().tags().canBecomeLeader()) {
                return Optional.of(Decision.of(
                        memory,
                        Reason.of(Code.ADOPTING_EXISTING_DATA, "claiming the cluster for this data directory"),
                        new Action.TakeInitializeKey(localId.get())));
            }
        }
        return Optional.empty();
    }

    /**
     * The leader's repair of an {@code initialize} key that is missing or holds no system identifier (Patroni's leader
     * rewrites it each cycle it finds it so): a compare-and-set with this node's identifier on the version read, right
     * after the renewal, in every plan that renews the lock. A failed write does not stop the plan.
     */
    static Decision withInitializeRepair(Decision decision, Observation obs, HaMemory memory) {
        Optional<ClusterView> cluster = obs.cluster();
        Optional<String> localId = obs.local().systemId().filter(SystemIdentifier::isValid);
        int renewal = -1;
        for (int i = 0; i < decision.plan().size() && renewal < 0; i++) {
            renewal = decision.plan().get(i) instanceof Action.RenewLeaderLock ? i : -1;
        }
        if (cluster.isEmpty()
                || localId.isEmpty()
                || renewal < 0
                || memory.bootstrapping()
                || !cluster.get().isLeader(obs.self().name())
                || cluster.get().initialize().filter(SystemIdentifier::isValid).isPresent()) {
            return decision;
        }
        List<Action> plan = new ArrayList<>(decision.plan());
        plan.add(
                renewal + 1,
                new Action.RepairInitialize(localId.get(), cluster.get().initializeVersion()));
        return new Decision(plan, decision.next(), decision.reason(), decision.answer());
    }

    private static Decision finishBootstrap(Observation obs, HaMemory memory, ClusterView cluster, String systemId) {
        List<Action> plan = new ArrayList<>();
        plan.add(new Action.WriteInitialize(systemId));
        if (cluster.config().isEmpty()) {
            plan.add(new Action.WriteConfig(obs.self().bootstrapDcs()));
        }
        plan.add(new Action.AcquireLeaderLock());
        return new Decision(
                plan,
                memory.withBootstrapping(false),
                Reason.of(Code.BOOTSTRAP_FINISHING, "initialized a new cluster with system identifier " + systemId));
    }

    /**
     * Where a new replica copies its data from: a running member tagged {@code clonefrom} (first by name), else the
     * leader. A member is usable only when its key gives a PostgreSQL address and it reports {@code running}.
     */
    static Optional<Upstream> cloneSource(String self, ClusterView cluster) {
        Optional<Upstream> tagged = cluster.members().stream()
                .filter(m -> !m.name().equals(self))
                .filter(m -> m.tags().cloneFrom() && m.role() == MemberRole.REPLICA)
                .filter(Bootstrap::isRunning)
                .flatMap(m -> upstreamOf(m).stream())
                .findFirst();
        if (tagged.isPresent()) {
            return tagged;
        }
        return cluster.leaderMember()
                .filter(m -> !m.name().equals(self))
                .filter(Bootstrap::isRunning)
                .flatMap(Bootstrap::upstreamOf);
    }

    static Optional<Upstream> upstreamOf(Member member) {
        return member.postgresAddress().map(address -> new Upstream(member.name(), address));
    }

    private static boolean isRunning(Member member) {
        return member.state().equals("running");
    }
}
