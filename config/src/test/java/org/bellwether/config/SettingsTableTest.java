package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.bellwether.config.PatroniSettingsFixture.Scope;
import org.bellwether.config.PatroniSettingsFixture.Setting;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks every setting Patroni 4.1 documents ({@code patroni-4.1-settings.txt}): each has exactly one class in the
 * settings table, a refused one makes the loader fail naming it, and one accepted but not applied gives the loader's
 * warning.
 */
class SettingsTableTest {
    private static final String SOURCE = "node.yml";

    @TestFactory
    Stream<DynamicTest> everyDocumentedSetting_hasExactlyOneClass() {
        return PatroniSettingsFixture.all().stream()
                .map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
                    SettingRule rule = FixtureClassification.of(s).rule();
                    if (!s.key().contains("<")) {
                        assertThat(rule.hasPlaceholder())
                                .as("%s is classified only by the catch-all line %s", s, rule.pattern())
                                .isFalse();
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyRefusedSetting_isRefusedNamingItsKeyAndWhy() {
        return settingsIn(SettingClass.REFUSED)
                .map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
                    SettingRule rule = FixtureClassification.of(s).rule();
                    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(s));

                    assertThat(e).as("%s is refused", s).isNotNull();
                    assertThat(e.problems())
                            .as("an error names %s and says why", s)
                            .anySatisfy(p -> {
                                assertThat(expectedPaths(s, rule)).contains(p.path());
                                assertThat(p.message()).contains(rule.reason());
                                assertThat(p.source()).isEqualTo(expectedSource(s));
                            });
                }));
    }

    @TestFactory
    Stream<DynamicTest> everySettingNotApplied_isWarnedAboutWhenLoaded() {
        return settingsIn(SettingClass.NOT_APPLIED)
                .map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
                    SettingRule rule = FixtureClassification.of(s).rule();
                    List<String> warnings;
                    try {
                        warnings = load(s).warnings();
                    } catch (ConfigException e) {
                        throw new AssertionError(s + " is refused instead: " + e.getMessage(), e);
                    }
                    String named = s.scope() == Scope.ENVIRONMENT
                                    && FixtureClassification.of(s).sets().isEmpty()
                            ? "environment: " + s.key() + ": "
                            : expectedSource(s) + ": " + expectedPaths(s, rule).get(0) + ": ";
                    assertThat(warnings).contains(named + "accepted, not applied: " + rule.reason());
                }));
    }

    private static Stream<Setting> settingsIn(SettingClass kind) {
        return PatroniSettingsFixture.all().stream()
                .filter(s -> FixtureClassification.of(s).closest().size() == 1)
                .filter(s -> FixtureClassification.of(s).rule().kind() == kind);
    }

    private static LoadedConfig load(Setting s) throws ConfigException {
        return ConfigLoader.fromYaml(SettingSamples.yaml(s), SOURCE, SettingSamples.environment(s));
    }

    /** The key a message names: the setting's own, or the one whose refusal covers it; a section's, for the core's. */
    private static List<String> expectedPaths(Setting s, SettingRule rule) {
        String prefix = s.scope() == Scope.DYNAMIC ? "bootstrap.dcs." : "";
        String key = FixtureClassification.of(s).sets().orElse(SettingSamples.concrete(s.key()));
        String named = prefix + rule.through().orElse(key);
        return rule.section() ? List.of(named, prefix + rule.pattern()) : List.of(named);
    }

    private static String expectedSource(Setting s) {
        return s.scope() == Scope.ENVIRONMENT ? "environment " + s.key() : SOURCE;
    }
}
