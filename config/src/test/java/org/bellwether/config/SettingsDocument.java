package org.bellwether.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bellwether.config.PatroniSettingsFixture.Scope;
import org.bellwether.config.PatroniSettingsFixture.Setting;

/**
 * Writes {@code docs/settings.md}: every setting Patroni 4.1 documents, with its class in the settings table and why.
 * Run {@link #main} (or the tests with {@code -Dbellwether.writeSettingsDocument=true}) after changing the table;
 * {@link SettingsDocumentTest} fails while the file and the table disagree.
 */
final class SettingsDocument {
    static final String TABLE_SOURCE = "config/src/main/java/org/bellwether/config/SettingsTable.java";

    private SettingsDocument() {}

    /** The file, from the repository's root or from a module directory (where Maven runs the tests). */
    static Path file() {
        Path here = Path.of("").toAbsolutePath();
        Path root = Files.isDirectory(here.resolve("config")) ? here : here.getParent();
        return root.resolve("docs/settings.md");
    }

    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : file();
        Files.createDirectories(file.getParent());
        Files.writeString(file, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + file);
    }

    static String render() {
        List<FixtureClassification> all = PatroniSettingsFixture.all().stream()
                .map(FixtureClassification::of)
                .toList();
        StringBuilder out = new StringBuilder();
        out.append("""
                # Patroni settings in Bellwether

                Bellwether reads the configuration of Patroni 4.1. Each setting Patroni documents (its
                `docs/yaml_configuration.rst`, `docs/dynamic_configuration.rst`, `docs/replica_bootstrap.rst` and
                `docs/ENVIRONMENT.rst`) is in one of three classes:

                - **applied**: acted on as Patroni acts on it;
                - **refused**: `bellwether validate` and the agent stop with an error naming the file (or environment
                  variable), the key and why, because ignoring the setting would change what the cluster does;
                - **accepted, not applied**: it would change nothing that matters to the cluster (or Patroni ignores it
                  too); `bellwether validate` and the agent's first log lines say `accepted, not applied: <why>`.

                A class may hold only for some values ("refused when true"); other values are applied. A setting
                refused "with" another is part of what that setting chooses and is reported there. Settings of the
                dynamic configuration are checked in `bootstrap.dcs`, and by `PATCH /config` and `ctl edit-config`.

                This file is generated from the settings table in the code,
                `%s`; `SettingsDocumentTest` fails when the two disagree.

                """.formatted(TABLE_SOURCE));
        counts(out, all);
        section(out, "Node configuration file", Scope.LOCAL, all);
        section(out, "Dynamic configuration (`bootstrap.dcs` and the DCS `config` key)", Scope.DYNAMIC, all);
        section(out, "Environment variables", Scope.ENVIRONMENT, all);
        return out.toString();
    }

    /** The class cell of a setting: its class, and the values or the setting it depends on. */
    static String classCell(SettingRule rule) {
        if (rule.through().isPresent()) {
            return rule.kind().label() + " with `" + rule.through().get() + "`";
        }
        String when = rule.when().describe();
        return when.isEmpty() ? rule.kind().label() : rule.kind().label() + " " + when;
    }

    private static void counts(StringBuilder out, List<FixtureClassification> all) {
        out.append("| settings | applied | refused | accepted, not applied |\n|---|---|---|---|\n");
        for (Scope scope : Scope.values()) {
            Map<SettingClass, Integer> n = new EnumMap<>(SettingClass.class);
            all.stream()
                    .filter(c -> c.setting().scope() == scope)
                    .forEach(c -> n.merge(c.rule().kind(), 1, Integer::sum));
            out.append("| ")
                    .append(title(scope))
                    .append(" | ")
                    .append(n.getOrDefault(SettingClass.APPLIED, 0))
                    .append(" | ")
                    .append(n.getOrDefault(SettingClass.REFUSED, 0))
                    .append(" | ")
                    .append(n.getOrDefault(SettingClass.NOT_APPLIED, 0))
                    .append(" |\n");
        }
        out.append('\n');
    }

    private static String title(Scope scope) {
        return switch (scope) {
            case LOCAL -> "node configuration file";
            case DYNAMIC -> "dynamic configuration";
            case ENVIRONMENT -> "environment variables";
        };
    }

    private static void section(StringBuilder out, String heading, Scope scope, List<FixtureClassification> all) {
        out.append("## ").append(heading).append("\n\n");
        boolean environment = scope == Scope.ENVIRONMENT;
        out.append(
                environment
                        ? "| variable | sets | class | why |\n|---|---|---|---|\n"
                        : "| key | class | why |\n|---|---|---|\n");
        for (FixtureClassification c : all) {
            Setting s = c.setting();
            if (s.scope() != scope) {
                continue;
            }
            SettingRule rule = c.rule();
            out.append("| `").append(s.key()).append("` | ");
            if (environment) {
                out.append(c.sets().map(p -> "`" + p + "`").orElse("")).append(" | ");
            }
            out.append(classCell(rule)).append(" | ").append(rule.reason()).append(" |\n");
        }
        out.append('\n');
    }
}
