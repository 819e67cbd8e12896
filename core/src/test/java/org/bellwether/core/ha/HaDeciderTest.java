package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.ACQUIRE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.BOOTSTRAP;
import static org.bellwether.core.ha.Action.Kind.CANCEL_INITIALIZE;
import static org.bellwether.core.ha.Action.Kind.CLONE;
import static org.bellwether.core.ha.Action.Kind.DEMOTE;
import static org.bellwether.core.ha.Action.Kind.FOLLOW;
import static org.bellwether.core.ha.Action.Kind.PROMOTE;
import static org.bellwether.core.ha.Action.Kind.RELEASE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.RENEW_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.START;
import static org.bellwether.core.ha.Action.Kind.SYNC_REPLICATION_SLOTS;
import static org.bellwether.core.ha.Action.Kind.TAKE_INITIALIZE_KEY;
import static org.bellwether.core.ha.Action.Kind.WRITE_CONFIG;
import static org.bellwether.core.ha.Action.Kind.WRITE_INITIALIZE;
import static org.bellwether.core.ha.Fixtures.SELF;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.Fixtures.member;
import static org.bellwether.core.ha.Fixtures.memberAt;
import static org.bellwether.core.ha.Fixtures.observe;
import static org.bellwether.core.ha.Fixtures.peer;
import static org.bellwether.core.ha.Fixtures.peers;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.HostPort;
import org.bellwether.core.Lsn;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.Reason.Code;
import org.bellwether.core.slots.SlotChange;
import org.bellwether.core.slots.SlotType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HaDeciderTest {
    private static final HostPort N2_PG = new HostPort("127.0.0.1", 542);

    @Nested
    class WhenDataDirectoryIsEmpty {
        @Test
        void uninitializedCluster_racesForInitializeThenBootstraps() {
            var cluster = new Fixtures.Cluster().noInitialize().noConfig().build();
            Decision d = HaDecider.decide(observe(cluster, LocalPostgres.emptyDataDirectory()), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(TAKE_INITIALIZE_KEY, BOOTSTRAP);
            assertThat(((Action.TakeInitializeKey) d.plan().get(0)).value()).isEmpty();
            assertThat(d.next().bootstrapping()).isTrue();
            assertThat(d.reason().code()).isEqualTo(Code.BOOTSTRAP_STARTED);
        }

        @Test
        void nofailoverNode_neverBootstrapsANewCluster() {
            var cluster = new Fixtures.Cluster().noInitialize().noConfig().build();
            var obs = observe(cluster, LocalPostgres.emptyDataDirectory(), peers(), Fixtures.tags("nofailover", true));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.WAITING_FOR_LEADER_TO_BOOTSTRAP);
        }

        @Test
        void runningLeader_isClonedFrom() {
            var cluster = new Fixtures.Cluster()
                    .leader("n2")
                    .members(member("n2", MemberRole.PRIMARY, "running"))
                    .build();
            Decision d = HaDecider.decide(observe(cluster, LocalPostgres.emptyDataDirectory()), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(CLONE);
            assertThat(((Action.Clone) d.plan().get(0)).source()).isEqualTo(new Upstream("n2", N2_PG));
        }

        @Test
        void clonefromReplica_isPreferredOverTheLeader() {
            var tagged = member("n3", MemberRole.REPLICA, "running");
            tagged = new org.bellwether.core.Member(
                    tagged.name(),
                    tagged.apiUrl(),
                    tagged.connUrl(),
                    tagged.state(),
                    tagged.role(),
                    tagged.version(),
                    tagged.xlogLocation(),
                    tagged.receiveLsn(),
                    tagged.replayLsn(),
                    tagged.replicationState(),
                    tagged.timeline(),
                    Fixtures.tags("clonefrom", true),
                    false,
                    false,
                    Optional.empty(),
                    new TreeMap<>());
            var cluster = new Fixtures.Cluster()
                    .leader("n2")
                    .members(member("n2", MemberRole.PRIMARY, "running"), tagged)
                    .build();
            Decision d = HaDecider.decide(observe(cluster, LocalPostgres.emptyDataDirectory()), HaMemory.INITIAL);
            assertThat(((Action.Clone) d.plan().get(0)).source().member()).isEqualTo("n3");
        }

        @Test
        void initializedClusterWithoutLeader_waits() {
            var cluster = new Fixtures.Cluster().initializing().build();
            Decision d = HaDecider.decide(observe(cluster, LocalPostgres.emptyDataDirectory()), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.WAITING_FOR_LEADER_TO_BOOTSTRAP);
        }
    }

    @Nested
    class WhenBootstrapEnds {
        @Test
        void bootstrapper_writesSystemIdConfigAndTakesTheLock() {
            var cluster = new Fixtures.Cluster().initializing().noConfig().build();
            Decision d = HaDecider.decide(
                    observe(cluster, Fixtures.primary(100, 1)), HaMemory.INITIAL.withBootstrapping(true));
            assertThat(kinds(d)).containsExactly(WRITE_INITIALIZE, WRITE_CONFIG, ACQUIRE_LEADER_LOCK);
            assertThat(((Action.WriteInitialize) d.plan().get(0)).systemId()).isEqualTo(Fixtures.SYSID);
            assertThat(d.next().bootstrapping()).isFalse();
        }

        @Test
        void failedBootstrap_givesUpTheInitializeKey() {
            var cluster = new Fixtures.Cluster().initializing().noConfig().build();
            var obs = Fixtures.withOperation(
                    observe(cluster, LocalPostgres.emptyDataDirectory()),
                    new Operation(Action.Kind.BOOTSTRAP, Operation.Phase.FAILED, Duration.ZERO, Optional.of("x")));
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL.withBootstrapping(true));
            assertThat(kinds(d)).containsExactly(CANCEL_INITIALIZE);
            assertThat(d.next().bootstrapping()).isFalse();
        }
    }

    @Nested
    class WhenDataDirectoryExists {
        @Test
        void otherClustersSystemId_isRefusedAndNothingIsDone() {
            var cluster = new Fixtures.Cluster().leader("n2").build();
            var local = Fixtures.withSystemId(Fixtures.primary(100, 1), "6999999999999999999");
            Decision d = HaDecider.decide(observe(cluster, local), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.SYSTEM_ID_MISMATCH);
            assertThat(d.next().terminal()).isTrue();
            assertThat(HaDecider.decide(observe(cluster, local), d.next()).plan())
                    .isEmpty();
        }

        @Test
        void primaryWithoutInitializeKey_adoptsTheCluster() {
            var cluster = new Fixtures.Cluster().noInitialize().build();
            Decision d = HaDecider.decide(observe(cluster, Fixtures.primary(100, 1)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(TAKE_INITIALIZE_KEY);
            assertThat(((Action.TakeInitializeKey) d.plan().get(0)).value()).isEqualTo(Fixtures.SYSID);
        }

        @Test
        void replicaWithoutInitializeKey_waitsForThePrimary() {
            var cluster = new Fixtures.Cluster().noInitialize().build();
            Decision d = HaDecider.decide(observe(cluster, Fixtures.replica(100, Optional.empty())), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.REPLICA_WITHOUT_INITIALIZE);
        }
    }

    @Nested
    class WhenPostgresIsStopped {
        @Test
        void otherLeader_startsAsItsReplica() {
            var cluster = new Fixtures.Cluster()
                    .leader("n2")
                    .members(member("n2", MemberRole.PRIMARY, "running"))
                    .build();
            Decision d = HaDecider.decide(observe(cluster, Fixtures.stopped("shut down")), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(START);
            var start = (Action.Start) d.plan().get(0);
            assertThat(start.asReplica()).isTrue();
            assertThat(start.upstream()).contains(new Upstream("n2", N2_PG));
        }

        @Test
        void lockHolder_renewsThenStartsAsPrimaryInPlace() {
            var cluster = new Fixtures.Cluster().leader(SELF).build();
            Decision d = HaDecider.decide(observe(cluster, Fixtures.stopped("in production")), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, START);
            assertThat(((Action.Start) d.plan().get(1)).asReplica()).isFalse();
        }

        @Test
        void noLeader_startsReadOnlyAndWaitsForTheRace() {
            var cluster = new Fixtures.Cluster().build();
            Decision d = HaDecider.decide(observe(cluster, Fixtures.stopped("shut down")), HaMemory.INITIAL);
            var start = (Action.Start) d.plan().get(0);
            assertThat(start.asReplica()).isTrue();
            assertThat(start.upstream()).isEmpty();
        }
    }

    @Nested
    class WhenNobodyLeads {
        private final org.bellwether.core.ClusterView free = new Fixtures.Cluster()
                .optime(1000)
                .members(memberAt("n2", MemberRole.REPLICA, new Lsn(900)))
                .build();

        @Test
        void healthiestReplica_takesTheLockThenPromotes() {
            var obs = observe(
                    free, Fixtures.replica(1000, Optional.empty()), peers(peer("n2", true, 900, Tags.NONE)), Tags.NONE);
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(ACQUIRE_LEADER_LOCK, PROMOTE);
        }

        @Test
        void requiredWatchdogUnusable_keepsTheHealthiestReplicaOutOfTheRace() {
            var obs = observe(
                            free,
                            Fixtures.replica(1000, Optional.empty()),
                            peers(peer("n2", true, 900, Tags.NONE)),
                            Tags.NONE)
                    .withWatchdogFailed(true);
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.WATCHDOG_FAILED);
        }

        @Test
        void requiredWatchdogUnusable_primaryWithoutTheLockDemotesInsteadOfTakingIt() {
            var obs =
                    observe(free, Fixtures.primary(1000, 1), peers(), Tags.NONE).withWatchdogFailed(true);
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(DEMOTE);
            assertThat(d.reason().code()).isEqualTo(Code.WATCHDOG_FAILED);
        }

        @Test
        void peerAhead_winsAndThisNodeWaits() {
            var obs = observe(
                    free, Fixtures.replica(900, Optional.empty()), peers(peer("n2", true, 1000, Tags.NONE)), Tags.NONE);
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.PEER_AHEAD);
        }

        @Test
        void peerEquallyFarWithHigherPriority_wins() {
            var obs = observe(
                    free,
                    Fixtures.replica(1000, Optional.empty()),
                    peers(peer("n2", true, 1000, Fixtures.tags("failover_priority", 5))),
                    Tags.NONE);
            assertThat(HaDecider.decide(obs, HaMemory.INITIAL).reason().code()).isEqualTo(Code.PEER_AHEAD);
        }

        @Test
        void unreachablePeer_isIgnored() {
            var obs = observe(
                    free, Fixtures.replica(1000, Optional.empty()), peers(PeerStatus.unreachable("n2")), Tags.NONE);
            assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(ACQUIRE_LEADER_LOCK, PROMOTE);
        }

        @Test
        void nofailoverPeerAhead_doesNotBlockThePromotion() {
            var obs = observe(
                    free,
                    Fixtures.replica(1000, Optional.empty()),
                    peers(peer("n2", true, 5000, Fixtures.tags("nofailover", true))),
                    Tags.NONE);
            assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(ACQUIRE_LEADER_LOCK, PROMOTE);
        }

        @Test
        void peerOnANewerTimeline_winsThoughBehindInLsn() {
            var obs = observe(
                    free, Fixtures.replica(1000, Optional.empty()), peers(peerOnTimeline("n2", 900, 2)), Tags.NONE);
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.PEER_AHEAD);
        }

        @Test
        void stoppedPeerOnANewerTimeline_blocksTheRace() {
            PeerStatus stopped = new PeerStatus(
                    "n2",
                    true,
                    MemberRole.REPLICA,
                    true,
                    Optional.empty(),
                    Optional.of(new org.bellwether.core.Timeline(2)),
                    Tags.NONE,
                    false);
            var obs = observe(free, Fixtures.replica(1000, Optional.empty()), peers(stopped), Tags.NONE);
            Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.PEER_AHEAD);
        }

        @Test
        void peerOnAnOlderTimeline_doesNotBlockThoughAheadInLsn() {
            var obs = observe(
                    free,
                    Fixtures.running(true, 900, 2, Optional.empty()),
                    peers(peerOnTimeline("n2", 1000, 1)),
                    Tags.NONE);
            assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(ACQUIRE_LEADER_LOCK, PROMOTE);
        }

        private PeerStatus peerOnTimeline(String name, long lsn, int timeline) {
            PeerStatus p = peer(name, true, lsn, Tags.NONE);
            return new PeerStatus(
                    p.name(),
                    p.reachable(),
                    p.role(),
                    p.inRecovery(),
                    p.walPosition(),
                    Optional.of(new org.bellwether.core.Timeline(timeline)),
                    p.tags(),
                    p.watchdogFailed());
        }

        @Test
        void peerStillRunningAsPrimary_blocksTheRace() {
            var obs = observe(
                    free,
                    Fixtures.replica(1000, Optional.empty()),
                    peers(peer("n2", false, 900, Tags.NONE)),
                    Tags.NONE);
            assertThat(HaDecider.decide(obs, HaMemory.INITIAL).reason().code()).isEqualTo(Code.PRIMARY_STILL_ALIVE);
        }

        @Test
        void peerClaimingPrimaryWithoutAPosition_doesNotBlockTheRace() {
            PeerStatus stopped = new PeerStatus(
                    "n2",
                    true,
                    MemberRole.PRIMARY,
                    false,
                    Optional.empty(),
                    Optional.of(org.bellwether.core.Timeline.FIRST),
                    Tags.NONE,
                    false);
            var obs = observe(free, Fixtures.replica(1000, Optional.empty()), peers(stopped), Tags.NONE);
            assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(ACQUIRE_LEADER_LOCK, PROMOTE);
        }

        @Test
        void replicaLaggingBeyondTheLimit_doesNotRace() {
            var lagging = new Fixtures.Cluster().optime(10_000_000).build();
            Decision d = HaDecider.decide(observe(lagging, Fixtures.replica(1000, Optional.empty())), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
            assertThat(d.reason().code()).isEqualTo(Code.LAGGING_BEHIND_LEADER);
        }

        @Test
        void nofailoverReplica_neverRaces() {
            var obs =
                    observe(free, Fixtures.replica(1000, Optional.empty()), peers(), Fixtures.tags("nofailover", true));
            assertThat(HaDecider.decide(obs, HaMemory.INITIAL).reason().code())
                    .isEqualTo(Code.NOT_ELIGIBLE_FOR_LEADERSHIP);
        }

        @Test
        void runningPrimary_takesTheFreeLockWithoutPromoting() {
            Decision d = HaDecider.decide(observe(free, Fixtures.primary(1000, 1)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(ACQUIRE_LEADER_LOCK);
        }

        @Test
        void primaryOnAnOlderTimelineThanHistory_demotesInsteadOfRetakingTheLock() {
            var promoted = new Fixtures.Cluster().promotedOnce().build();
            Decision d = HaDecider.decide(observe(promoted, Fixtures.primary(1000, 1)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(DEMOTE);
            assertThat(d.reason().code()).isEqualTo(Code.STALE_PRIMARY_NOT_RACING);
        }
    }

    @Nested
    class WhenThisNodeLeads {
        private final org.bellwether.core.ClusterView led = new Fixtures.Cluster()
                .leader(SELF)
                .members(member(SELF, MemberRole.PRIMARY, "running"), member("n2", MemberRole.REPLICA, "running"))
                .build();

        @Test
        void requiredWatchdogNotArmed_primaryDemotesBeforeTheLockIsGiven() {
            Decision d =
                    HaDecider.decide(observe(led, Fixtures.primary(100, 1)).withWatchdogFailed(true), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(DEMOTE);
            assertThat(d.reason().code()).isEqualTo(Code.WATCHDOG_FAILED);
        }

        @Test
        void requiredWatchdogNotArmed_demotedLeaderReleasesTheLockInsteadOfPromoting() {
            Decision d = HaDecider.decide(
                    observe(led, Fixtures.replica(100, Optional.empty())).withWatchdogFailed(true), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RELEASE_LEADER_LOCK);
        }

        @Test
        void primary_renewsAndKeepsASlotPerOtherMember() {
            var cluster = new Fixtures.Cluster()
                    .leader(SELF)
                    .members(
                            member(SELF, MemberRole.PRIMARY, "running"),
                            member("n2", MemberRole.REPLICA, "running"),
                            member("n-3.x", MemberRole.REPLICA, "running"))
                    .build();
            Decision d = HaDecider.decide(observe(cluster, Fixtures.primary(100, 1)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, SYNC_REPLICATION_SLOTS);
            assertThat(((Action.SyncReplicationSlots) d.plan().get(1)).changes())
                    .containsExactly(
                            new SlotChange.Create("n2", SlotType.PHYSICAL, Optional.empty(), Optional.empty()),
                            new SlotChange.Create("n_3_x", SlotType.PHYSICAL, Optional.empty(), Optional.empty()));
        }

        @Test
        void replicaHoldingTheLock_promotesAfterRenewing() {
            var cluster = new Fixtures.Cluster().leader(SELF).build();
            Decision d = HaDecider.decide(observe(cluster, Fixtures.replica(100, Optional.empty())), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, PROMOTE);
        }

        @Test
        void leaderWhosePostgresFailedToStart_releasesTheLock() {
            var cluster = new Fixtures.Cluster().leader(SELF).build();
            var obs = Fixtures.withOperation(
                    observe(cluster, Fixtures.stopped("in production")),
                    new Operation(Action.Kind.START, Operation.Phase.FAILED, Duration.ZERO, Optional.of("boom")));
            assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(RELEASE_LEADER_LOCK);
        }

        @Test
        void operationRunning_onlyKeepsTheLockAlive() {
            var cluster = new Fixtures.Cluster().leader(SELF).build();
            var obs = Fixtures.withOperation(
                    observe(cluster, Fixtures.replica(100, Optional.empty())),
                    new Operation(Action.Kind.PROMOTE, Operation.Phase.RUNNING, Duration.ZERO, Optional.empty()));
            assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(RENEW_LEADER_LOCK);
        }
    }

    @Nested
    class WhenAnotherNodeLeads {
        private final org.bellwether.core.ClusterView ledByN2 = new Fixtures.Cluster()
                .leader("n2")
                .members(member("n2", MemberRole.PRIMARY, "running"))
                .build();

        @Test
        void replicaOfTheLeader_onlyKeepsItsSlotsInStep() {
            Decision d =
                    HaDecider.decide(observe(ledByN2, Fixtures.replica(100, Optional.of(N2_PG))), HaMemory.INITIAL);
            // Only keeping its slots in step: a copy of the slot of every other member that may lead
            // (member_slots_ttl).
            assertThat(d.plan())
                    .containsExactly(new Action.SyncReplicationSlots(List.of(
                            new SlotChange.Create("n2", SlotType.PHYSICAL, Optional.empty(), Optional.empty()))));
            assertThat(d.reason().code()).isEqualTo(Code.FOLLOWING_LEADER);
        }

        @Test
        void replicaOfSomeoneElse_followsTheLeader() {
            Decision d = HaDecider.decide(
                    observe(ledByN2, Fixtures.replica(100, Optional.of(new HostPort("127.0.0.1", 9)))),
                    HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(FOLLOW, SYNC_REPLICATION_SLOTS);
        }

        @Test
        void runningPrimary_demotesAtOnce() {
            Decision d = HaDecider.decide(observe(ledByN2, Fixtures.primary(100, 1)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(DEMOTE);
            var demote = (Action.Demote) d.plan().get(0);
            assertThat(demote.mode()).isEqualTo(Action.StopMode.IMMEDIATE);
            assertThat(demote.upstream()).contains(new Upstream("n2", N2_PG));
        }
    }

    @Nested
    class WhenTheDcsIsUnreachable {
        @Test
        void primary_demotes() {
            Decision d = HaDecider.decide(Fixtures.dcsDown(Fixtures.primary(100, 1)), HaMemory.INITIAL);
            assertThat(kinds(d)).containsExactly(DEMOTE);
            assertThat(d.reason().code()).isEqualTo(Code.DCS_UNREACHABLE_DEMOTING);
        }

        @Test
        void primary_demotesWithAFastShutdownSoConnectedReplicasReceiveAllItsWal() {
            Decision d = HaDecider.decide(Fixtures.dcsDown(Fixtures.primary(100, 1)), HaMemory.INITIAL);
            var demote = (Action.Demote) d.plan().get(0);
            assertThat(demote.mode()).isEqualTo(Action.StopMode.FAST);
            assertThat(demote.upstream()).isEmpty();
        }

        @Test
        void replica_keepsReplayingAndDoesNothing() {
            Decision d = HaDecider.decide(Fixtures.dcsDown(Fixtures.replica(100, Optional.empty())), HaMemory.INITIAL);
            assertThat(d.plan()).isEmpty();
        }
    }

    @Test
    void plan_withTwoPostgresOperations_isRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Decision.of(
                        HaMemory.INITIAL,
                        Reason.of(Code.LEADING, "x"),
                        new Action.Promote(),
                        new Action.Stop(Action.StopMode.FAST)))
                .isInstanceOf(IllegalStateException.class);
    }
}
