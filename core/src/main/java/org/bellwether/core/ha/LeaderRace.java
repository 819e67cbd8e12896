package org.bellwether.core.ha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Reason.Code;

/**
 * Nobody holds the leader lock. A node races for it only if it is the healthiest it can see (Patroni's
 * {@code is_healthiest_node}); the DCS's create-if-absent decides between nodes that both think so.
 */
final class LeaderRace {
    private LeaderRace() {}

    static Decision decide(Observation obs, HaMemory memory, ClusterView cluster) {
        if (!obs.self().tags().canBecomeLeader()) {
            return Decision.of(
                    memory, Reason.of(Code.NOT_ELIGIBLE_FOR_LEADERSHIP, "nofailover: not racing for the lock"));
        }
        if (obs.watchdogFailed()) {
            String why = "watchdog.mode is required but the watchdog cannot be used: not racing for the lock";
            if (obs.local().isPrimary()) {
                // A primary without the lock that may not take it must not go on accepting writes.
                return Decision.of(
                        memory,
                        Reason.of(Code.WATCHDOG_FAILED, why + ", demoting"),
                        new Action.Demote(StopMode.IMMEDIATE, Optional.empty()));
            }
            return Decision.of(memory, Reason.of(Code.WATCHDOG_FAILED, why));
        }
        Optional<Reason> failsafe = failsafeForbids(obs, cluster);
        if (failsafe.isPresent()) {
            return Decision.of(memory, failsafe.get());
        }
        Optional<Timeline> clusterTimeline = cluster.timelineFromHistory();
        if (obs.local().isPrimary()) {
            Optional<Timeline> mine = obs.local().timeline();
            if (clusterTimeline.isPresent() && mine.isPresent() && mine.get().isBefore(clusterTimeline.get())) {
                // Story: a primary froze, a replica was promoted (timeline +1) and also failed; the old primary
                // wakes up to a free lock. Taking it back would throw away everything the newer timeline wrote.
                return Decision.of(
                        memory,
                        Reason.of(
                                Code.STALE_PRIMARY_NOT_RACING,
                                "timeline " + mine.get() + " is behind the cluster's " + clusterTimeline.get()),
                        new Action.Demote(StopMode.IMMEDIATE, Optional.empty()));
            }
            return Decision.of(
                    memory,
                    Reason.of(Code.ACQUIRING_LOCK_AS_PRIMARY, "running as primary, taking the free lock"),
                    new Action.AcquireLeaderLock());
        }
        if (SwitchoverPolicy.activeRequest(cluster).isPresent()) {
            return ManualSwitchover.race(obs, memory, cluster);
        }
        if (!SyncReplication.mayBePromoted(cluster, obs.self().name())) {
            // It may lack commits the primary acknowledged: only the sync key's members are sure to have them all.
            return Decision.of(
                    memory,
                    Reason.of(
                            Code.NOT_ELIGIBLE_FOR_LEADERSHIP,
                            "synchronous mode: not a synchronous standby, not racing for the lock"));
        }
        Optional<Reason> notHealthiest = whyNotHealthiest(obs, cluster, clusterTimeline, true, Optional.empty());
        if (notHealthiest.isPresent()) {
            return Decision.of(memory, notHealthiest.get());
        }
        List<Action> plan = new ArrayList<>();
        plan.add(new Action.AcquireLeaderLock());
        plan.addAll(SyncReplication.beforePromote(obs, cluster));
        plan.add(new Action.Promote());
        return new Decision(
                plan, memory, Reason.of(Code.PROMOTING_AFTER_ACQUIRING_LOCK, "healthiest member, taking the lock"));
    }

