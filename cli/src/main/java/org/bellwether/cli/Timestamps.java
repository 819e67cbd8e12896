package org.bellwether.cli;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Optional;
import org.bellwether.core.PatroniTime;

/** patronictl's clock texts: {@code timestamp()} lines and the parsing of {@code --scheduled}. */
final class Timestamps {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter HUNDRED_THOUSANDTHS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSS");
    private static final DateTimeFormatter NEXT_HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    /** ISO 8601 with a space or T, seconds and fraction optional, then an optional offset or Z. */
    private static final DateTimeFormatter SCHEDULE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH", "Z")
            .optionalEnd()
            .toFormatter();

    private Timestamps() {}

    /** {@code timestamp(0)}: {@code 2024-05-01 10:00:00}. */
    static String seconds(ZonedDateTime now) {
        return SECONDS.format(now);
    }

    /** {@code timestamp()}: {@code 2024-05-01 10:00:00.12345} (patronictl cuts the microseconds to five digits). */
    static String precise(ZonedDateTime now) {
        return HUNDRED_THOUSANDTHS.format(now);
    }

    /** The example in the "When should ... take place" prompt: an hour from now, to the minute. */
    static String nextHour(ZonedDateTime now) {
        return NEXT_HOUR.format(now.plusHours(1));
    }

    /**
     * patronictl's {@code parse_scheduled}: empty or {@code now} means now; a time without an offset is local time.
     * Returns the moment as Python's {@code isoformat()} would write it. A time Patroni could not read back (a year
     * outside 0001 to 9999, locally or in UTC, see {@link PatroniTime}) is refused as dateutil would refuse it:
     * stored in the {@code failover} key, it would make a Patroni leader fail its DCS reads and demote.
     */
    static Optional<OffsetDateTime> parseScheduled(Optional<String> text, ZoneId zone) throws CtlException {
        if (text.isEmpty() || text.get().isBlank() || text.get().trim().equals("now")) {
            return Optional.empty();
        }
        String t = text.get().trim();
        OffsetDateTime time;
        try {
            var parsed = SCHEDULE.parseBest(t, OffsetDateTime::from, LocalDateTime::from);
            time = parsed instanceof OffsetDateTime o
                    ? o
                    : ((LocalDateTime) parsed).atZone(zone).toOffsetDateTime();
        } catch (DateTimeException e) {
            throw new CtlException("Unable to parse scheduled timestamp (" + t
                    + "). It should be in an unambiguous format (e.g. ISO 8601)");
        }
        Optional<String> unreadable = PatroniTime.whyUnreadable(time);
        if (unreadable.isPresent()) {
            throw new CtlException("Unable to parse scheduled timestamp (" + t + "): " + unreadable.get()
                    + ". It should be in an unambiguous format (e.g. ISO 8601) with a four-digit year");
        }
        return Optional.of(time);
    }

    /** Python's {@code datetime.isoformat()}: seconds always, microseconds only when not zero. */
    static String isoformat(OffsetDateTime time) {
        String base = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").format(time);
        int micros = time.getNano() / 1000;
        String fraction = micros == 0 ? "" : String.format(".%06d", micros);
        String offset = time.getOffset().getTotalSeconds() == 0
                ? "+00:00"
                : DateTimeFormatter.ofPattern("xxx").format(time);
        return base + fraction + offset;
    }
}
