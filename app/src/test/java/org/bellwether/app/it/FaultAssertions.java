package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/** What users rely on after a fault, asserted on an {@link Outcome}; every failure message carries the summary. */
final class FaultAssertions {
    private FaultAssertions() {}

    /**
     * Everything a user may expect after {@code o}'s fault at these timings and in this replication mode: what holds
     * after any fault (one primary, no write taken by two, every node streaming, acknowledged writes kept: all of
     * them in the synchronous modes), and what the fault itself promises.
     */
    static void asExpected(Outcome o, TestCluster.Timing timing, ReplicationMode mode) {
        asExpected(o, timing, mode, false);
    }

    /**
     * The same with {@code failsafe_mode} on or off: with it, a whole-DCS outage must cost the primary neither its
     * role nor more than a loop's worth of writes.
     */
    static void asExpected(Outcome o, TestCluster.Timing timing, ReplicationMode mode, boolean failsafe) {
        exactlyOnePrimary(o);
        if (mode.promisesNoLoss()) {
            nothingLostAndOnlyASynchronousStandbyPromoted(o);
        }
        acknowledgedWritesKept(o);
        everyNodeStreams(o);
        Duration failover = Duration.ofSeconds(3L * timing.ttl());
        switch (o.fault()) {
            case REPLICA_CRASH -> {
                leaderKept(o);
                // A synchronous standby's crash stalls commits until the leader names another one.
                writeOutageWithin(
                        o,
                        Duration.ofSeconds(
                                mode.promisesNoLoss() ? timing.loopWait() + timing.retryTimeout() : timing.loopWait()));
            }
            case POSTGRES_CRASH -> writeOutageWithin(o, failover);
            case NODE_CRASH -> {
                failedOver(o);
                writeOutageWithin(o, failover);
            }
            case AGENT_FREEZE, AGENT_KILL, SWITCHOVER -> {
                failedOver(o);
                oldPrimaryFencedBeforePromotion(o);
                writeOutageWithin(o, failover);
            }
            case DCS_PARTITION -> {
                failedOver(o);
                oldPrimaryFencedBeforePromotion(o);
                demotedOnceAndKeptRunningAsReplica(o);
                writeOutageWithin(o, failover);
            }
            case FULL_PARTITION -> {
                failedOver(o);
                oldPrimaryFencedBeforePromotion(o);
                demotedOnceAndKeptRunningAsReplica(o);
                stoppedTakingWritesWithin(o, Duration.ofSeconds(timing.ttl()));
                writeOutageWithin(o, failover);
            }
            case ETCD_MEMBER_LOSS, ETCD_LEADER_LOSS -> {
                leaderKept(o);
                writeOutageWithin(o, Duration.ofSeconds(timing.loopWait() + timing.retryTimeout()));
            }
            case DCS_DOWN -> {
                if (failsafe) {
                    leaderKept(o);
                    assertThat(o.oldShutDownsBeforeHeal())
                            .as("shutdowns of the primary's PostgreSQL while the DCS was down\n%s", o.summary())
                            .isZero();
                    writeOutageWithin(o, Duration.ofSeconds(timing.loopWait()));
                } else {
                    // A primary that cannot renew its lock stops taking writes before the lock could expire, and
                    // takes none until the DCS is back.
                    stoppedTakingWritesWithin(o, Duration.ofSeconds(timing.ttl()));
                }
            }
        }
    }

    private static void leaderKept(Outcome o) {
        assertThat(o.finalLeader()).as("leader at the end\n%s", o.summary()).isEqualTo(o.oldLeader());
    }

    /** A partitioned primary demotes to a read-only replica and stays one (readable) until the partition heals. */
    private static void demotedOnceAndKeptRunningAsReplica(Outcome o) {
        assertThat(o.oldShutDownsBeforeHeal())
                .as("shutdowns of the old primary's PostgreSQL during the partition\n%s", o.summary())
                .isEqualTo(1);
    }

    /** The old primary acknowledged no write to its own clients later than {@code bound} after the fault. */
    private static void stoppedTakingWritesWithin(Outcome o, Duration bound) {
        assertThat(o.directAckedAfterFault().orElse(Duration.ZERO))
                .as("old primary acknowledging writes from its clients after the fault\n%s", o.summary())
                .isLessThan(bound);
    }

