package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
    private static Map<?, ?> read(String yaml) throws ConfigException {
        return (Map<?, ?>) YamlReader.read(yaml, "t.yml").root();
    }

    @Test
    void scalars_areTypedAsPyYamlTypesThem() throws ConfigException {
        Map<?, ?> m = read("a: on\nb: 'on'\nc: off\nd: yes\ne: 30\nf: 1.5\ng: ~\nh: 0x10\ni: 10000000000\nj: text\n");

        assertThat(m.get("a")).isEqualTo(true);
        assertThat(m.get("b")).isEqualTo("on");
        assertThat(m.get("c")).isEqualTo(false);
        assertThat(m.get("d")).isEqualTo(true);
        assertThat(m.get("e")).isEqualTo(30);
        assertThat(m.get("f")).isEqualTo(1.5);
        assertThat(m.containsKey("g")).isTrue();
        assertThat(m.get("g")).isNull();
        assertThat(m.get("h")).isEqualTo(16);
        assertThat(m.get("i")).isEqualTo(10_000_000_000L);
        assertThat(m.get("j")).isEqualTo("text");
    }

    @Test
    void numberJacksonCannotConvert_staysText() throws ConfigException {
        assertThat(read("x: .inf\n").get("x")).isEqualTo(".inf");
    }

    @Test
    void anchorsAliasesAndMergeKeys_workAsInPyYaml() throws ConfigException {
        Map<?, ?> m = read("""
                base: &base
                  username: postgres
                  sslmode: require
                superuser:
                  <<: *base
                  sslmode: verify-full
                hosts: &h [a, b]
                again: *h
                """);

        assertThat(m.get("superuser")).isEqualTo(Map.of("username", "postgres", "sslmode", "verify-full"));
        assertThat(m.get("again")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void unknownAlias_isASyntaxError() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read("a: *nowhere\n"));

        assertThat(e.getMessage()).isEqualTo("t.yml: a: line 1: alias *nowhere refers to no anchor &nowhere");
    }

    @Test
    void twoDocuments_areRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read("a: 1\n---\nb: 2\n"));

        assertThat(e.getMessage())
                .isEqualTo("t.yml: line 3: holds more than one YAML document; put all settings in one");
    }

    @Test
    void tabIndentation_isASyntaxErrorWithPosition() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read("a:\n\tb: 1\n"));

        assertThat(e.getMessage()).startsWith("t.yml: a: line 2, column 1: invalid YAML: found character");
    }

    @Test
    void duplicateKeys_lastWins_withAWarning() throws ConfigException {
        YamlReader.Parsed parsed = YamlReader.read("a:\n  b: 1\n  b: 2\n", "t.yml");

        assertThat(parsed.root()).isEqualTo(Map.of("a", Map.of("b", 2)));
        assertThat(parsed.warnings()).containsExactly("t.yml: a.b: line 3: key given twice; the last value is used");
    }

    @Test
    void emptyDocument_hasNoRoot() throws ConfigException {
        assertThat(YamlReader.read("# only a comment\n", "t.yml").root()).isNull();
    }
}
