package org.bellwether.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bellwether.app.generate.GenerateSampleConfigCommand;
import org.bellwether.config.ConfigReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample configuration is a valid node configuration: generated as {@code bellwether --generate-sample-config}
 * writes it and judged as {@code bellwether validate} judges a file (as a user other than root, PostgreSQL's server
 * program judges its parameters too).
 */
class SampleConfigValidatesTest {
    /** What validate says of every file when it cannot ask PostgreSQL (as root, or without PostgreSQL installed). */
    private static final String PARAMETERS_NOT_CHECKED = "postgresql.parameters: not checked by PostgreSQL";

    @TempDir
    Path dir;

    private ConfigReport generateAndValidate(Map<String, String> env) {
        Path file = dir.resolve("conf/bellwether.yml");
        StringWriter err = new StringWriter();

        int exit = GenerateSampleConfigCommand.generate(
                file, env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(file).exists();
        return ValidateCommand.report(file, env);
    }

    @Test
    void sample_passesValidate_withoutWarnings() {
        ConfigReport report = generateAndValidate(Map.of());

        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).allMatch(w -> w.startsWith(PARAMETERS_NOT_CHECKED));
        assertThat(report.exitCode()).isZero();
    }

    @Test
    void sampleWithTheEnvironmentsDcsAndNames_passesValidate() throws Exception {
        Map<String, String> env = Map.of(
                "PATRONI_SCOPE", "orders",
                "PATRONI_NAME", "db1",
                "PATRONI_ZOOKEEPER_HOSTS", "'zk1:2181','zk2:2181'");

        ConfigReport report = generateAndValidate(env);

        assertThat(report.errors()).isEmpty();
        assertThat(report.config().orElseThrow().scope()).isEqualTo("orders");
        assertThat(report.config().orElseThrow().name()).isEqualTo("db1");
        assertThat(report.config().orElseThrow().zookeeper()).isPresent();
        assertThat(Files.readString(dir.resolve("conf/bellwether.yml"))).doesNotContain("etcd3");
    }

    @Test
    void sampleToStandardOutput_isTheSameDocument() throws Exception {
        StringWriter out = new StringWriter();
        Path file = dir.resolve("sample.yml");

        GenerateSampleConfigCommand.generate(null, Map.of(), new PrintWriter(out, true), new PrintWriter(System.err));
        GenerateSampleConfigCommand.generate(file, Map.of(), new PrintWriter(System.out), new PrintWriter(System.err));

        assertThat(out.toString()).isEqualTo(Files.readString(file)).startsWith("scope: '#FIXME'\n");
    }

    @Test
    void patronisOption_andTheCommand_writeTheSameValidFile() throws Exception {
        Path viaOption = dir.resolve("option.yml");
        Path viaCommand = dir.resolve("command.yml");

        CommandLineConventionsTest.Result option =
                CommandLineConventionsTest.run("--generate-sample-config", viaOption.toString());
        CommandLineConventionsTest.Result command =
                CommandLineConventionsTest.run("generate-sample-config", viaCommand.toString());

        assertThat(option.exit()).as(option.err()).isZero();
        assertThat(command.exit()).as(command.err()).isZero();
        assertThat(option.out()).isEmpty();
        assertThat(Files.readString(viaOption)).isEqualTo(Files.readString(viaCommand));
        assertThat(ValidateCommand.report(viaOption, Map.of()).errors()).isEmpty();
    }
}
