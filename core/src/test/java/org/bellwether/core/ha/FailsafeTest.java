package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.ACQUIRE_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.DEMOTE;
import static org.bellwether.core.ha.Action.Kind.PROMOTE;
import static org.bellwether.core.ha.Action.Kind.RENEW_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.SYNC_REPLICATION_SLOTS;
import static org.bellwether.core.ha.Action.Kind.WRITE_FAILSAFE;
import static org.bellwether.core.ha.Fixtures.SELF;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.Fixtures.member;
import static org.bellwether.core.ha.Fixtures.memberAt;
import static org.bellwether.core.ha.Fixtures.observe;
import static org.bellwether.core.ha.Fixtures.peer;
import static org.bellwether.core.ha.Fixtures.peers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.ha.Reason.Code;
import org.junit.jupiter.api.Test;

/** failsafe_mode: the leader publishes who it must reach; without the DCS it stays primary only while all answer. */
class FailsafeTest {
    private static final SortedMap<String, Object> FAILSAFE_ON = new TreeMap<>(Map.of("failsafe_mode", true));

    /** The members named, each at the api_url its member key publishes: a failsafe key, or whom a round asks. */
    private static SortedMap<String, String> listing(String... names) {
        SortedMap<String, String> members = new TreeMap<>();
        for (String name : names) {
            members.put(name, "http://127.0.0.1:80" + name.substring(1) + "/patroni");
        }
        return members;
    }

    /** A cluster in failsafe mode, nobody holding the lock, whose {@code failsafe} key lists {@code key}. */
    private static ClusterView failsafeCluster(SortedMap<String, String> key) {
        return new Fixtures.Cluster().config(FAILSAFE_ON).failsafe(key).build();
    }

    private static FailsafeView round(String... notAcknowledged) {
        return new FailsafeView(
                Optional.of(new FailsafeView.Round(Duration.ofSeconds(99), List.of(notAcknowledged))),
                Optional.empty(),
                false);
    }

