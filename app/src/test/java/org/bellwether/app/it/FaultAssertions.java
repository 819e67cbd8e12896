package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/** What users rely on after a fault, asserted on an {@link Outcome}; every failure message carries the summary. */
final class FaultAssertions {
    private FaultAssertions() {}

    /**
     * One node answers /primary, its PostgreSQL is the only one out of recovery, no two leaders overlapped, and no
     * two servers took writes at once.
     */
    static void exactlyOnePrimary(Outcome o) {
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
    static void acknowledgedWritesKept(Outcome o) {
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
    static void nothingLostAndOnlyASynchronousStandbyPromoted(Outcome o) {
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
    static void everyNodeStreams(Outcome o) {
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
    static void failedOver(Outcome o) {
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
    static void oldPrimaryFencedBeforePromotion(Outcome o) {
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
    static void writeOutageWithin(Outcome o, Duration bound) {
        assertThat(o.writeOutage()).as("write outage\n%s", o.summary()).isPresent();
        assertThat(o.writeOutage().get()).as("write outage\n%s", o.summary()).isLessThan(bound);
    }
}
