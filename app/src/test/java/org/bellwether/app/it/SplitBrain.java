package org.bellwether.app.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes that two servers acting as primary at once acknowledged, judged from the writes and PostgreSQL's own logs,
 * never from an agent. Timelines order a cluster's primaries: a server promoted to timeline T writes on T from then
 * on. So a write committed on an older timeline after that promotion was taken by a second primary, and so were
 * writes on one timeline by two different servers (two promotions to the same timeline).
 *
 * <p>A write's commit time is bounded below by the server's clock inside the statement ({@link
 * WriteWorkload.Ack#serverTime()}), which shares the machine's clock with the log: no network delay can make a write
 * that committed before a promotion look as if it came after.
 */
final class SplitBrain {
    /** PostgreSQL logs milliseconds: a promotion may have happened up to this much after its logged time. */
    private static final Duration LOG_RESOLUTION = Duration.ofMillis(1);

    private SplitBrain() {}

    /** The acknowledged writes that a second primary took, in the order given. */
    static List<WriteWorkload.Ack> acks(List<WriteWorkload.Ack> acks, List<Replication.Promotion> promotions) {
        Set<WriteWorkload.Ack> found = new LinkedHashSet<>();
        for (WriteWorkload.Ack ack : acks) {
            for (Replication.Promotion p : promotions) {
                if (p.timeline() > ack.timeline() && ack.serverTime().isAfter(p.at().plus(LOG_RESOLUTION))) {
                    found.add(ack);
                }
            }
        }
        Map<Integer, Integer> firstServerOnTimeline = new HashMap<>();
        for (WriteWorkload.Ack ack : acks) {
            int first = firstServerOnTimeline.computeIfAbsent(ack.timeline(), t -> ack.serverPort());
            if (first != ack.serverPort()) {
                found.add(ack);
            }
        }
        return new ArrayList<>(found);
    }

    /** Every promotion in the logs of {@code nodes}. */
    static List<Replication.Promotion> promotions(List<TestNode> nodes) {
        return nodes.stream().flatMap(n -> Replication.promotions(n).stream()).toList();
    }
}
