package org.bellwether.agent.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The shared JSON mapper, and timestamps in the text form Patroni's Python writes. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern(".SSSSSS");

    private Json() {}

    /**
     * Python's {@code datetime.isoformat(sep)} in UTC: microseconds only when non-zero, offset as {@code +00:00}.
     * Patroni serialises {@code postmaster_start_time} with {@code str()} (separator space) and schedules with
     * {@code isoformat()} (separator T); clients parse exactly these shapes.
     */
    static String pythonTimestamp(Instant instant, char separator) {
        var utc = instant.atOffset(ZoneOffset.UTC);
        String text = SECONDS.format(utc);
        if (utc.getNano() / 1000 != 0) {
            text += MICROS.format(utc);
        }
        return text.replace('T', separator) + "+00:00";
    }
}