    /**
     * One node answers /primary, its PostgreSQL is the only one out of recovery, no two leaders overlapped, and no
     * two servers took writes at once.
     */
    private static void exactlyOnePrimary(Outcome o) {
        assertThat(o.primariesAtEnd())
                .as("PostgreSQL servers running as primary at the end\n%s", o.summary())
                .containsExactly(o.finalLeader());
        assertThat(o.overlappingPrimaries())
                .as("two nodes answering /primary at once\n%s", o.summary())
                .isEmpty();
        assertThat(o.splitBrain())
                .as("writes acknowledged by a server after another one was promoted\n%s", o.summary())
                .isEmpty();
    }

    /** Every acknowledged write survived, except some within maximum_lag_on_failover of a failed-over primary. */
    private static void acknowledgedWritesKept(Outcome o) {
        assertThat(o.acknowledged()).as("writes acknowledged through HAProxy").isPositive();
        assertThat(o.missingBeyondLag())
                .as("acknowledged writes lost beyond maximum_lag_on_failover\n%s", o.summary())
                .isEmpty();
        if (o.finalLeader().equals(o.oldLeader())) {
            assertThat(o.missing())
                    .as("acknowledged writes lost without a failover\n%s", o.summary())
                    .isEmpty();
        }
    }

    /**
     * What the synchronous modes promise: no acknowledged write lost, whatever the fault, and a new leader only from
     * the members the leader listed as synchronous (or quorum) standbys when the fault struck.
     */
    private static void nothingLostAndOnlyASynchronousStandbyPromoted(Outcome o) {
        assertThat(o.missing())
                .as("acknowledged writes lost in a synchronous mode\n%s", o.summary())
                .isEmpty();
        if (!o.finalLeader().equals(o.oldLeader())) {
            assertThat(o.synchronousAtFault())
                    .as("new leader %s among the synchronous standbys at the fault\n%s", o.finalLeader(), o.summary())
                    .contains(o.finalLeader());
        }
    }

    /** The victim streams from the leader again, on its timeline, and so does every other replica. */
    private static void everyNodeStreams(Outcome o) {
        assertThat(o.notStreaming())
                .as(
                        "replicas not streaming from %s at the end (a forked timeline needs pg_rewind)\n%s",
                        o.finalLeader(), o.summary())
                .isEmpty();
        if (o.fault().rejoins || o.fault() == Fault.POSTGRES_CRASH) {
            assertThat(o.rejoin()).as("rejoin\n%s", o.summary()).isPresent();
        }
    }

    /** Another node took over, and the old primary did not lead again once it came back. */
    private static void failedOver(Outcome o) {
        assertThat(o.finalLeader()).as("leader at the end\n%s", o.summary()).isNotEqualTo(o.oldLeader());
        assertThat(o.leaderChange())
                .as("a new leader answering /primary\n%s", o.summary())
                .isPresent();
        assertThat(o.victimLedAfterHeal())
                .as("old primary answering /primary after it came back\n%s", o.summary())
                .isFalse();
        assertThat(o.oldLeaderAfterShutdown())
                .as("old primary answering /primary although its PostgreSQL had shut down\n%s", o.summary())
                .isEmpty();
    }

    /**
     * The old primary stopped acknowledging writes before the new one was promoted: no client got an acknowledgement
     * from it after the promotion, and its PostgreSQL had shut down by then.
     */
    private static void oldPrimaryFencedBeforePromotion(Outcome o) {
        assertThat(o.promotedAt())
                .as("promotion time in the new primary's log\n%s", o.summary())
                .isPresent();
        assertThat(o.splitBrain())
                .as("writes the old primary acknowledged after the new primary's promotion\n%s", o.summary())
                .isEmpty();
        if (o.oldStoppedBeforePromotion().isPresent()) {
            assertThat(o.oldStoppedBeforePromotion().get())
                    .as("old PostgreSQL shut down before the promotion\n%s", o.summary())
                    .isPositive();
        }
    }

    /** Clients could write again within {@code bound} of the fault. */
    private static void writeOutageWithin(Outcome o, Duration bound) {
        assertThat(o.writeOutage()).as("write outage\n%s", o.summary()).isPresent();
        assertThat(o.writeOutage().get()).as("write outage\n%s", o.summary()).isLessThan(bound);
    }
}
