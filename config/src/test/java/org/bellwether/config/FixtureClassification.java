package org.bellwether.config;

import java.util.List;
import java.util.Optional;
import org.bellwether.config.PatroniSettingsFixture.Setting;

/**
 * How the {@link SettingsTable} classifies one documented setting: the rules that match it most closely (exactly one,
 * in a table without gaps or ambiguities) and, for an environment variable, the setting it sets.
 */
record FixtureClassification(Setting setting, List<SettingRule> closest, Optional<String> sets) {
    static FixtureClassification of(Setting setting) {
        String key = setting.key();
        return switch (setting.scope()) {
            case LOCAL ->
                new FixtureClassification(
                        setting, SettingsTable.closest(SettingsTable.localRules(), key), Optional.empty());
            case DYNAMIC ->
                new FixtureClassification(
                        setting, SettingsTable.closest(SettingsTable.dynamicRules(), key), Optional.empty());
            case ENVIRONMENT -> variable(setting);
        };
    }

    private static FixtureClassification variable(Setting setting) {
        List<SettingRule> own = SettingsTable.closest(SettingsTable.variableRules(), setting.key());
        if (!own.isEmpty()) {
            return new FixtureClassification(setting, own, Optional.empty());
        }
        Optional<String> path =
                Optional.ofNullable(EnvironmentConfig.variables().get(setting.key()));
        List<SettingRule> rules = path.map(p -> SettingsTable.closest(SettingsTable.localRules(), p))
                .orElse(List.of());
        return new FixtureClassification(setting, rules, path);
    }

    /** The one rule; fails naming the setting when there is none or more than one. */
    SettingRule rule() {
        if (closest.size() != 1) {
            throw new AssertionError(setting + " (" + setting.source() + "): "
                    + (closest.isEmpty()
                            ? "no line of the settings table classifies it"
                            : "several lines of the settings table match it equally: "
                                    + closest.stream().map(SettingRule::pattern).toList()));
        }
        return closest.get(0);
    }
}
