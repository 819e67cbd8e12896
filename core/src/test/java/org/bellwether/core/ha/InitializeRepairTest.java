package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.Action.Kind.PROMOTE;
import static org.bellwether.core.ha.Action.Kind.RENEW_LEADER_LOCK;
import static org.bellwether.core.ha.Action.Kind.REPAIR_INITIALIZE;
import static org.bellwether.core.ha.Action.Kind.SYNC_REPLICATION_SLOTS;
import static org.bellwether.core.ha.Fixtures.SELF;
import static org.bellwether.core.ha.Fixtures.SYSID;
import static org.bellwether.core.ha.Fixtures.kinds;
import static org.bellwether.core.ha.Fixtures.member;
import static org.bellwether.core.ha.Fixtures.observe;

import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SystemIdentifier;
import org.bellwether.core.ha.Reason.Code;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An {@code initialize} key that holds no system identifier is a broken key, not another cluster's: nobody refuses
 * its data directory or stops, and the leader writes its own identifier with compare-and-set on the version read (as
 * Patroni's leader does, {@code sysid_valid}).
 */
class InitializeRepairTest {
    /** Led by {@code leader}, with {@code initialize} holding {@code value} at version 42 (absent when null). */
    private static ClusterView cluster(String leader, String value) {
        ClusterView c = new Fixtures.Cluster()
                .leader(leader)
                .members(member(SELF, MemberRole.PRIMARY, "running"), member("n2", MemberRole.REPLICA, "running"))
                .build();
        return new ClusterView(
                Optional.ofNullable(value),
                c.config(),
                c.leader(),
                c.members(),
                c.optime(),
                c.slots(),
                c.history(),
                c.failover(),
                c.sync(),
                c.failsafe(),
                value == null ? 0 : 42,
                Optional.empty(),
                List.of());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "7000000000000000001, true",
        "18446744073709551615, true",
        "1000000000, true",
        "999999999, false",
        "18446744073709551616, false",
        "garbage, false",
        "-7000000000000000001, false",
        "'7000000000000000001 ', false",
        "'', false"
    })
    void whatCountsAsASystemIdentifier(String text, boolean valid) {
        assertThat(SystemIdentifier.isValid(text)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "initialize \"{0}\"")
    @ValueSource(strings = {"garbage", "", "123", "{\"x\":1}", "7000000000000000001\n"})
    void theLeader_leadsOn_andRepairsTheKeyRightAfterRenewing(String value) {
        Decision d = HaDecider.decide(observe(cluster(SELF, value), Fixtures.primary(100, 1)), HaMemory.INITIAL);

        assertThat(d.reason().code()).isEqualTo(Code.LEADING);
        assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, REPAIR_INITIALIZE, SYNC_REPLICATION_SLOTS);
        assertThat(d.plan().get(1)).isEqualTo(new Action.RepairInitialize(SYSID, 42));
        assertThat(d.next().terminal()).isFalse();
    }

    @Test
    void aLeaderWithoutTheKey_createsIt() {
        Decision d = HaDecider.decide(observe(cluster(SELF, null), Fixtures.primary(100, 1)), HaMemory.INITIAL);

        assertThat(d.plan()).contains(new Action.RepairInitialize(SYSID, 0));
    }

    @Test
    void aLeaderStillPromoting_repairsBeforeThePromotion() {
        Decision d = HaDecider.decide(
                observe(cluster(SELF, "garbage"), Fixtures.replica(100, Optional.empty())), HaMemory.INITIAL);

        assertThat(kinds(d)).containsExactly(RENEW_LEADER_LOCK, REPAIR_INITIALIZE, PROMOTE);
    }

    @ParameterizedTest(name = "initialize \"{0}\"")
    @ValueSource(strings = {"garbage", "123"})
    void aReplica_followsOn_andLeavesTheKeyToTheLeader(String value) {
        Decision d = HaDecider.decide(
                observe(cluster("n2", value), Fixtures.replica(100, Optional.empty())), HaMemory.INITIAL);

        assertThat(d.reason().code()).isIn(Code.FOLLOWING_LEADER, Code.REFOLLOWING_LEADER);
        assertThat(kinds(d)).doesNotContain(REPAIR_INITIALIZE);
        assertThat(d.next().terminal()).isFalse();
    }

    @Test
    void aValidIdentifierOfAnotherCluster_isStillRefused() {
        Decision d = HaDecider.decide(
                observe(cluster("n2", "6999999999999999999"), Fixtures.replica(100, Optional.empty())),
                HaMemory.INITIAL);

        assertThat(d.reason().code()).isEqualTo(Code.SYSTEM_ID_MISMATCH);
        assertThat(d.next().terminal()).isTrue();
    }

    @Test
    void aValidKey_isLeftAlone() {
        Decision d = HaDecider.decide(observe(cluster(SELF, SYSID), Fixtures.primary(100, 1)), HaMemory.INITIAL);

        assertThat(kinds(d)).doesNotContain(REPAIR_INITIALIZE);
    }

    @Test
    void aLeaderWithoutAValidIdentifierOfItsOwn_writesNothing() {
        var local = Fixtures.withSystemId(Fixtures.primary(100, 1), "unknown");

        Decision d = HaDecider.decide(observe(cluster(SELF, "garbage"), local), HaMemory.INITIAL);

        assertThat(kinds(d)).doesNotContain(REPAIR_INITIALIZE);
    }
}
