package org.bellwether.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwether.config.ConfigLoader;
import org.bellwether.config.LoadedConfig;
import org.bellwether.testkit.TestDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The distribution archive Maven builds, {@code app/target/bellwether-<version>.tar.gz}, unpacked as an operator would:
 * its launchers run from it, its sample configurations are valid, its HAProxy configuration and systemd unit are
 * accepted by the tools that read them, and the demo runs from it (ZooKeeper's server classes are all there).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionArchiveIT {
    private static final Path HOME = Path.of(System.getProperty("bellwether.home", ".."))
            .toAbsolutePath()
            .normalize();
    private static final String VERSION = System.getProperty("bellwether.version", "0.1.0-SNAPSHOT");
    private static final Duration COMMAND = Duration.ofSeconds(60);

    private Path unpacked;
    private Path root;
    private CtlRunner runner;

    @BeforeAll
    void unpack() {
        Path archive = HOME.resolve("app/target/bellwether-" + VERSION + ".tar.gz");
        assertThat(archive).as("built by ./mvnw package").exists();
        unpacked = TestDirs.create("bellwether-archive");
        runner = new CtlRunner(unpacked);
        CtlRunner.Result tar =
                runner.exec(COMMAND, List.of("tar", "xzf", archive.toString(), "-C", unpacked.toString()));
        assertThat(tar.exit()).as(tar.toString()).isZero();
        root = unpacked.resolve("bellwether-" + VERSION);
    }

    @AfterAll
    void remove() {
        TestDirs.delete(unpacked);
    }

    @Test
    void archive_holdsTheLaunchersTheJarsAndTheOperatorFiles() {
        assertThat(root.resolve("bin/bellwether")).isExecutable();
        assertThat(root.resolve("bin/bellwetherctl")).isExecutable();
        assertThat(root.resolve("lib/bellwether.jar")).isRegularFile();
        assertThat(jarNames())
                .anyMatch(n -> n.startsWith("zookeeper-3."))
                .anyMatch(n -> n.startsWith("metrics-core-"))
                .anyMatch(n -> n.startsWith("snappy-java-"))
                .anyMatch(n -> n.startsWith("postgresql-"));
        for (String file : List.of(
                "conf/bellwether-etcd3.yml",
                "conf/bellwether-zookeeper.yml",
                "conf/haproxy.cfg",
                "systemd/bellwether.service",
                "README.md",
                "docs/settings.md")) {
            assertThat(root.resolve(file)).isRegularFile();
        }
    }

    @Test
    void launchers_runFromTheUnpackedArchive() {
        CtlRunner.Result version = run("bin/bellwether", "--version");
        assertThat(version.out()).contains("bellwether 0.");
        CtlRunner.Result ctl = run("bin/bellwetherctl", "version");
        assertThat(ctl.out()).contains("bellwether ctl version");
    }

    @Test
    void sampleConfigurations_passValidate_andNameTheirDcs() throws Exception {
        for (String dcs : List.of("etcd3", "zookeeper")) {
            Path file = root.resolve("conf/bellwether-" + dcs + ".yml");
            CtlRunner.Result validate = run("bin/bellwether", "validate", file.toString());
            assertThat(validate.out()).contains(file + ": OK");

            LoadedConfig loaded = ConfigLoader.load(file, Map.of());
            assertThat(loaded.warnings()).isEmpty();
            assertThat(loaded.config().etcd3().isPresent()).isEqualTo(dcs.equals("etcd3"));
            assertThat(loaded.config().zookeeper().isPresent()).isEqualTo(dcs.equals("zookeeper"));
        }
    }

    @Test
    void haproxyConfiguration_isValid_andChecksPrimaryForWritesAndReplicaForReads() throws IOException {
        Path config = root.resolve("conf/haproxy.cfg");
        CtlRunner.Result check = run("haproxy", "-c", "-f", config.toString());
        assertThat(check.out()).contains("Configuration file is valid");

        String text = Files.readString(config);
        assertThat(section(text, "primary"))
                .contains("option httpchk OPTIONS /primary", "http-check expect status 200")
                .containsPattern("server \\S+ \\S+:5432 .*check port 8008");
        assertThat(section(text, "replicas"))
                .contains("option httpchk OPTIONS /replica", "http-check expect status 200")
                .containsPattern("server \\S+ \\S+:5432 .*check port 8008");
    }

    @Test
    void systemdUnit_runsTheLauncherAsPostgres_notifiesReloadsAndStopsTheAgentOnly() throws IOException {
        Path unit = root.resolve("systemd/bellwether.service");
        String text = Files.readString(unit);
        assertThat(text)
                .containsPattern("(?m)^User=postgres$")
                .containsPattern("(?m)^ExecStart=\\S+/bin/bellwether agent \\S+\\.yml$")
                .containsPattern("(?m)^KillMode=process$")
                .containsPattern("(?m)^Restart=on-failure$")
                .containsPattern("(?m)^Type=notify$")
                .containsPattern("(?m)^NotifyAccess=main$")
                .containsPattern("(?m)^ExecReload=/bin/kill -s HUP \\$MAINPID$");

        java.util.Optional<Path> analyzer = onPath("systemd-analyze");
        if (analyzer.isPresent()) {
            // systemd-analyze wants ExecStart to exist: point it at the unpacked launcher.
            Path local = unpacked.resolve("bellwether.service");
            Files.writeString(local, text.replaceAll("(?m)^ExecStart=\\S+/bin/", "ExecStart=" + root + "/bin/"));
            CtlRunner.Result verify = run(analyzer.get().toString(), "verify", local.toString());
            assertThat(verify.out()).as("systemd-analyze's complaints").isBlank();
        }
    }

    @Test
    void demo_runsFromTheUnpackedArchive_onItsEmbeddedZooKeeper() {
        CtlRunner.Result demo = run("bin/bellwether", "demo", "--for", "1s");
        assertThat(demo.out()).contains("DCS: a ZooKeeper server (in this process) on 127.0.0.1:");
        Matcher removed = Pattern.compile("Stopped; removed (\\S+)").matcher(demo.out());
        assertThat(removed.find()).as(demo.out()).isTrue();
        assertThat(Path.of(removed.group(1))).doesNotExist();
    }

    /** Runs a command in the unpacked archive's directory; it must succeed. */
    private CtlRunner.Result run(String... command) {
        List<String> line = List.of(command);
        if (command[0].startsWith("bin/")) {
            line = new java.util.ArrayList<>(line);
            line.set(0, root.resolve(command[0]).toString());
        }
        CtlRunner.Result result = runner.exec(COMMAND, line);
        assertThat(result.exit()).as(result.toString()).isZero();
        return result;
    }

    private static java.util.Optional<Path> onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private List<String> jarNames() {
        try (var files = Files.list(root.resolve("lib"))) {
            return files.map(f -> f.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new AssertionError("listing lib/", e);
        }
    }

    /** The lines of HAProxy's {@code listen <name>} section. */
    private static String section(String config, String name) {
        Matcher m =
                Pattern.compile("(?ms)^listen " + name + "\\b(.*?)(?=^\\S|\\z)").matcher(config);
        assertThat(m.find()).as("listen %s", name).isTrue();
        return m.group(1);
    }
}
