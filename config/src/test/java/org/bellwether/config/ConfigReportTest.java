package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReportTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int validate(String yaml) {
        Path file = Samples.write(dir, "config.yml", yaml);
        return ConfigReport.validate(
                file,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String file() {
        return dir.resolve("config.yml").toString();
    }

    @Test
    void validConfig_printsOk_exitsZero() {
        int code = validate(Samples.POSTGRES0);

        assertThat(code).isEqualTo(ConfigReport.EXIT_OK);
        assertThat(out()).isEqualTo(file() + ": OK\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void warnings_areListed_butTheConfigIsOk() {
        int code = validate(Samples.MINIMAL + "colour: blue\n");

        assertThat(code).isEqualTo(ConfigReport.EXIT_OK);
        assertThat(out()).isEqualTo(file() + ": OK (1 warning)\n");
        assertThat(err()).isEqualTo("warning: " + file() + ": colour: unknown setting, ignored\n");
    }

    @Test
    void errors_areListed_exitsOne() {
        int code = validate(Samples.MINIMAL.replace("listen: 0.0.0.0:8008", "listen: 8008x") + "colour: blue\n");

        assertThat(code).isEqualTo(ConfigReport.EXIT_INVALID);
        assertThat(out()).isEqualTo(file() + ": invalid (1 error)\n");
        assertThat(err())
                .isEqualTo("warning: " + file() + ": colour: unknown setting, ignored\n" + "error: " + file()
                        + ": restapi.listen: expected host:port, got '8008x'\n");
    }

    @Test
    void check_returnsTheVerdictAsData() {
        ConfigReport report = ConfigReport.check(Samples.write(dir, "config.yml", "scope: [\n"), Map.of());

        assertThat(report.ok()).isFalse();
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.config()).isEmpty();
        assertThat(report.errors()).singleElement().asString().contains("line 2");
    }
}
