package org.bellwether.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static String parsed(String text) throws CtlException {
        return Timestamps.parseScheduled(Optional.of(text), BERLIN)
                .map(Timestamps::isoformat)
                .orElse("now");
    }

    @Test
    void scheduled_isoVariants_asPythonIsoformat() throws CtlException {
        assertThat(parsed("2030-01-02T03:04:05+00:00")).isEqualTo("2030-01-02T03:04:05+00:00");
        assertThat(parsed("2030-01-02T03:04:05Z")).isEqualTo("2030-01-02T03:04:05+00:00");
        assertThat(parsed("2030-01-02T03:04:05-03:00")).isEqualTo("2030-01-02T03:04:05-03:00");
        assertThat(parsed("2030-01-02 03:04")).isEqualTo("2030-01-02T03:04:00+01:00");
        assertThat(parsed("2030-07-02T03:04:05.250")).isEqualTo("2030-07-02T03:04:05.250000+02:00");
        assertThat(parsed("now")).isEqualTo("now");
        assertThat(Timestamps.parseScheduled(Optional.empty(), BERLIN)).isEmpty();
    }

    @Test
    void scheduled_unreadable_isPatronictlsSentence() {
        assertThatThrownBy(() -> parsed("next tuesday"))
                .hasMessage("Unable to parse scheduled timestamp (next tuesday). It should be in an unambiguous format"
                        + " (e.g. ISO 8601)");
    }

    @Test
    void scheduled_aTimePatroniCannotReadBack_isRefused() {
        for (String text :
                List.of("+999999999-12-31T23:59:59+00:00", "+10000-01-01T00:00", "9999-12-31T23:30:00-01:00")) {
            assertThatThrownBy(() -> parsed(text))
                    .as(text)
                    .isInstanceOf(CtlException.class)
                    .hasMessageStartingWith("Unable to parse scheduled timestamp (" + text + ")")
                    .hasMessageContaining("four-digit year");
        }
        assertThatThrownBy(() -> parsed("0000-06-01T00:00:00+00:00")).hasMessageContaining("0001 to 9999");
    }

    @Test
    void timestampLines() {
        ZonedDateTime t = ZonedDateTime.of(2024, 5, 1, 10, 0, 3, 123_456_000, ZoneOffset.UTC);

        assertThat(Timestamps.seconds(t)).isEqualTo("2024-05-01 10:00:03");
        assertThat(Timestamps.precise(t)).isEqualTo("2024-05-01 10:00:03.12345");
        assertThat(Timestamps.nextHour(t)).isEqualTo("2024-05-01T11:00");
        assertThat(Timestamps.isoformat(OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC)))
                .isEqualTo("2024-05-01T10:00:00+00:00");
    }
}
