package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
        "2024-05-01T10:00:00Z, ' ', 2024-05-01 10:00:00+00:00",
        "2024-05-01T10:00:00.25Z, ' ', 2024-05-01 10:00:00.250000+00:00",
        "2024-05-01T10:00:00.000000900Z, ' ', 2024-05-01 10:00:00+00:00",
        "2024-05-01T10:00:00.123456Z, T, 2024-05-01T10:00:00.123456+00:00"
    })
    void timestamps_matchPythonsIsoformat(String instant, char separator, String expected) {
        assertThat(Json.pythonTimestamp(Instant.parse(instant), separator)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"4.0.3, 040003", "3.3.10, 030310", "0.1.0-SNAPSHOT, 000100", "'', 00"})
    void patroniVersionMetric_padsEachPartToTwoDigits(String version, String expected) {
        assertThat(MetricsResource.paddedVersion(version)).isEqualTo(expected);
    }
}