    /**
     * Failsafe mode: a primary that reached this node without the DCS within ttl still runs (its lock may have
     * expired only because it cannot reach the DCS), and a node the last leader did not list in {@code failsafe}
     * may be unknown to the members that acknowledge it.
     *
     * <p>An agent that started less than ttl ago cannot know whom the agent before it acknowledged, nor when, so it
     * waits out ttl as if it had heard a primary then. Simulator seeds 1695, 4658 and 7177 of the dcs-outage plan
     * (with {@code -Dsim.failsafe=true}): an agent killed or a machine crashed while the whole DCS was down, and the
     * restarted agent took the expired lock as soon as the DCS came back, beside the primary it had been
     * acknowledging. Its member key had expired with everyone else's, so it did not even find that primary to ask.
     * A primary is left out: it is the one the others keep from racing, and takes its free lock back at once.
     */
    private static Optional<Reason> failsafeForbids(Observation obs, ClusterView cluster) {
        Optional<String> heard =
                obs.failsafe().primaryHeard().filter(p -> !p.equals(obs.self().name()));
        if (heard.isPresent()) {
            return Optional.of(Reason.of(
                    Code.FAILSAFE_PRIMARY_ALIVE,
                    heard.get() + " sent POST /failsafe within ttl: it is alive and primary, not racing"));
        }
        if (obs.settings().failsafeMode()
                && obs.failsafe().agentStartedWithinTtl()
                && !obs.local().isPrimary()) {
            return Optional.of(Reason.of(
                    Code.FAILSAFE_AGENT_JUST_STARTED,
                    "the agent started less than ttl ago and may have acknowledged a primary's POST /failsafe"
                            + " before: not racing"));
        }
        boolean unlisted = obs.settings().failsafeMode()
                && cluster.failsafe()
                        .filter(members -> !members.isEmpty()
                                && !members.containsKey(obs.self().name()))
                        .isPresent();
        if (unlisted) {
            return Optional.of(Reason.of(
                    Code.FAILSAFE_NOT_LISTED, "failsafe_mode is on and the failsafe key does not list this node"));
        }
        return Optional.empty();
    }

    /**
     * Why this replica should not take the lock, or empty. A manual failover skips the lag limit and leaves out the
     * leader that stepped down ({@code exclude}), as Patroni's {@code manual_failover_process_no_leader} does.
     */
    static Optional<Reason> whyNotHealthiest(
            Observation obs,
            ClusterView cluster,
            Optional<Timeline> clusterTimeline,
            boolean checkLag,
            Optional<String> exclude) {
        Optional<Lsn> position = obs.local().walPosition();
        if (position.isEmpty()) {
            return Optional.of(Reason.of(Code.NO_WAL_POSITION, "own WAL position unknown"));
        }
        Lsn mine = position.get();
        HaSettings settings = obs.settings();
        if (checkLag && cluster.optime().isPresent()) {
            long lag = cluster.optime().get().minus(mine);
            if (lag > settings.maximumLagOnFailover()) {
                return Optional.of(Reason.of(
                        Code.LAGGING_BEHIND_LEADER,
                        lag + " bytes behind the last known leader position, over maximum_lag_on_failover "
                                + settings.maximumLagOnFailover()));
            }
        }
        if (settings.checkTimeline() && clusterTimeline.isPresent()) {
            Optional<Timeline> timeline = obs.local().timeline();
            if (timeline.isEmpty() || timeline.get().isBefore(clusterTimeline.get())) {
                return Optional.of(Reason.of(
                        Code.LAGGING_BEHIND_LEADER, "timeline behind the cluster's " + clusterTimeline.get()));
            }
        }
        int myPriority = obs.self().tags().failoverPriority();
        Optional<Timeline> myTimeline = obs.local().timeline();
        for (PeerStatus peer : obs.peers().values()) {
            if (peer.name().equals(obs.self().name())
                    || exclude.filter(peer.name()::equals).isPresent()
                    || !peer.reachable()
                    || peer.watchdogFailed()
                    || !peer.tags().canBecomeLeader()) {
                continue;
            }
            if (!SwitchoverPolicy.isSyncStandby(cluster, peer.name()) && SyncReplication.restrictsCandidates(cluster)) {
                // An asynchronous replica may be ahead of the synchronous standby and still may not be promoted:
                // it must not stop the one that may. A primary that still runs stops everyone, though.
                if (!peer.inRecovery() && peer.walPosition().isPresent()) {
                    return Optional.of(
                            Reason.of(Code.PRIMARY_STILL_ALIVE, peer.name() + " is still running as primary"));
                }
                continue;
            }
            Optional<Reason> better = betterPeer(peer, mine, myTimeline, myPriority);
            if (better.isPresent()) {
                return better;
            }
        }
        return notEnoughVotes(obs, cluster, mine, myTimeline);
    }