    @Test
    void leader_publishesEveryMembersApiUrlInTheFailsafeKey() {
        var cluster = new Fixtures.Cluster()
                .config(FAILSAFE_ON)
                .leader(SELF)
                .members(member(SELF, MemberRole.PRIMARY, "running"), member("n2", MemberRole.REPLICA, "running"))
                .build();
        Decision d = HaDecider.decide(observe(cluster, Fixtures.primary(100, 1)), HaMemory.INITIAL);
        assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, WRITE_FAILSAFE, SYNC_REPLICATION_SLOTS);
        assertThat(((Action.WriteFailsafe) d.plan().get(1)).members())
                .containsOnlyKeys(SELF, "n2")
                .containsEntry("n2", "http://127.0.0.1:802/patroni");
    }

    @Test
    void leader_doesNotRewriteAnUnchangedFailsafeKey() {
        var cluster = new Fixtures.Cluster()
                .config(FAILSAFE_ON)
                .leader(SELF)
                .members(member(SELF, MemberRole.PRIMARY, "running"))
                .failsafe(listing(SELF))
                .build();
        Decision d = HaDecider.decide(observe(cluster, Fixtures.primary(100, 1)), HaMemory.INITIAL);
        assertThat(kinds(d)).doesNotContain(WRITE_FAILSAFE);
    }

    @Test
    void failsafeOff_leaderWritesNoFailsafeKey() {
        var cluster = new Fixtures.Cluster()
                .leader(SELF)
                .members(member(SELF, MemberRole.PRIMARY, "running"))
                .build();
        assertThat(kinds(HaDecider.decide(observe(cluster, Fixtures.primary(100, 1)), HaMemory.INITIAL)))
                .doesNotContain(WRITE_FAILSAFE);
    }

    @Test
    void probe_asksTheOtherListedMembers_onlyFromAListedPrimaryInFailsafeMode() {
        var cluster = failsafeCluster(listing(SELF, "n2"));
        var on = HaSettings.from(FAILSAFE_ON);
        assertThat(FailsafeProbe.membersToAsk(
                        Optional.of(cluster), Optional.empty(), SELF, on, Fixtures.primary(100, 1)))
                .hasValue(listing("n2"));
        assertThat(FailsafeProbe.membersToAsk(
                        Optional.of(cluster), Optional.empty(), "n9", on, Fixtures.primary(100, 1)))
                .as("a primary the key does not list")
                .isEmpty();
        assertThat(FailsafeProbe.membersToAsk(
                        Optional.of(cluster), Optional.empty(), SELF, on, Fixtures.replica(100, Optional.empty())))
                .as("a replica")
                .isEmpty();
        assertThat(FailsafeProbe.membersToAsk(
                        Optional.of(cluster), Optional.empty(), SELF, HaSettings.defaults(), Fixtures.primary(100, 1)))
                .as("failsafe mode off")
                .isEmpty();
    }

    /**
     * The leader read the key, wrote it again with a member that had just joined, and lost the DCS before reading it
     * back. The DCS lists that member, which will race once it reads the DCS again unless it acknowledged this
     * primary: it must be asked too (simulator scenario failsafe-key-rewritten-before-outage, where it was not, and
     * was promoted beside the primary).
     */
    @Test
    void probe_asksTheMembersOfAWriteAfterTheLastRead_too() {
        var cluster = failsafeCluster(listing(SELF, "n2"));
        var written = listing(SELF, "n2", "n3");
        var on = HaSettings.from(FAILSAFE_ON);

        assertThat(FailsafeProbe.membersToAsk(
                        Optional.of(cluster), Optional.of(written), SELF, on, Fixtures.primary(100, 1)))
                .hasValue(listing("n2", "n3"));
        assertThat(FailsafeProbe.membersToAsk(
                        Optional.of(new Fixtures.Cluster().config(FAILSAFE_ON).build()),
                        Optional.of(written),
                        SELF,
                        on,
                        Fixtures.primary(100, 1)))
                .as("the first write, before any read showed the key")
                .hasValue(listing("n2", "n3"));
    }

    @Test
    void dcsDown_primaryAcknowledgedByEveryMember_staysPrimary() {
        Decision d =
                HaDecider.decide(Fixtures.dcsDown(Fixtures.primary(100, 1)).withFailsafe(round()), HaMemory.INITIAL);
        assertThat(d.plan()).isEmpty();
        assertThat(d.reason().code()).isEqualTo(Code.DCS_UNREACHABLE_FAILSAFE);
    }

    @Test
    void dcsDown_aMemberDidNotAcknowledge_primaryDemotes() {
        Decision d = HaDecider.decide(
                Fixtures.dcsDown(Fixtures.primary(100, 1)).withFailsafe(round("n3")), HaMemory.INITIAL);
        assertThat(kinds(d)).containsExactly(DEMOTE);
        assertThat(d.reason().detail()).contains("n3");
    }

    @Test
    void dcsDown_noFailsafeRound_primaryDemotesAsWithoutFailsafe() {
        Decision d = HaDecider.decide(Fixtures.dcsDown(Fixtures.primary(100, 1)), HaMemory.INITIAL);
        assertThat(kinds(d)).containsExactly(DEMOTE);
    }

    @Test
    void replicaThatHeardThePrimaryWithinTtl_doesNotRaceForItsExpiredLock() {
        var free = new Fixtures.Cluster()
                .config(FAILSAFE_ON)
                .members(memberAt("n2", MemberRole.PRIMARY, new Lsn(900)))
                .build();
        var obs = observe(free, Fixtures.replica(1000, Optional.empty()), peers(), Tags.NONE)
                .withFailsafe(new FailsafeView(Optional.empty(), Optional.of("n2"), false));
        Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
        assertThat(d.plan()).isEmpty();
        assertThat(d.reason().code()).isEqualTo(Code.FAILSAFE_PRIMARY_ALIVE);
    }

    /**
     * Simulator seed 1695 of the dcs-outage plan: a replica's agent was killed while the whole DCS was down and
     * started again as it came back. The agent before it had acknowledged the primary moments earlier; the new one,
     * knowing nothing of it, took the expired lock beside that primary.
     */
    @Test
    void replicaWhoseAgentStartedWithinTtl_doesNotRace_itMayHaveAcknowledgedAPrimaryBefore() {
        var free = failsafeCluster(listing(SELF, "n2"));
        var obs = observe(free, Fixtures.replica(1000, Optional.empty()), peers(), Tags.NONE)
                .withFailsafe(new FailsafeView(Optional.empty(), Optional.empty(), true));
        Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
        assertThat(d.plan()).isEmpty();
        assertThat(d.reason().code()).isEqualTo(Code.FAILSAFE_AGENT_JUST_STARTED);
    }

    @Test
    void primaryWhoseAgentStartedWithinTtl_takesItsFreeLockBack() {
        var obs = observe(failsafeCluster(listing(SELF)), Fixtures.primary(1000, 1), peers(), Tags.NONE)
                .withFailsafe(new FailsafeView(Optional.empty(), Optional.empty(), true));
        assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(ACQUIRE_LEADER_LOCK);
    }

    @Test
    void failsafeOff_aJustStartedReplicaRacesAsUsual() {
        var free = new Fixtures.Cluster().build();
        var obs = observe(free, Fixtures.replica(1000, Optional.empty()), peers(), Tags.NONE)
                .withFailsafe(new FailsafeView(Optional.empty(), Optional.empty(), true));
        assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(ACQUIRE_LEADER_LOCK, PROMOTE);
    }

    @Test
    void replicaNotListedInTheFailsafeKey_doesNotRace() {
        var free = new Fixtures.Cluster()
                .config(FAILSAFE_ON)
                .members(memberAt("n2", MemberRole.REPLICA, new Lsn(900)))
                .failsafe(listing("n2"))
                .build();
        var obs = observe(
                free, Fixtures.replica(1000, Optional.empty()), peers(peer("n2", true, 900, Tags.NONE)), Tags.NONE);
        Decision d = HaDecider.decide(obs, HaMemory.INITIAL);
        assertThat(d.reason().code()).isEqualTo(Code.FAILSAFE_NOT_LISTED);
    }

    @Test
    void replicaListedInTheFailsafeKey_racesAsUsual() {
        var free = new Fixtures.Cluster()
                .config(FAILSAFE_ON)
                .members(memberAt("n2", MemberRole.REPLICA, new Lsn(900)))
                .failsafe(listing(SELF, "n2"))
                .build();
        var obs = observe(
                free, Fixtures.replica(1000, Optional.empty()), peers(peer("n2", true, 900, Tags.NONE)), Tags.NONE);
        assertThat(kinds(HaDecider.decide(obs, HaMemory.INITIAL))).containsExactly(ACQUIRE_LEADER_LOCK, PROMOTE);
    }
}
