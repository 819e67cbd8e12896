package org.bellwether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global options: where the configuration comes from, and the DCS URL override. */
class SessionTest {
    @TempDir
    Path dir;

    @Test
    void missingConfigFile_isPatronictlsSentence() throws Exception {
        Ctl ctl = new Ctl(dir);

        Ctl.Result r = ctl.run("-c", dir.resolve("nope.yml").toString(), "list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("Error: Provided config file " + dir.resolve("nope.yml")
                        + " not existing or no read rights. Check the -c/--config-file parameter\n");
    }

    @Test
    void badConfigValue_namesFileAndKey() throws Exception {
        Ctl ctl = new Ctl(dir, "scope: demo\netcd3:\n  hosts: 127.0.0.1:2379\nctl:\n  insecure: perhaps\n");

        Ctl.Result r = ctl.run("list");

        assertThat(r.err())
                .isEqualTo("Error: the configuration cannot be used: " + ctl.configFile
                        + ": ctl.insecure: expected true or false, got 'perhaps' (a quoted value is a string, and"
                        + " Patroni treats any non-empty string as true; remove the quotes)\n");
    }

    @Test
    void noDcs_saysHowToGiveOne() throws Exception {
        Ctl ctl = new Ctl(dir, "scope: demo\n");

        assertThat(ctl.run("list").err()).startsWith("Error: no DCS is configured: give -d etcd3://HOST:PORT");
    }

    @Test
    void noScope_noName_asksForOne() throws Exception {
        Ctl ctl = new Ctl(dir, "etcd3:\n  hosts: 127.0.0.1:2379\n");

        assertThat(ctl.run("list").err())
                .isEqualTo("Error: no cluster name: give CLUSTER_NAME or set scope in the configuration file\n");
    }

    @Test
    void dcsUrl_replacesTheNamespace() throws Exception {
        Ctl ctl = new Ctl(dir);

        ctl.run("-d", "etcd3://127.0.0.1:2379/other", "list");

        assertThat(ctl.others).containsKey("/other/demo/");
    }

    @Test
    void configFromEnvironmentVariable_andDefaultLocation() throws Exception {
        Ctl ctl = new Ctl(dir);
        Path file = Files.writeString(dir.resolve("env.yml"), "scope: fromenv\netcd3:\n  hosts: 127.0.0.1:2379\n");
        ctl.environment.put("PATRONICTL_CONFIG_FILE", file.toString());
        Terminal t = new Terminal(
                new java.io.BufferedReader(new java.io.StringReader("")),
                new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()),
                ctl.environment,
                false);

        try (Session s =
                Session.open(t, java.util.Optional.empty(), java.util.Optional.empty(), false, StoreOpener.DCS)) {
            assertThat(s.defaultScope()).contains("fromenv");
        }
        assertThat(Session.defaultConfigFile(t)).isEqualTo(dir.resolve(".config/patroni/patronictl.yaml"));
    }

    @Test
    void help_listsTheCommands() throws Exception {
        Ctl.Result r = new Ctl(dir).run("--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("edit-config").contains("switchover").contains("--dcs-url");
    }
}
