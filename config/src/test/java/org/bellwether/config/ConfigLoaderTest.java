package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private NodeConfig loadSample() throws ConfigException {
        LoadedConfig loaded = ConfigLoader.load(Samples.write(dir, "postgres0.yml", Samples.POSTGRES0), Map.of());
        assertThat(loaded.warnings()).isEmpty();
        return loaded.config();
    }

    @Test
    void patroniSample_loadsWithoutWarnings_identity() throws ConfigException {
        NodeConfig c = loadSample();

        assertThat(c.scope()).isEqualTo("batman");
        assertThat(c.name()).isEqualTo("postgresql0");
        assertThat(c.namespace()).isEqualTo("/service/");
        assertThat(c.clusterPrefix()).isEqualTo("/service/batman/");
        assertThat(c.source()).contains(dir.resolve("postgres0.yml"));
    }

    @Test
    void patroniSample_restApiAndCtl() throws ConfigException {
        NodeConfig c = loadSample();

        RestApiConfig r = c.restapi();
        assertThat(r.listen()).isEqualTo(new HostPort("127.0.0.1", 8008));
        assertThat(r.connectAddress()).isEqualTo(new HostPort("127.0.0.1", 8008));
        assertThat(r.authentication()).contains(new Credentials("username", Optional.of("password")));
        assertThat(r.certfile()).contains(Path.of("/etc/ssl/certs/ssl-cert-snakeoil.pem"));
        assertThat(r.keyfile()).contains(Path.of("/etc/ssl/private/ssl-cert-snakeoil.key"));
        assertThat(r.cafile()).contains(Path.of("/etc/ssl/certs/ssl-cacert-snakeoil.pem"));
        assertThat(r.verifyClient()).contains("optional");
        assertThat(r.allowlist()).containsExactly("127.0.0.1", "10.0.0.0/8");
        assertThat(r.allowlistIncludeMembers()).isTrue();
        assertThat(r.requestQueueSize()).isEqualTo(RestApiConfig.DEFAULT_REQUEST_QUEUE_SIZE);
        assertThat(r.apiUrl()).isEqualTo("https://127.0.0.1:8008/patroni");
        assertThat(c.ctl().insecure()).isFalse();
        assertThat(c.ctl().cacert()).contains(Path.of("/etc/ssl/certs/ssl-cacert-snakeoil.pem"));
    }

    @Test
    void patroniSample_etcd3() throws ConfigException {
        NodeConfig c = loadSample();

        assertThat(c.zookeeper()).isEmpty();
        EtcdConfig e = c.etcd3().orElseThrow();
        assertThat(e.hosts())
                .containsExactly(
                        new HostPort("127.0.0.1", 2379),
                        new HostPort("127.0.0.2", 2379),
                        new HostPort("127.0.0.3", 2379));
        assertThat(e.endpoints()).first().isEqualTo("http://127.0.0.1:2379");
        assertThat(e.credentials()).contains(new Credentials("patroni", Optional.of("etcd-pass")));
        assertThat(e.useProxies()).isFalse();
    }

    @Test
    void patroniSample_bootstrap() throws ConfigException {
        BootstrapConfig b = loadSample().bootstrap();

        assertThat(b.dcs()).containsEntry("ttl", 30).containsEntry("synchronous_mode", false);
        assertThat(b.dcs().get("postgresql")).isInstanceOf(Map.class);
        assertThat(b.initdbArguments()).containsExactly("--encoding=UTF8", "--data-checksums", "--locale=en_US.UTF-8");
        assertThat(b.pgHba()).containsExactly("host replication replicator 127.0.0.1/32 md5");
        assertThat(b.postBootstrap()).contains("/usr/local/bin/setup_cluster.sh");
        assertThat(b.method()).isEmpty();
    }

    @Test
    void patroniSample_postgresql() throws ConfigException {
        PostgresConfig p = loadSample().postgresql();

        assertThat(p.listenAddresses()).isEqualTo("127.0.0.1,::1");
        assertThat(p.port()).isEqualTo(5432);
        assertThat(p.localAddress()).isEqualTo(new HostPort("127.0.0.1", 5432));
        assertThat(p.connUrl()).isEqualTo("postgres://127.0.0.1:5432/postgres");
        assertThat(p.dataDir()).isEqualTo(Path.of("data/postgresql0"));
        assertThat(p.binDir()).contains(Path.of("/usr/lib/postgresql/17/bin"));
        assertThat(p.configDir()).isEmpty();
        assertThat(p.pgpass()).contains(Path.of("/tmp/pgpass0"));
        assertThat(p.superuser().username()).isEqualTo("postgres");
        assertThat(p.superuser().password()).contains("zalando");
        assertThat(p.superuser().connectionOptions()).containsExactly(entry("sslmode", "prefer"));
        assertThat(p.replication()).isEqualTo(new Credentials("replicator", Optional.of("rep-pass")));
        assertThat(p.rewindUser().username()).isEqualTo("rewind_user");
        assertThat(p.parameters())
                .containsExactly(entry("shared_buffers", "128MB"), entry("unix_socket_directories", ".."));
        assertThat(p.pgHba()).containsExactly("local all all trust");
        assertThat(p.usePgRewind()).contains(true);
        assertThat(p.callbacks()).containsExactly(entry("on_role_change", "/usr/local/bin/role_change.sh"));
    }

    @Test
    void patroniSample_basebackupOptions() throws ConfigException {
        PostgresConfig p = loadSample().postgresql();

        assertThat(p.createReplicaMethods()).isEmpty();
        assertThat(p.basebackup()).containsExactly("--max-rate=100M", "--checkpoint=fast");
        assertThat(p.raw()).containsKey("basebackup").doesNotContainKey("authentication");
    }

    @Test
    void settingsNotApplied_areStillReadWithTheirTypes() throws ConfigException {
        String yaml = Samples.MINIMAL.replace(
                "  data_dir: /var/lib/postgresql/data\n",
                "  data_dir: /var/lib/postgresql/data\n  proxy_address: 127.0.0.1:5433\n  pg_ctl_timeout: 90\n");

        LoadedConfig loaded = ConfigLoader.fromYaml(yaml, "n.yml", Map.of());

        assertThat(loaded.config().postgresql().proxyAddress()).contains(new HostPort("127.0.0.1", 5433));
        assertThat(loaded.config().postgresql().pgCtlTimeout()).contains(Duration.ofSeconds(90));
        assertThat(loaded.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains(": accepted, not applied: "));
    }

    @Test
    void customReplicaMethod_isRefusedWithItsSectionKeptForMessages() {
        String yaml = Samples.MINIMAL.replace(
                "  data_dir: /var/lib/postgresql/data\n",
                "  data_dir: /var/lib/postgresql/data\n  create_replica_methods: [pgbackrest, basebackup]\n"
                        + "  pgbackrest:\n    command: /usr/bin/pgbackrest restore\n    keep_data: true\n");

        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                ConfigException.class, () -> ConfigLoader.fromYaml(yaml, "r.yml", Map.of()));

        assertThat(e.problems())
                .singleElement()
                .hasToString("r.yml: postgresql.create_replica_methods: refused: custom replica creation methods are"
                        + " not supported: Bellwether always clones a replica with pg_basebackup");
    }

    @Test
    void patroniSample_watchdogLogAndTags() throws ConfigException {
        NodeConfig c = loadSample();

        assertThat(c.watchdog())
                .isEqualTo(new WatchdogConfig(WatchdogConfig.Mode.REQUIRED, Path.of("/dev/watchdog"), 5, "default"));
        assertThat(c.log().level()).isEqualTo("WARNING");
        assertThat(c.log().dir()).contains(Path.of("/var/log/patroni"));
        assertThat(c.tags())
                .containsEntry("failover_priority", 2)
                .containsEntry("clonefrom", true)
                .containsEntry("datacenter", "eu-1");
        assertThat(c.typedTags().cloneFrom()).isTrue();
        assertThat(c.typedTags().failoverPriority()).isEqualTo(2);
        assertThat(c.typedTags().canBecomeLeader()).isTrue();
    }

    @Test
    void minimalConfig_takesPatroniDefaults() throws ConfigException {
        LoadedConfig loaded = ConfigLoader.load(Samples.write(dir, "min.yml", Samples.MINIMAL), Map.of());

        NodeConfig c = loaded.config();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.namespace()).isEqualTo("/service/");
        assertThat(c.restapi().apiUrl()).isEqualTo("http://10.0.0.1:8008/patroni");
        assertThat(c.etcd3().orElseThrow().endpoints()).containsExactly("http://10.0.0.10:2379");
        assertThat(c.postgresql().superuser().password()).isEmpty();
        assertThat(c.postgresql().rewind()).isEmpty();
        assertThat(c.postgresql().usePgRewind()).isEmpty();
        assertThat(c.postgresql().localAddress()).isEqualTo(new HostPort("127.0.0.1", 5432));
        assertThat(c.bootstrap().dcs()).isEmpty();
        assertThat(c.watchdog()).isEqualTo(WatchdogConfig.DEFAULTS);
        assertThat(c.log()).isEqualTo(LogConfig.DEFAULTS);
        assertThat(c.tags()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "service, /service/",
        "/service, /service/",
        "/service/, /service/",
        "//service//, /service/",
        "/a//b/, /a/b/",
        "/, /",
    })
    void namespace_isNormalisedToSingleLeadingAndTrailingSlash(String written, String expected) throws ConfigException {
        String yaml = Samples.MINIMAL + "namespace: '" + written + "'\n";

        NodeConfig c =
                ConfigLoader.load(Samples.write(dir, "ns.yml", yaml), Map.of()).config();

        assertThat(c.namespace()).isEqualTo(expected);
        assertThat(c.clusterPrefix()).isEqualTo(expected + "batman/");
    }

    @Test
    void directory_mergesYamlFilesInNameOrder_laterWins() throws ConfigException {
        Samples.write(dir, "10-base.yml", Samples.MINIMAL);
        Samples.write(dir, "20-node.yaml", "name: node2\npostgresql:\n  parameters:\n    work_mem: 8MB\n");
        Samples.write(dir, "30-drop.yml", "postgresql:\n  parameters:\n    work_mem: 16MB\n");
        Samples.write(dir, "README.txt", "not: read");

        NodeConfig c = ConfigLoader.load(dir, Map.of()).config();

        assertThat(c.name()).isEqualTo("node2");
        assertThat(c.postgresql().parameters()).containsExactly(entry("work_mem", "16MB"));
        assertThat(c.postgresql().dataDir()).isEqualTo(Path.of("/var/lib/postgresql/data"));
        assertThat(c.source()).contains(dir);
    }

    @Test
    void directory_nullValueInLaterFileRemovesTheKey() throws ConfigException {
        Samples.write(dir, "a.yml", Samples.MINIMAL + "tags:\n  nofailover: true\n");
        Samples.write(dir, "b.yml", "tags:\n  nofailover: null\n");

        NodeConfig c = ConfigLoader.load(dir, Map.of()).config();

        assertThat(c.tags()).isEmpty();
    }

    @Test
    void zookeeper_isASupportedDcs() throws ConfigException {
        String yaml =
                Samples.MINIMAL.replace("etcd3:\n  host: 10.0.0.10:2379", "zookeeper:\n  hosts: [zk1, 'zk2:2182']");

        NodeConfig c = ConfigLoader.fromYaml(yaml, "zk.yml", Map.of()).config();

        assertThat(c.etcd3()).isEmpty();
        assertThat(c.zookeeper().orElseThrow().connectString()).isEqualTo("zk1:2181,zk2:2182");
        assertThat(c.zookeeper().orElseThrow().verify()).isTrue();
    }

    @Test
    void etcd3Url_givesProtocolHostAndCredentials() throws ConfigException {
        String yaml = Samples.MINIMAL.replace("host: 10.0.0.10:2379", "url: https://user:s%40cret@etcd.example.com");

        EtcdConfig e = ConfigLoader.fromYaml(yaml, "url.yml", Map.of())
                .config()
                .etcd3()
                .orElseThrow();

        assertThat(e.protocol()).isEqualTo("https");
        assertThat(e.hosts()).containsExactly(new HostPort("etcd.example.com", 2379));
        assertThat(e.credentials()).contains(new Credentials("user", Optional.of("s@cret")));
    }

    @Test
    void etcd3Proxy_isUsedAsTheOnlyEndpoint() throws ConfigException {
        String yaml = Samples.MINIMAL.replace("host: 10.0.0.10:2379", "proxy: http://proxy:2380");

        EtcdConfig e = ConfigLoader.fromYaml(yaml, "proxy.yml", Map.of())
                .config()
                .etcd3()
                .orElseThrow();

        assertThat(e.hosts()).containsExactly(new HostPort("proxy", 2380));
        assertThat(e.useProxies()).isTrue();
    }

    @Test
    void initdbAsBootstrapMethod_isTheDefault() throws ConfigException {
        BootstrapConfig b = ConfigLoader.fromYaml(Samples.MINIMAL + "bootstrap:\n  method: initdb\n", "b.yml", Map.of())
                .config()
                .bootstrap();

        assertThat(b.method()).contains("initdb");
        assertThat(b.customMethod()).isEmpty();
    }

    @Test
    void numericPassword_isReadAsText() throws ConfigException {
        String yaml = Samples.MINIMAL.replace("username: postgres", "username: postgres\n      password: 123456");

        PostgresConfig p =
                ConfigLoader.fromYaml(yaml, "n.yml", Map.of()).config().postgresql();

        assertThat(p.superuser().password()).contains("123456");
    }

    @Test
    void records_neverPrintPasswords() throws ConfigException {
        NodeConfig c = loadSample();

        assertThat(c.toString()).doesNotContain("zalando", "rep-pass", "rewind_password", "etcd-pass", "password:");
        assertThat(c.restapi().toString()).doesNotContain("=password");
    }

    @Test
    void unknownPatroniSectionKeysOfAnotherFile_areNamedByTheirFile() throws Exception {
        Samples.write(dir, "a.yml", Samples.MINIMAL);
        Path second = Samples.write(dir, "b.yml", "restapi:\n  listn: 1.2.3.4:8008\n");

        List<String> warnings = ConfigLoader.load(dir, Map.of()).warnings();

        assertThat(warnings).containsExactly(second + ": restapi.listn: unknown setting, ignored");
        assertThat(Files.exists(second)).isTrue();
    }
}
