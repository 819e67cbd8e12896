package org.bellwether.app.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What happened during one fault, as measured from outside: the tests assert on it, the benchmark takes medians of
 * its durations. Every field is an observation (clients, REST answers, PostgreSQL's own views and logs), never an
 * agent's account of itself.
 *
 * @param victim the node the fault hit (the old primary, or the crashed replica)
 * @param oldLeader the leader before the fault
 * @param finalLeader the only node answering {@code /primary} at the end
 * @param synchronousAtFault the members the leader listed as synchronous or quorum standbys just before the fault
 * @param writeOutage longest gap between acknowledged writes through HAProxy that ended after the fault
 * @param leaderChange fault until another node first answered {@code /primary} with 200
 * @param rejoin restart/heal until the victim streamed from the leader again (empty when it did not, or n/a)
 * @param rejoinTrouble why the victim did not rejoin, from its PostgreSQL log
 * @param acknowledged writes acknowledged during the run, through HAProxy and straight to the nodes
 * @param missing acknowledged writes (of every writer) that the final primary does not have
 * @param missingBeyondLag of those, the ones further behind than maximum_lag_on_failover
 * @param promotedAt when the final leader promoted itself, from its PostgreSQL log (empty if it did not)
 * @param oldShutDown when the old primary's PostgreSQL finished shutting down after the fault, from its log
 * @param lastDirectAck the last write the old primary acknowledged to a client connected straight to it, before the
 *     fault was healed
 * @param splitBrain writes a server acknowledged while another one, promoted later, already wrote (see {@link
 *     SplitBrain})
 * @param primariesAtEnd nodes whose PostgreSQL runs as primary at the end
 * @param notStreaming replicas that do not stream from the final leader at the end, with the reason
 * @param overlappingPrimaries stretches in which two nodes answered {@code /primary} with 200
 * @param victimLedAfterHeal the victim answered {@code /primary} with 200 after it came back
 * @param oldLeaderAfterShutdown when the replaced leader answered {@code /primary} with 200 although its PostgreSQL
 *     had shut down before (a load balancer sending writes to a server that cannot take them)
 * @param oldShutDownsBeforeHeal how often the old leader's PostgreSQL shut down between the fault and its healing
 */
record Outcome(
        Fault fault,
        String victim,
        String oldLeader,
        String finalLeader,
        Instant faultAt,
        List<String> synchronousAtFault,
        Optional<Duration> writeOutage,
        Optional<Duration> leaderChange,
        Optional<Duration> rejoin,
        String rejoinTrouble,
        long acknowledged,
        List<WriteWorkload.Ack> missing,
        List<WriteWorkload.Ack> missingBeyondLag,
        Optional<Instant> promotedAt,
        Optional<Instant> oldShutDown,
        Optional<WriteWorkload.Ack> lastDirectAck,
        List<WriteWorkload.Ack> splitBrain,
        List<String> primariesAtEnd,
        List<String> notStreaming,
        List<String> overlappingPrimaries,
        boolean victimLedAfterHeal,
        Optional<Instant> oldLeaderAfterShutdown,
        long oldShutDownsBeforeHeal) {

    /**
     * How long after the fault the old primary still acknowledged writes to a directly connected client, until the
     * fault was healed.
     */
    Optional<Duration> directAckedAfterFault() {
        return lastDirectAck.filter(a -> a.at().isAfter(faultAt)).map(a -> Duration.between(faultAt, a.at()));
    }

    /** How long before the new primary's promotion the old one had shut down; negative if it shut down after. */
    Optional<Duration> oldStoppedBeforePromotion() {
        if (oldShutDown.isEmpty() || promotedAt.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(oldShutDown.get(), promotedAt.get()));
    }

    String summary() {
        return String.join(
                "\n",
                "[fault] " + fault + ": " + fault.description,
                "  victim " + victim + ", leader " + oldLeader + " -> " + finalLeader + ", primaries at end "
                        + primariesAtEnd,
                "  write outage " + seconds(writeOutage) + ", leader change " + seconds(leaderChange) + ", rejoin "
                        + seconds(rejoin) + (rejoinTrouble.isEmpty() ? "" : " (" + rejoinTrouble + ")"),
                "  acknowledged " + acknowledged + ", missing " + missing.size() + " (beyond lag limit "
                        + missingBeyondLag.size() + ")" + ids(missing),
                "  promoted at " + promotedAt.map(Instant::toString).orElse("-") + ", old PostgreSQL shut down at "
                        + oldShutDown.map(Instant::toString).orElse("-") + ", before promotion by "
                        + seconds(oldStoppedBeforePromotion()),
                "  old primary acknowledged direct writes until " + seconds(directAckedAfterFault())
                        + " after the fault; split-brain writes " + splitBrain.size() + ids(splitBrain)
                        + ", synchronous standbys at the fault " + synchronousAtFault,
                "  not streaming at end " + notStreaming + ", overlapping /primary " + overlappingPrimaries
                        + ", victim led after heal " + victimLedAfterHeal + ", old leader answered /primary after"
                        + " its shutdown at "
                        + oldLeaderAfterShutdown.map(Instant::toString).orElse("-")
                        + ", old leader's shutdowns before heal "
                        + oldShutDownsBeforeHeal);
    }

    static String seconds(Optional<Duration> d) {
        return d.map(x -> String.format("%.2f s", x.toMillis() / 1000.0)).orElse("-");
    }

    private static String ids(List<WriteWorkload.Ack> acks) {
        if (acks.isEmpty()) {
            return "";
        }
        return acks.stream()
                .limit(10)
                .map(a -> a.id() + "@" + WriteWorkload.formatLsn(a.lsn()) + "/tl" + a.timeline())
                .collect(Collectors.joining(", ", ": ", acks.size() > 10 ? ", ..." : ""));
    }
}
