package org.bellwether.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bellwether.core.ConfigRules.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigRulesTest {
    private static final long MAX = Long.MAX_VALUE;

    private static List<Finding> errors(Map<String, ?> config) {
        return ConfigRules.check(config).stream().filter(Finding::error).toList();
    }

    private static List<Finding> warnings(Map<String, ?> config) {
        return ConfigRules.check(config).stream().filter(f -> !f.error()).toList();
    }

    private static Map<String, Object> config(String key, Object value) {
        Map<String, Object> config = new LinkedHashMap<>();
        String[] path = key.split("\\.", 2);
        if (path.length == 1) {
            config.put(key, value);
        } else {
            config.put(path[0], new LinkedHashMap<>(Map.of(path[1], value)));
        }
        return config;
    }

    @Test
    void patroniDefaults_pass() {
        assertThat(ConfigRules.check(Map.of())).isEmpty();
        assertThat(ConfigRules.check(Map.of("ttl", 30, "loop_wait", 10, "retry_timeout", 10)))
                .isEmpty();
    }

    /** key, value, the message of its error. */
    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("loop_wait", MAX, "expected an integer between 1 and 86400, got 9223372036854775807"),
                Arguments.of("retry_timeout", MAX, "expected an integer between 3 and 86400, got 9223372036854775807"),
                Arguments.of("ttl", MAX, "expected an integer between 5 and 86400, got 9223372036854775807"),
                Arguments.of("ttl", 100_000_000_000L, "expected an integer between 5 and 86400, got 100000000000"),
                Arguments.of("ttl", "abc", "expected an integer between 5 and 86400, got 'abc'"),
                Arguments.of("ttl", 4, "expected an integer between 5 and 86400, got 4"),
                Arguments.of("ttl", 86_401, "expected an integer between 5 and 86400, got 86401"),
                Arguments.of("ttl", 30.5, "expected an integer between 5 and 86400, got 30.5"),
                Arguments.of("ttl", true, "expected an integer between 5 and 86400, got true"),
                Arguments.of("ttl", List.of(30), "expected an integer between 5 and 86400, got a list"),
                Arguments.of("ttl", Map.of("s", 30), "expected an integer between 5 and 86400, got a mapping"),
                Arguments.of("ttl", "30s", "expected an integer between 5 and 86400, got '30s'"),
                Arguments.of(
                        "ttl",
                        "99999999999999999999999",
                        "expected an integer between 5 and 86400, got '99999999999999999999999'"),
                Arguments.of(
                        "ttl",
                        new BigInteger("99999999999999999999999"),
                        "expected an integer between 5 and 86400, got 99999999999999999999999"),
                Arguments.of("ttl", Double.NaN, "expected an integer between 5 and 86400, got NaN"),
                Arguments.of("loop_wait", -1, "expected an integer between 1 and 86400, got -1"),
                Arguments.of("loop_wait", 0, "expected an integer between 1 and 86400, got 0"),
                Arguments.of("retry_timeout", 2, "expected an integer between 3 and 86400, got 2"),
                Arguments.of(
                        "maximum_lag_on_failover", -1, "expected an integer between 0 and 2305843009213693951, got -1"),
                Arguments.of(
                        "maximum_lag_on_failover",
                        MAX,
                        "expected an integer between 0 and 2305843009213693951, got 9223372036854775807"),
                Arguments.of(
                        "maximum_lag_on_syncnode",
                        -2,
                        "expected an integer between -1 and 2305843009213693951, got -2"),
                Arguments.of("primary_start_timeout", -5, "expected an integer between 0 and 31536000, got -5"),
                Arguments.of(
                        "master_start_timeout",
                        MAX,
                        "expected an integer between 0 and 31536000, got 9223372036854775807"),
                Arguments.of(
                        "primary_stop_timeout", "never", "expected an integer between 0 and 31536000, got 'never'"),
                Arguments.of("primary_race_backoff", 86_401, "expected an integer between 0 and 86400, got 86401"),
                Arguments.of("max_timelines_history", -1, "expected an integer between 0 and 2147483647, got -1"),
                Arguments.of("synchronous_node_count", 0, "expected an integer between 1 and 1024, got 0"),
                Arguments.of("synchronous_node_count", 1025, "expected an integer between 1 and 1024, got 1025"),
                Arguments.of(
                        "member_slots_ttl",
                        "soon",
                        "expected a number of seconds between 0 and 31536000, or a duration such as 30min, got 'soon'"),
                Arguments.of(
                        "member_slots_ttl",
                        "106751991167301d",
                        "expected a number of seconds between 0 and 31536000, or a duration such as 30min, got"
                                + " '106751991167301d'"),
                Arguments.of("pause", "maybe", "expected true or false (or on/off, yes/no, 1/0), got 'maybe'"),
                Arguments.of("pause", 2, "expected true or false (or on/off, yes/no, 1/0), got 2"),
                Arguments.of("pause", " on", "expected true or false (or on/off, yes/no, 1/0), got ' on'"),
                Arguments.of("check_timeline", 1.0, "expected true or false (or on/off, yes/no, 1/0), got 1.0"),
                Arguments.of(
                        "failsafe_mode", Map.of(), "expected true or false (or on/off, yes/no, 1/0), got a mapping"),
                Arguments.of("synchronous_mode_strict", "", "expected true or false (or on/off, yes/no, 1/0), got ''"),
                Arguments.of(
                        "synchronous_mode",
                        "maybe",
                        "expected on, off or quorum (or true/false, yes/no, 1/0), got 'maybe'"),
                Arguments.of(
                        "synchronous_mode",
                        "sometimes",
                        "expected on, off or quorum (or true/false, yes/no, 1/0), got 'sometimes'"),
                Arguments.of(
                        "postgresql.use_pg_rewind",
                        "perhaps",
                        "expected true or false (or on/off, yes/no, 1/0), got 'perhaps'"),
                Arguments.of("postgresql.use_slots", 5, "expected true or false (or on/off, yes/no, 1/0), got 5"),
                Arguments.of("postgresql.pg_ctl_timeout", -1, "expected an integer between 0 and 31536000, got -1"),
                Arguments.of(
                        "postgresql.pg_hba",
                        List.of("host all all 0.0.0.0/0 md5", 5),
                        "expected a list of strings, got a list"),
                Arguments.of("postgresql.pg_ident", "x", "expected a list of strings, got 'x'"),
                Arguments.of("postgresql.parameters", List.of(), "expected a mapping, got a list"),
                Arguments.of(
                        "standby_cluster.create_replica_methods",
                        "basebackup",
                        "expected a list of strings, got 'basebackup'"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("refused")
    void refusedValues_areErrorsNamingTheKey(String key, Object value, String message) {
        Map<String, Object> config = config(key, value);
        if (key.startsWith("standby_cluster.")) {
            ((Map<String, Object>) config.get("standby_cluster")).put("host", "h");
        }

        // A standby_cluster section is itself refused (not supported yet); its settings are still checked.
        assertThat(errors(config))
                .filteredOn(f -> !f.key().equals("standby_cluster"))
                .containsExactly(new Finding(key, message, true));
        assertThat(ConfigRules.validate(config).failed(key)).isTrue();
    }

    /** key, value as written, value as read. */
    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("ttl", 30, 30L),
                Arguments.of("ttl", "40", 40L),
                Arguments.of("ttl", " 40 ", 40L),
                Arguments.of("ttl", "+40", 40L),
                Arguments.of("ttl", 40.0, 40L),
                Arguments.of("ttl", 86_400L, 86_400L),
                Arguments.of("ttl", new BigInteger("35"), 35L),
                Arguments.of("maximum_lag_on_failover", "0", 0L),
                Arguments.of("maximum_lag_on_failover", Long.MAX_VALUE / 4, Long.MAX_VALUE / 4),
                Arguments.of("maximum_lag_on_syncnode", -1, -1L),
                Arguments.of("synchronous_node_count", 1024, 1024L),
                Arguments.of("member_slots_ttl", "30min", 1800L),
                Arguments.of("member_slots_ttl", "2h", 7200L),
                Arguments.of("member_slots_ttl", "1500ms", 2L),
                Arguments.of("member_slots_ttl", 1800, 1800L),
                Arguments.of("member_slots_ttl", "365d", 31_536_000L),
                Arguments.of("pause", true, true),
                Arguments.of("pause", "on", true),
                Arguments.of("pause", "YES", true),
                Arguments.of("pause", "1", true),
                Arguments.of("pause", 1, true),
                Arguments.of("pause", "Off", false),
                Arguments.of("pause", 0, false),
                Arguments.of("failsafe_mode", "no", false),
                Arguments.of("synchronous_mode", true, SynchronousMode.ON),
                Arguments.of("synchronous_mode", "on", SynchronousMode.ON),
                Arguments.of("synchronous_mode", "1", SynchronousMode.ON),
                Arguments.of("synchronous_mode", "QUORUM", SynchronousMode.QUORUM),
                Arguments.of("synchronous_mode", "off", SynchronousMode.OFF),
                Arguments.of("synchronous_mode", false, SynchronousMode.OFF),
                Arguments.of("postgresql.use_pg_rewind", "true", true),
                Arguments.of("postgresql.use_slots", "false", false),
                Arguments.of("standby_cluster.port", "5433", 5433L));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("accepted")
    void acceptedValues_areReadAsPatroniReadsThem(String key, Object value, Object read) {
        Map<String, Object> config = config(key, value);

        ConfigCheck check = ConfigRules.validate(config);

        assertThat(check.errors())
                .filteredOn(f -> !f.key().equals("standby_cluster"))
                .isEmpty();
        assertThat(check.value(ConfigKey.byPath(key).orElseThrow())).contains(read);
    }

    @Test
    void timingRule_isAWarningWithPatronisAdjustment_notAnError() {
        ConfigCheck check = ConfigRules.validate(Map.of("ttl", 10, "loop_wait", 3, "retry_timeout", 4));

        assertThat(check.errors()).isEmpty();
        assertThat(check.warnings()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEmpty();
            assertThat(f.message())
                    .isEqualTo("loop_wait + 2*retry_timeout exceeds ttl (loop_wait=3, retry_timeout=4, ttl=10:"
                            + " 3 + 2*4 = 11 > 10); lowering loop_wait from 3 to 2, as Patroni does");
        });
        assertThat(check.timing()).isEqualTo(new Timing(10, 2, 4));
    }

    @Test
    void timingRule_lowersRetryTimeoutToo_andNamesDefaults() {
        ConfigCheck check = ConfigRules.validate(Map.of("ttl", 20));

        assertThat(check.warnings())
                .singleElement()
                .extracting(Finding::message)
                .isEqualTo(
                        "loop_wait + 2*retry_timeout exceeds ttl (loop_wait=10 (default), retry_timeout=10 (default),"
                                + " ttl=20: 10 + 2*10 = 30 > 20); lowering loop_wait from 10 to 1 and"
                                + " retry_timeout from 10 to 9, as Patroni does");
        assertThat(check.timing()).isEqualTo(new Timing(20, 1, 9));
    }

    @Test
    void refusedTimingValue_isReplacedByTheFallback_beforeTheRule() {
        ConfigCheck check =
                ConfigRules.validate(Map.of("ttl", 10, "loop_wait", MAX, "retry_timeout", 4), new Timing(10, 2, 4));

        assertThat(check.errors()).extracting(Finding::key).containsExactly("loop_wait");
        assertThat(check.warnings()).isEmpty();
        assertThat(check.timing()).isEqualTo(new Timing(10, 2, 4));
    }

    @Test
    void postgresqlParameters_mustBeSingleValuesWithPostgresNames() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("work_mem", "4MB");
        parameters.put("max_connections", 10);
        parameters.put("port", 5433);
        parameters.put("shared_preload_libraries", Map.of("a", 1));
        parameters.put("search_path", List.of("a", "b"));
        parameters.put("auto_explain.log_min_duration", "1s");
        parameters.put("bad name\nINFO forged", "x");
        parameters.put("hot_standby", true);
        Map<String, Object> pg = Map.of("parameters", parameters, "data_dir", "/x");

        ConfigCheck check = ConfigRules.validate(Map.of("postgresql", pg));

        assertThat(check.errors())
                .extracting(Finding::key)
                .containsExactly(
                        "postgresql.parameters.shared_preload_libraries",
                        "postgresql.parameters.search_path",
                        "postgresql.parameters.bad name\\nINFO forged");
        assertThat(check.errors().get(0).message())
                .isEqualTo("expected a single value (text, a number or a boolean), got a mapping");
        assertThat(check.warnings())
                .extracting(Finding::key)
                .containsExactlyInAnyOrder(
                        "postgresql.data_dir", "postgresql.parameters.max_connections", "postgresql.parameters.port");
        assertThat(check.parameters())
                .containsOnlyKeys(
                        "work_mem", "max_connections", "port", "auto_explain.log_min_duration", "hot_standby");
    }

    @Test
    void postgresqlNotAMapping_failsEverySettingInIt() {
        ConfigCheck check = ConfigRules.validate(Map.of("postgresql", "yes"));

        assertThat(check.errors()).extracting(Finding::key).containsExactly("postgresql");
        assertThat(check.failed("postgresql.use_slots")).isTrue();
        assertThat(check.failed("postgresql.parameters")).isTrue();
        assertThat(check.failed("pause")).isFalse();
    }

    @Test
    void standbyCluster_isRefusedUntilSupported_andItsSettingsAreChecked() {
        assertThat(errors(Map.of("standby_cluster", Map.of("primary_slot_name", "x"))))
                .extracting(Finding::message)
                .anyMatch(m -> m.contains("needs host and port"))
                .anyMatch(m -> m.contains("not supported by Bellwether yet"));
        assertThat(errors(Map.of("standby_cluster", Map.of("host", "h", "port", 5432))))
                .singleElement()
                .satisfies(f -> assertThat(f.key()).isEqualTo("standby_cluster"));
        assertThat(errors(Map.of("standby_cluster", Map.of("host", "h", "port", 70000))))
                .contains(new Finding(
                        "standby_cluster.port", "expected an integer between 1 and 65535, got 70000", true));
    }

    @Test
    void unknownKeys_areWarnings() {
        assertThat(warnings(Map.of("loopwait", 5)))
                .singleElement()
                .extracting(Finding::key)
                .isEqualTo("loopwait");
    }

    @Test
    void nullValues_areAbsent() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ttl", null);
        config.put("pause", null);

        assertThat(ConfigRules.check(config)).isEmpty();
    }

    @Test
    void errorsOn_keepsOnlyErrorsOnWhatAWriteSets() {
        List<Finding> findings = ConfigRules.check(Map.of(
                "loop_wait", MAX, "pause", true, "postgresql", Map.of("parameters", Map.of("work_mem", List.of()))));

        assertThat(ConfigRules.errorsOn(findings, List.of("pause"))).isEmpty();
        assertThat(ConfigRules.errorsOn(findings, List.of("loop_wait")))
                .extracting(Finding::key)
                .containsExactly("loop_wait");
        assertThat(ConfigRules.errorsOn(findings, List.of("postgresql")))
                .extracting(Finding::key)
                .containsExactly("postgresql.parameters.work_mem");
    }

    @Test
    void describe_showsValuesAsTheyAre_andEscapesLineBreaks() {
        assertThat(ConfigRules.describe("x")).isEqualTo("'x'");
        assertThat(ConfigRules.describe(5)).isEqualTo("5");
        assertThat(ConfigRules.describe(true)).isEqualTo("true");
        assertThat(ConfigRules.describe(List.of())).isEqualTo("a list");
        assertThat(ConfigRules.describe(Map.of())).isEqualTo("a mapping");
        assertThat(ConfigRules.describe(null)).isEqualTo("nothing");
        assertThat(ConfigRules.describe("a\nb\u2028c")).isEqualTo("'a\\nb\\u2028c'");
        assertThat(ConfigRules.describe("x".repeat(100))).isEqualTo("'" + "x".repeat(64) + "... (100 characters)'");
    }
}
