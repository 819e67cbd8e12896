package org.bellwether.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge rules of patronictl's {@code apply_config_changes} and Patroni's {@code patch_config}. */
class ConfigEditTest {
    private static Map<String, Object> config() {
        Map<String, Object> parameters = new LinkedHashMap<>(Map.of("max_connections", 100, "work_mem", "4MB"));
        Map<String, Object> postgresql = new LinkedHashMap<>(Map.of("use_pg_rewind", true, "parameters", parameters));
        Map<String, Object> config = new LinkedHashMap<>(Map.of("ttl", 30, "loop_wait", 10));
        config.put("postgresql", postgresql);
        return config;
    }

    @Test
    void set_valuesAreYaml_pathsAreDotted_parameterNamesKeepTheirDots() throws CtlException {
        Map<String, Object> changed = ConfigEdit.set(
                config(),
                List.of("ttl=40", "synchronous_mode=on", "slots.s1.type=physical", "check_timeline='yes'"),
                List.of(" pg_stat_statements.max=10000"));

        assertThat(changed)
                .containsEntry("ttl", 40)
                .containsEntry("synchronous_mode", true)
                .containsEntry("check_timeline", "yes")
                .containsEntry("slots", Map.of("s1", Map.of("type", "physical")));
        assertThat(changed.get("postgresql"))
                .isEqualTo(Map.of(
                        "use_pg_rewind",
                        true,
                        "parameters",
                        Map.of("max_connections", 100, "work_mem", "4MB", "pg_stat_statements.max", 10000)));
    }

    @Test
    void set_nullOrNothingDeletes_andAnEmptiedMappingGoes() throws CtlException {
        Map<String, Object> changed = ConfigEdit.set(
                config(),
                List.of("loop_wait=null", "postgresql.use_pg_rewind=", "postgresql.parameters.max_connections=~"),
                List.of("work_mem=null"));

        assertThat(changed).containsOnlyKeys("ttl");
    }

    @Test
    void set_quotedEmptyString_staysAString() throws CtlException {
        assertThat(ConfigEdit.set(config(), List.of("x=''"), List.of())).containsEntry("x", "");
    }

    @Test
    void set_withoutEquals_isPatronictlsError() {
        assertThatThrownBy(() -> ConfigEdit.set(config(), List.of("ttl"), List.of()))
                .hasMessage("Invalid parameter setting ttl");
        assertThatThrownBy(() -> ConfigEdit.set(config(), List.of("x=[1, 2"), List.of()))
                .hasMessageStartingWith("cannot read the value given for x as YAML");
    }

    @Test
    void apply_patchConfig_mergesMappings_nullsDelete_listsReplace() throws CtlException {
        Object doc = ConfigEdit.parse(
                "postgresql:\n  parameters:\n    work_mem: null\n    shared_buffers: 1GB\n  pg_hba: [a, b]\nttl: 30\n",
                "patch");

        Map<String, Object> changed = ConfigEdit.apply(config(), doc, "patch");

        assertThat(changed.get("postgresql"))
                .isEqualTo(Map.of(
                        "use_pg_rewind",
                        true,
                        "parameters",
                        Map.of("max_connections", 100, "shared_buffers", "1GB"),
                        "pg_hba",
                        List.of("a", "b")));
        assertThat(ConfigEdit.apply(config(), null, "empty")).isEqualTo(config());
        assertThatThrownBy(() -> ConfigEdit.apply(config(), List.of(1), "f.yml"))
                .hasMessage("f.yml does not hold a mapping of settings");
    }

    @Test
    void same_comparesAsPython() {
        assertThat(ConfigEdit.same(Map.of("a", 1), Map.of("a", 1.0))).isTrue();
        assertThat(ConfigEdit.same(Map.of("a", List.of(1L)), Map.of("a", List.of(1))))
                .isTrue();
        assertThat(ConfigEdit.same(Map.of("a", "1"), Map.of("a", 1))).isFalse();
    }

    @Test
    void newErrors_nameTheKey_andIgnoreWhatWasAlreadyWrong() {
        Map<String, Object> bad = new LinkedHashMap<>(config());
        bad.put("maximum_lag_on_failover", "lots");

        assertThat(ConfigEdit.newErrors(config(), bad))
                .containsExactly(
                        "maximum_lag_on_failover: expected an integer between 0 and 2305843009213693951, got 'lots'");
        Map<String, Object> stillBad = new LinkedHashMap<>(bad);
        stillBad.put("ttl", 31);
        assertThat(ConfigEdit.newErrors(bad, stillBad)).isEmpty();
        stillBad.put("maximum_lag_on_failover", "more");
        assertThat(ConfigEdit.newErrors(bad, stillBad)).hasSize(1);
    }

    @Test
    void newErrorsAndWarnings_includeTheSettingsBellwetherRefusesOrDoesNotApply() {
        Map<String, Object> edited = new LinkedHashMap<>(config());
        edited.put("primary_race_backoff", 10);
        edited.put("primary_stop_timeout", 30);

        assertThat(ConfigEdit.newErrors(config(), edited))
                .singleElement()
                .asString()
                .startsWith("primary_stop_timeout: refused: ");
        assertThat(ConfigEdit.newWarnings(config(), edited))
                .singleElement()
                .asString()
                .startsWith("primary_race_backoff: accepted, not applied: ");
    }
}
