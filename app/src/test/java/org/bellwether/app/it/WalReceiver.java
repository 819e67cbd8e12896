package org.bellwether.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bellwether.testkit.ManagedProcess;
import org.bellwether.testkit.PostgresBinaries;

/**
 * A WAL archive fed by {@code pg_receivewal} through a physical replication slot, as an operator runs one beside a
 * cluster: it streams from one node into a directory, and is pointed at the new leader after each leader change. The
 * directory is read the way a restore would read it: which segments are complete, and whether any is missing.
 */
final class WalReceiver implements AutoCloseable {
    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(\\.partial)?");

    /** One file of the archive: its timeline, segment number, and whether pg_receivewal is still writing it. */
    record Segment(int timeline, long number, boolean partial) {}

    private final Path dir;
    private final String slot;
    private final long segmentSize;
    private ManagedProcess process;
    private String source = "";

    /**
     * @param dir an empty directory for the archive; pg_receivewal's output goes to a log beside it
     * @param segmentSize the cluster's {@code wal_segment_size} in bytes
     */
    WalReceiver(Path dir, String slot, long segmentSize) {
        this.dir = dir;
        this.slot = slot;
        this.segmentSize = segmentSize;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops streaming from the previous node, if any, and streams from {@code node} (it retries on its own). */
    void streamFrom(TestNode node) {
        stop();
        source = node.name;
        process = ManagedProcess.start(
                "pg_receivewal from " + node.name,
                List.of(
                        PostgresBinaries.binDir().resolve("pg_receivewal").toString(),
                        "--host=127.0.0.1",
                        "--port=" + node.pgPort,
                        "--username=replicator",
                        "--no-password",
                        "--slot=" + slot,
                        "--directory=" + dir,
                        "--verbose"),
                log(),
                Map.of("PGPASSWORD", "rep-secret"));
    }

    /** The node it streams from last. */
    String source() {
        return source;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    Path log() {
        return dir.resolveSibling(dir.getFileName() + ".log");
    }

    /** Stops pg_receivewal (by PID), keeping what it wrote. */
    void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** The WAL segment files of the archive, in order of segment number. */
    List<Segment> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> SEGMENT.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> new Segment(
                            Integer.parseInt(m.group(1), 16),
                            Long.parseLong(m.group(2), 16) * (0x1_0000_0000L / segmentSize)
                                    + Long.parseLong(m.group(3), 16),
                            m.group(4) != null))
                    .sorted(java.util.Comparator.comparingLong(Segment::number).thenComparingInt(Segment::timeline))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The WAL position up to which the archive holds complete segments, the most pg_receivewal can have reported
     * as flushed to its slot (without {@code --synchronous} it syncs, and reports, a segment once it is complete).
     * Empty while no segment is complete.
     */
    Optional<Long> completeUpTo() {
        return segments().stream()
                .filter(s -> !s.partial())
                .mapToLong(s -> (s.number() + 1) * segmentSize)
                .max()
                .stream()
                .boxed()
                .findFirst();
    }

    /** Whether a complete segment holds the WAL at {@code lsn}. */
    boolean hasComplete(long lsn) {
        long number = lsn / segmentSize;
        return segments().stream().anyMatch(s -> !s.partial() && s.number() == number);
    }

    /** Segment numbers missing between the first and the last file of the archive, whatever their timeline. */
    List<Long> holes() {
        TreeSet<Long> numbers = new TreeSet<>();
        segments().forEach(s -> numbers.add(s.number()));
        if (numbers.isEmpty()) {
            return List.of();
        }
        return java.util.stream.LongStream.rangeClosed(numbers.first(), numbers.last())
                .filter(n -> !numbers.contains(n))
                .boxed()
                .toList();
    }

    /** The last lines of pg_receivewal's log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        stop();
    }
}
