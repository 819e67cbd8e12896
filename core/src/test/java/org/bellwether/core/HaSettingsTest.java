package org.bellwether.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.ConfigRules.Finding;
import org.junit.jupiter.api.Test;

class HaSettingsTest {
    private static final HaSettings GOOD = HaSettings.from(Map.of(
            "ttl",
            10,
            "loop_wait",
            2,
            "retry_timeout",
            4,
            "pause",
            true,
            "synchronous_mode",
            "quorum",
            "maximum_lag_on_failover",
            5000,
            "postgresql",
            Map.of("use_pg_rewind", true, "parameters", Map.of("work_mem", "8MB", "max_connections", 200))));

    @Test
    void defaults_arePatronis() {
        HaSettings d = HaSettings.defaults();

        assertThat(d.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.loopWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.retryTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.maximumLagOnFailover()).isEqualTo(1_048_576);
        assertThat(d.primaryStartTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(d.useSlots()).isTrue();
        assertThat(d.synchronousMode()).isEqualTo(SynchronousMode.OFF);
        assertThat(d.synchronousNodeCount()).isEqualTo(1);
        assertThat(d.maximumLagOnSyncNode()).isEqualTo(-1);
    }

    @Test
    void badValues_keepTheLastGoodOnes_andSaySo() {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("ttl", "abc");
        bad.put("loop_wait", Long.MAX_VALUE);
        bad.put("retry_timeout", -1);
        bad.put("pause", "maybe");
        bad.put("synchronous_mode", "maybe");
        bad.put("maximum_lag_on_failover", 1e300);
        bad.put("postgresql", Map.of("use_pg_rewind", 7, "parameters", Map.of("work_mem", Map.of("x", 1))));

        HaSettings.Reading reading = HaSettings.read(bad, Optional.of(GOOD));

        HaSettings s = reading.settings();
        assertThat(s.ttl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.loopWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.retryTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.pause()).isTrue();
        assertThat(s.synchronousMode()).isEqualTo(SynchronousMode.QUORUM);
        assertThat(s.maximumLagOnFailover()).isEqualTo(5000);
        assertThat(s.usePgRewind()).isTrue();
        assertThat(s.postgresqlParameters()).containsExactly(Map.entry("work_mem", "8MB"));
        assertThat(reading.findings())
                .extracting(Finding::text)
                .containsExactlyInAnyOrder(
                        "ttl: expected an integer between 5 and 86400, got 'abc'; keeping 10",
                        "loop_wait: expected an integer between 1 and 86400, got 9223372036854775807; keeping 2",
                        "retry_timeout: expected an integer between 3 and 86400, got -1; keeping 4",
                        "pause: expected true or false (or on/off, yes/no, 1/0), got 'maybe'; keeping true",
                        "synchronous_mode: expected on, off or quorum (or true/false, yes/no, 1/0), got 'maybe';"
                                + " keeping quorum",
                        "maximum_lag_on_failover: expected an integer between 0 and 2305843009213693951, got 1.0E300;"
                                + " keeping 5000",
                        "postgresql.use_pg_rewind: expected true or false (or on/off, yes/no, 1/0), got 7;"
                                + " keeping true",
                        "postgresql.parameters.work_mem: expected a single value (text, a number or a boolean), got a"
                                + " mapping; keeping '8MB'");
    }

    @Test
    void badValues_withoutPreviousSettings_takePatronisDefaults() {
        HaSettings.Reading reading = HaSettings.read(Map.of("ttl", "abc", "pause", "maybe"), Optional.empty());

        assertThat(reading.settings()).isEqualTo(HaSettings.defaults());
        assertThat(reading.findings())
                .extracting(Finding::text)
                .containsExactlyInAnyOrder(
                        "ttl: expected an integer between 5 and 86400, got 'abc'; using the default 30",
                        "pause: expected true or false (or on/off, yes/no, 1/0), got 'maybe'; using the default false");
    }

    @Test
    void pgHba_isReadAsLines_andABadListKeepsThePreviousLines() {
        List<String> lines = List.of("local all all trust", "host all all 10.0.0.0/8 scram-sha-256");
        HaSettings good = HaSettings.from(Map.of("postgresql", Map.of("pg_hba", lines)));
        assertThat(good.pgHba()).isEqualTo(lines);
        assertThat(HaSettings.defaults().pgHba()).isEmpty();

        HaSettings.Reading bad = HaSettings.read(
                Map.of("postgresql", Map.of("pg_hba", "host all all 0.0.0.0/0 trust")), Optional.of(good));
        assertThat(bad.settings().pgHba()).isEqualTo(lines);
        assertThat(bad.findings()).extracting(Finding::key).contains("postgresql.pg_hba");
    }

    @Test
    void aSectionThatIsNotAMapping_keepsThePreviousValuesOfItsSettings() {
        HaSettings.Reading reading = HaSettings.read(
                Map.of("ttl", 10, "loop_wait", 2, "retry_timeout", 4, "postgresql", List.of()), Optional.of(GOOD));

        assertThat(reading.settings().usePgRewind()).isTrue();
        assertThat(reading.settings().postgresqlParameters()).isEqualTo(GOOD.postgresqlParameters());
        assertThat(reading.findings())
                .extracting(Finding::text)
                .containsExactly(
                        "postgresql: expected a mapping, got a list; keeping the previous values of its settings");
    }

    @Test
    void absentValues_takeDefaults_notPreviousOnes() {
        HaSettings s = HaSettings.read(Map.of(), Optional.of(GOOD)).settings();

        assertThat(s).isEqualTo(HaSettings.defaults());
    }

    @Test
    void timing_isAdjustedAsPatroniDoes_withAWarning() {
        HaSettings.Reading reading =
                HaSettings.read(Map.of("ttl", 10, "loop_wait", 3, "retry_timeout", 4), Optional.of(GOOD));

        assertThat(reading.settings().loopWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(reading.findings()).singleElement().satisfies(f -> {
            assertThat(f.error()).isFalse();
            assertThat(f.message()).contains("lowering loop_wait from 3 to 2");
        });
    }

    @Test
    void primaryStartTimeout_fallsBackToItsOldName() {
        assertThat(HaSettings.from(Map.of("master_start_timeout", 60)).primaryStartTimeout())
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(HaSettings.from(Map.of("master_start_timeout", 60, "primary_start_timeout", 0))
                        .primaryStartTimeout())
                .isZero();
    }
}
