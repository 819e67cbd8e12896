package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.bellwether.config.PatroniSettingsFixture.Scope;
import org.bellwether.config.PatroniSettingsFixture.Setting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code docs/settings.md}, which the README links to, lists every documented setting with the class the settings
 * table gives it, so that the two cannot drift apart. With {@code -Dbellwether.writeSettingsDocument=true} the test
 * writes the file instead.
 */
class SettingsDocumentTest {
    private static final boolean WRITE = Boolean.getBoolean("bellwether.writeSettingsDocument");

    @BeforeAll
    static void writeWhenAsked() throws IOException {
        if (WRITE) {
            SettingsDocument.main(new String[0]);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedSetting_isListedWithTheTablesClass() throws IOException {
        Map<String, String> classes = classesInTheDocument();
        return PatroniSettingsFixture.all().stream()
                .map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
                    String expected = SettingsDocument.classCell(
                            FixtureClassification.of(s).rule());
                    assertThat(classes.get(rowKey(s)))
                            .as("%s in %s (regenerate it with SettingsDocument.main)", s, SettingsDocument.file())
                            .isEqualTo(expected);
                }));
    }

    @Test
    void theDocument_isTheTableWrittenOut() throws IOException {
        assertThat(Files.readString(SettingsDocument.file(), StandardCharsets.UTF_8))
                .as("docs/settings.md is out of date: regenerate it with SettingsDocument.main")
                .isEqualTo(SettingsDocument.render());
    }

    /** The class column of each row, by section and key. */
    private static Map<String, String> classesInTheDocument() throws IOException {
        Path file = SettingsDocument.file();
        assertThat(file).as("the settings document").exists();
        Map<String, String> out = new HashMap<>();
        Scope scope = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                scope = line.startsWith("## Node")
                        ? Scope.LOCAL
                        : line.startsWith("## Dynamic") ? Scope.DYNAMIC : Scope.ENVIRONMENT;
            } else if (scope != null && line.startsWith("| `")) {
                String[] cells = line.split("\\s*\\|\\s*");
                String key = cells[1].replace("`", "");
                out.put(scope + " " + key, cells[scope == Scope.ENVIRONMENT ? 3 : 2]);
            }
        }
        return out;
    }

    private static String rowKey(Setting s) {
        return s.scope() + " " + s.key();
    }
}
