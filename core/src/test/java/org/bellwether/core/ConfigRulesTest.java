package org.bellwether.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.bellwether.core.ConfigRules.Finding;
import org.junit.jupiter.api.Test;

class ConfigRulesTest {
    private static List<Finding> errors(Map<String, ?> config) {
        return ConfigRules.check(config).stream().filter(Finding::error).toList();
    }

    private static List<Finding> warnings(Map<String, ?> config) {
        return ConfigRules.check(config).stream().filter(f -> !f.error()).toList();
    }

    @Test
    void patroniDefaults_pass() {
        assertThat(ConfigRules.check(Map.of())).isEmpty();
        assertThat(ConfigRules.check(Map.of("ttl", 30, "loop_wait", 10, "retry_timeout", 10)))
                .isEmpty();
    }

    @Test
    void timingRule_isAnErrorOnTheWholeMap() {
        assertThat(errors(Map.of("ttl", 30, "loop_wait", 11, "retry_timeout", 10)))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.key()).isEmpty();
                    assertThat(f.message()).contains("loop_wait=11", "retry_timeout=10", "ttl=30");
                });
    }

    @Test
    void minimums_areErrors_andSkipTheTimingRule() {
        assertThat(errors(Map.of("ttl", 4, "retry_timeout", 2, "loop_wait", 0)))
                .extracting(Finding::key)
                .containsExactly("ttl", "loop_wait", "retry_timeout");
    }

    @Test
    void integersMayBeDigitStrings_asWithPatronisParseInt() {
        assertThat(ConfigRules.check(Map.of("ttl", "40", "maximum_lag_on_failover", "0")))
                .isEmpty();
    }

    @Test
    void wrongTypes() {
        assertThat(errors(Map.of(
                        "maximum_lag_on_failover",
                        1.5,
                        "failsafe_mode",
                        "yes",
                        "synchronous_mode",
                        "sometimes",
                        "synchronous_node_count",
                        0)))
                .extracting(Finding::key)
                .containsExactlyInAnyOrder(
                        "maximum_lag_on_failover", "failsafe_mode", "synchronous_mode", "synchronous_node_count");
    }

    @Test
    void synchronousMode_acceptsBooleansAndQuorum() {
        assertThat(ConfigRules.check(Map.of("synchronous_mode", true))).isEmpty();
        assertThat(ConfigRules.check(Map.of("synchronous_mode", "quorum"))).isEmpty();
    }

    @Test
    void memberSlotsTtl_acceptsSecondsOrDurations() {
        assertThat(ConfigRules.check(Map.of("member_slots_ttl", "30min"))).isEmpty();
        assertThat(ConfigRules.check(Map.of("member_slots_ttl", 1800))).isEmpty();
        assertThat(errors(Map.of("member_slots_ttl", "soon"))).hasSize(1);
    }

    @Test
    void postgresqlSection() {
        Map<String, Object> pg = Map.of(
                "use_pg_rewind",
                "true",
                "pg_hba",
                List.of("host all all 0.0.0.0/0 md5", 5),
                "data_dir",
                "/x",
                "parameters",
                Map.of("max_connections", 10, "port", 5433, "work_mem", "4MB"));

        assertThat(errors(Map.of("postgresql", pg)))
                .extracting(Finding::key)
                .containsExactlyInAnyOrder("postgresql.use_pg_rewind", "postgresql.pg_hba");
        assertThat(warnings(Map.of("postgresql", pg)))
                .extracting(Finding::key)
                .containsExactlyInAnyOrder(
                        "postgresql.data_dir", "postgresql.parameters.max_connections", "postgresql.parameters.port");
    }

    @Test
    void standbyCluster_needsASource() {
        assertThat(errors(Map.of("standby_cluster", Map.of("primary_slot_name", "x"))))
                .extracting(Finding::key)
                .containsExactly("standby_cluster");
        assertThat(ConfigRules.check(Map.of("standby_cluster", Map.of("host", "h", "port", 5432))))
                .isEmpty();
        assertThat(errors(Map.of("standby_cluster", Map.of("host", "h", "port", 70000))))
                .extracting(Finding::key)
                .containsExactly("standby_cluster.port");
    }

    @Test
    void unknownKeys_areWarnings() {
        assertThat(warnings(Map.of("loopwait", 5)))
                .singleElement()
                .extracting(Finding::key)
                .isEqualTo("loopwait");
    }

    @Test
    void describe_namesKindAndValue() {
        assertThat(ConfigRules.describe("x")).isEqualTo("'x'");
        assertThat(ConfigRules.describe(5)).isEqualTo("the number 5");
        assertThat(ConfigRules.describe(true)).isEqualTo("the boolean true");
        assertThat(ConfigRules.describe(List.of())).isEqualTo("a list");
    }
}
