package org.bellwether.app.it;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The lost-write checker's clients: several writers through HAProxy, as an application sees the cluster, and one
 * straight to every node, so that a second server taking writes is caught even when HAProxy no longer sends anyone
 * to it. Every writer has its own id range; every acknowledgement is kept.
 */
final class Writers implements AutoCloseable {
    /** Concurrent clients through HAProxy. */
    static final int THROUGH_HAPROXY = 3;

    private static final long IDS_PER_WRITER = 1_000_000;

    private final List<WriteWorkload> proxied;
    private final List<WriteWorkload> direct;

    private Writers(List<WriteWorkload> proxied, List<WriteWorkload> direct) {
        this.proxied = proxied;
        this.direct = direct;
    }

    /** Starts the writers; ids run from {@code firstId} up, a million per writer. */
    static Writers start(int haproxyPort, List<TestNode> nodes, long firstId, Duration pause) {
        List<WriteWorkload> proxied = new ArrayList<>();
        List<WriteWorkload> direct = new ArrayList<>();
        long next = firstId;
        for (int i = 1; i <= THROUGH_HAPROXY; i++, next += IDS_PER_WRITER) {
            proxied.add(WriteWorkload.start("haproxy-" + i, haproxyPort, next, pause));
        }
        for (TestNode node : nodes) {
            direct.add(WriteWorkload.start("direct-" + node.name, node.pgPort, next, pause));
            next += IDS_PER_WRITER;
        }
        return new Writers(proxied, direct);
    }

    /** Acknowledgements through HAProxy, in the order they were received. */
    List<WriteWorkload.Ack> proxiedAcks() {
        return sorted(proxied.stream());
    }

    /** Acknowledgements to the clients connected straight to {@code node}. */
    List<WriteWorkload.Ack> directAcks(TestNode node) {
        return direct.stream()
                .filter(w -> w.port() == node.pgPort)
                .flatMap(w -> w.acks().stream())
                .toList();
    }

    /** Every acknowledgement of every writer, in the order they were received. */
    List<WriteWorkload.Ack> allAcks() {
        return sorted(Stream.concat(proxied.stream(), direct.stream()));
    }

    Optional<WriteWorkload.Ack> firstProxiedAckAfter(Instant instant) {
        return proxiedAcks().stream().filter(a -> a.at().isAfter(instant)).findFirst();
    }

    /** The longest stretch in which no client through HAProxy had a write acknowledged, ending after the fault. */
    Optional<Duration> unavailability(Instant fault) {
        return WriteWorkload.longestGap(proxiedAcks(), fault);
    }

    /** Acknowledged writes, of every writer, that {@code node} does not have. */
    List<WriteWorkload.Ack> missingOn(TestNode node) throws SQLException {
        List<WriteWorkload.Ack> missing = new ArrayList<>();
        for (WriteWorkload w : Stream.concat(proxied.stream(), direct.stream()).toList()) {
            missing.addAll(w.missingOn(node));
        }
        return missing;
    }

    /** Of {@code missing}, those a failover within {@code lagLimit} bytes of WAL does not explain. */
    List<WriteWorkload.Ack> beyondLagLimit(List<WriteWorkload.Ack> missing, long lagLimit) {
        return WriteWorkload.beyondLagLimit(allAcks(), missing, lagLimit);
    }

    private static List<WriteWorkload.Ack> sorted(Stream<WriteWorkload> writers) {
        return writers.flatMap(w -> w.acks().stream())
                .sorted(Comparator.comparing(WriteWorkload.Ack::at))
                .toList();
    }

    /** Stops every writer; returns once each has finished its last statement. */
    @Override
    public void close() {
        Stream.concat(proxied.stream(), direct.stream()).forEach(WriteWorkload::close);
    }
}
