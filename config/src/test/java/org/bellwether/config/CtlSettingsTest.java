package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtlSettingsTest {
    @TempDir
    Path dir;

    private CtlSettings load(String yaml, Map<String, String> env) throws ConfigException {
        return ConfigLoader.loadForCtl(Optional.of(Samples.write(dir, "ctl.yml", yaml)), env);
    }

    @Test
    void minimalFile_dcsAndScopeOnly_isEnough() throws ConfigException {
        CtlSettings s = load("""
                scope: demo
                etcd3:
                  hosts: 10.0.0.1:2379,10.0.0.2
                """, Map.of());

        assertThat(s.scope()).contains("demo");
        assertThat(s.namespace()).isEqualTo("/service/");
        assertThat(s.etcd3().orElseThrow().hosts())
                .containsExactly(new HostPort("10.0.0.1", 2379), new HostPort("10.0.0.2", 2379));
        assertThat(s.zookeeper()).isEmpty();
        assertThat(s.rest()).isEqualTo(CtlConfig.DEFAULTS);
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void fullNodeFile_readsWithoutWarnings_restClientFromCtlFirst() throws ConfigException {
        CtlSettings s = load(Samples.POSTGRES0, Map.of());

        assertThat(s.scope()).contains("batman");
        assertThat(s.etcd3()).isPresent();
        assertThat(s.rest().cacert()).contains(Path.of("/etc/ssl/certs/ssl-cacert-snakeoil.pem"));
        assertThat(s.rest().authentication()).contains(new Credentials("username", Optional.of("password")));
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void restApiSettings_fillWhatCtlLeavesOut() throws ConfigException {
        CtlSettings s = load("""
                namespace: clusters
                etcd3:
                  host: 127.0.0.1:2379
                restapi:
                  cafile: /ca.pem
                  certfile: /server.pem
                  authentication:
                    username: admin
                    password: secret
                ctl:
                  insecure: true
                  certfile: /client.pem
                """, Map.of());

        assertThat(s.scope()).isEmpty();
        assertThat(s.namespace()).isEqualTo("/clusters/");
        assertThat(s.rest().insecure()).isTrue();
        assertThat(s.rest().cacert()).contains(Path.of("/ca.pem"));
        assertThat(s.rest().certfile()).contains(Path.of("/client.pem"));
        assertThat(s.rest().authentication()).contains(new Credentials("admin", Optional.of("secret")));
    }

    @Test
    void noDcsSection_isNotAnError() throws ConfigException {
        CtlSettings s = load("scope: demo\n", Map.of());

        assertThat(s.hasDcs()).isFalse();
    }

    @Test
    void zookeeperSection_isRead() throws ConfigException {
        CtlSettings s = load("zookeeper:\n  hosts: [zk1:2181, zk2]\n", Map.of());

        assertThat(s.zookeeper().orElseThrow().connectString()).isEqualTo("zk1:2181,zk2:2181");
    }

    @Test
    void environment_overridesTheFile() throws ConfigException {
        CtlSettings s = load("scope: demo\netcd3:\n  host: 127.0.0.1:2379\n", Map.of("PATRONI_SCOPE", "other"));

        assertThat(s.scope()).contains("other");
    }

    @Test
    void noFile_environmentAlone() throws ConfigException {
        CtlSettings s = ConfigLoader.loadForCtl(
                Optional.empty(), Map.of("PATRONI_SCOPE", "envscope", "PATRONI_ETCD3_HOSTS", "'10.1.1.1:2379'"));

        assertThat(s.scope()).contains("envscope");
        assertThat(s.etcd3().orElseThrow().hosts()).containsExactly(new HostPort("10.1.1.1", 2379));
        assertThat(s.source()).isEmpty();
    }

    @Test
    void badValue_namesFileAndKey() {
        Path file = Samples.write(dir, "bad.yml", "etcd3:\n  hosts: 127.0.0.1:99999\nctl:\n  insecure: maybe\n");

        assertThatThrownBy(() -> ConfigLoader.loadForCtl(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ": etcd3.hosts")
                .hasMessageContaining(file + ": ctl.insecure: expected true or false");
    }

    @Test
    void missingFile_isUnreadable() {
        assertThatThrownBy(() -> ConfigLoader.loadForCtl(Optional.of(dir.resolve("nope.yml")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yml: no such file");
    }

    @Test
    void parseYaml_pyYamlScalars() throws ConfigException {
        assertThat(ConfigLoader.parseYaml("on", "v")).isEqualTo(Boolean.TRUE);
        assertThat(ConfigLoader.parseYaml("10", "v")).isEqualTo(10);
        assertThat(ConfigLoader.parseYaml("{a: [1, x]}", "v")).isEqualTo(Map.of("a", java.util.List.of(1, "x")));
        assertThat(ConfigLoader.parseYaml("", "v")).isNull();
    }
}
