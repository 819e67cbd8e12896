package org.bellwether.core;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The times Patroni can read back from what Bellwether writes ({@code scheduled_at} of the {@code failover} key, a
 * scheduled restart): Patroni parses them with {@code dateutil.parser.parse} into a Python {@code datetime}, which
 * knows the years 1 to 9999 only. Bellwether writes them in UTC, so the instant must fall in those years in UTC, and
 * the text an operator gave must have a four-digit year too (a Patroni peer may receive the same text).
 */
public final class PatroniTime {
    /** The first and last instants of Python's {@code datetime}, microseconds being its precision. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private PatroniTime() {}

    public static boolean isReadable(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /** Why Patroni could not read this time back, or empty when it can. */
    public static Optional<String> whyUnreadable(OffsetDateTime time) {
        if (time.getYear() < 1 || time.getYear() > 9999) {
            return Optional.of("the year " + time.getYear() + " is not a four-digit year from 0001 to 9999");
        }
        if (!isReadable(time.toInstant())) {
            return Optional.of("in UTC it falls outside the years 0001 to 9999");
        }
        return Optional.empty();
    }
}
