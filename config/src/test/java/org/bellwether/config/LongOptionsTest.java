package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LongOptionsTest {
    private static LoadedConfig load(String extra) throws ConfigException {
        return ConfigLoader.fromYaml(Samples.MINIMAL + extra, "c.yml", Map.of());
    }

    private static List<String> initdb(String yaml) throws ConfigException {
        return load("bootstrap:\n  initdb:\n" + yaml).config().bootstrap().initdbArguments();
    }

    private static List<String> basebackup(String yaml) throws ConfigException {
        return load("  basebackup:\n" + yaml).config().postgresql().basebackup();
    }

    @Test
    void initdb_listOfFlagsAndSingleKeyMaps() throws ConfigException {
        assertThat(initdb("  - data-checksums\n  - encoding: UTF8\n  - locale: en_US.UTF-8\n  - wal-segsize: 64\n"))
                .containsExactly("--data-checksums", "--encoding=UTF8", "--locale=en_US.UTF-8", "--wal-segsize=64");
    }

    @Test
    void initdb_mapForm_skipsEmptyAndFalseValues() throws ConfigException {
        assertThat(initdb(
                        "    encoding: UTF8\n    auth-host: scram-sha-256\n    locale: ''\n    no-sync-data: false\n"))
                .containsExactly("--encoding=UTF8", "--auth-host=scram-sha-256");
    }

    @Test
    void initdb_flagWrittenAsKeyWithoutValue() throws ConfigException {
        assertThat(initdb("  - data-checksums:\n")).containsExactly("--data-checksums");
    }

    @Test
    void initdb_multiKeyItem_isAnError() {
        ConfigException e =
                catchThrowableOfType(ConfigException.class, () -> initdb("  - {encoding: UTF8, locale: C}\n"));

        assertThat(e.getMessage())
                .isEqualTo("c.yml: bootstrap.initdb[0]: expected an option name or a single name: value pair, got a"
                        + " mapping");
    }

    @Test
    void initdb_scalarInsteadOfList_isAnError() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> load("bootstrap:\n  initdb: data-checksums\n").config());

        assertThat(e.getMessage())
                .isEqualTo("c.yml: bootstrap.initdb: expected a list or a mapping of options, got 'data-checksums'");
    }

    @Test
    void basebackup_mapAndListForms() throws ConfigException {
        assertThat(basebackup("    max-rate: 100M\n    checkpoint: fast\n"))
                .containsExactly("--max-rate=100M", "--checkpoint=fast");
        assertThat(basebackup("  - verbose\n  - max-rate: '100M'\n")).containsExactly("--verbose", "--max-rate=100M");
    }

    @Test
    void basebackup_reservedOption_isSkippedWithAWarning() throws ConfigException {
        LoadedConfig loaded = load("  basebackup:\n  - format: tar\n  - checkpoint: fast\n");

        assertThat(loaded.config().postgresql().basebackup()).containsExactly("--checkpoint=fast");
        assertThat(loaded.warnings())
                .containsExactly("c.yml: postgresql.basebackup[0]: option 'format' is set by the agent itself and may"
                        + " not be given here; ignored, as Patroni does");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "plain|plain",
                "'quoted'|quoted",
                "\"double\"|double",
                "'en_US.UTF-8'|en_US.UTF-8",
                "two words|two words",
                "'two words'|two words",
                "'unterminated|'unterminated",
            })
    void unquote_removesShellQuotingOfASingleWord(String written, String expected) {
        assertThat(LongOptions.unquote(written)).isEqualTo(expected);
    }
}