    /**
     * Quorum mode: a commit returned once some of the voters had it, so a candidate must find enough other voters no
     * further than itself that one of them was among those ({@link QuorumRule#coveredBy}).
     */
    private static Optional<Reason> notEnoughVotes(
            Observation obs, ClusterView cluster, Lsn mine, Optional<Timeline> myTimeline) {
        Optional<Integer> needed =
                SyncReplication.votesNeeded(cluster, obs.self().name());
        if (needed.isEmpty() || needed.get() == 0) {
            return Optional.empty();
        }
        long votes = obs.peers().values().stream()
                .filter(p -> !p.name().equals(obs.self().name())
                        && p.reachable()
                        && SwitchoverPolicy.isSyncStandby(cluster, p.name())
                        && p.walPosition().isPresent()
                        && !p.walPosition().get().isAfter(mine)
                        && !isNewer(p.timeline(), myTimeline))
                .count();
        if (votes >= needed.get()) {
            return Optional.empty();
        }
        return Optional.of(Reason.of(
                Code.NOT_ENOUGH_VOTES,
                "quorum mode: " + votes + " of the " + needed.get() + " voters needed are known to be no further"));
    }

    /** Why {@code peer} should lead rather than this node, if it should. */
    private static Optional<Reason> betterPeer(
            PeerStatus peer, Lsn mine, Optional<Timeline> myTimeline, int myPriority) {
        // Only a primary that reports a WAL position is running: a stopped one still claims the role it last
        // published (simulator scenario leader-partitioned-from-dcs: a demoted, DCS-less old primary kept every
        // replica from racing until the DCS came back).
        if (!peer.inRecovery() && peer.walPosition().isPresent()) {
            return Optional.of(Reason.of(Code.PRIMARY_STILL_ALIVE, peer.name() + " is still running as primary"));
        }
        // Positions compare only within one history. A peer on a newer timeline followed a promotion the lock
        // decided; WAL this node has past that switch point was abandoned then, however high its LSN (simulator
        // seed 8915: a restarted old primary outbid the new timeline's replicas and forked them silently). That
        // holds while the peer's PostgreSQL is down, too: its agent answers, so it will start it (seed 7919).
        if (isNewer(peer.timeline(), myTimeline)) {
            return Optional.of(Reason.of(
                    Code.PEER_AHEAD,
                    peer.name() + " is on the newer timeline " + peer.timeline().get()));
        }
        if (peer.walPosition().isEmpty() || isNewer(myTimeline, peer.timeline())) {
            return Optional.empty();
        }
        Lsn theirs = peer.walPosition().get();
        if (theirs.isAfter(mine)) {
            return Optional.of(Reason.of(Code.PEER_AHEAD, peer.name() + " is ahead at " + theirs));
        }
        if (theirs.equals(mine) && peer.tags().failoverPriority() > myPriority) {
            return Optional.of(
                    Reason.of(Code.PEER_AHEAD, peer.name() + " is as far and has a higher failover_priority"));
        }
        return Optional.empty();
    }

    private static boolean isNewer(Optional<Timeline> a, Optional<Timeline> b) {
        return a.isPresent() && b.isPresent() && b.get().isBefore(a.get());
    }
}
