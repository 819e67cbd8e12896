package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentOverridesTest {
    @TempDir
    Path dir;

    private LoadedConfig load(String yaml, Map<String, String> env) throws ConfigException {
        return ConfigLoader.load(Samples.write(dir, "config.yml", yaml), env);
    }

    /** Everything a container typically sets, enough to run without a file. */
    private static Map<String, String> fullEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("PATRONI_SCOPE", "envscope");
        env.put("PATRONI_NAME", "envnode");
        env.put("PATRONI_RESTAPI_LISTEN", "0.0.0.0:8009");
        env.put("PATRONI_RESTAPI_CONNECT_ADDRESS", "10.1.1.1:8009");
        env.put("PATRONI_ETCD3_HOSTS", "'e1:2379','e2:2379'");
        env.put("PATRONI_POSTGRESQL_LISTEN", "0.0.0.0:5433");
        env.put("PATRONI_POSTGRESQL_CONNECT_ADDRESS", "10.1.1.1:5433");
        env.put("PATRONI_POSTGRESQL_DATA_DIR", "/data/pg");
        env.put("PATRONI_SUPERUSER_USERNAME", "postgres");
        env.put("PATRONI_SUPERUSER_PASSWORD", "su-secret");
        env.put("PATRONI_REPLICATION_USERNAME", "standby");
        env.put("PATRONI_REPLICATION_PASSWORD", "rep-secret");
        return env;
    }

    @Test
    void environmentWinsOverTheFile_identityAndAddresses() throws ConfigException {
        Map<String, String> env = fullEnvironment();
        env.put("PATRONI_NAMESPACE", "//env//");

        NodeConfig c = load(Samples.POSTGRES0, env).config();

        assertThat(c.scope()).isEqualTo("envscope");
        assertThat(c.name()).isEqualTo("envnode");
        assertThat(c.namespace()).isEqualTo("/env/");
        assertThat(c.restapi().listen()).isEqualTo(new HostPort("0.0.0.0", 8009));
        assertThat(c.restapi().connectAddress()).isEqualTo(new HostPort("10.1.1.1", 8009));
        assertThat(c.postgresql().listenAddresses()).isEqualTo("0.0.0.0");
        assertThat(c.postgresql().port()).isEqualTo(5433);
        assertThat(c.postgresql().connectAddress()).isEqualTo(new HostPort("10.1.1.1", 5433));
        assertThat(c.postgresql().dataDir()).isEqualTo(Path.of("/data/pg"));
    }

    @Test
    void environmentWinsOverTheFile_credentialsMergeIntoTheFilesSections() throws ConfigException {
        NodeConfig c = load(Samples.POSTGRES0, fullEnvironment()).config();

        assertThat(c.postgresql().superuser().password()).contains("su-secret");
        assertThat(c.postgresql().superuser().connectionOptions())
                .as("the file's sslmode stays, only the env keys are replaced")
                .containsExactly(entry("sslmode", "prefer"));
        assertThat(c.postgresql().replication()).isEqualTo(new Credentials("standby", Optional.of("rep-secret")));
        assertThat(c.postgresql().rewind().orElseThrow().username()).isEqualTo("rewind_user");
    }

    @Test
    void etcd3Hosts_fromPatroniListSyntax_takePrecedenceOverTheFilesHosts() throws ConfigException {
        NodeConfig c = load(Samples.POSTGRES0, fullEnvironment()).config();

        assertThat(c.etcd3().orElseThrow().hosts()).containsExactly(new HostPort("e1", 2379), new HostPort("e2", 2379));
    }

    @Test
    void etcd3Hosts_plainCommaSeparated() throws ConfigException {
        NodeConfig c = load(Samples.MINIMAL, Map.of("PATRONI_ETCD3_HOSTS", "h1:2379,h2:2380"))
                .config();

        assertThat(c.etcd3().orElseThrow().hosts()).containsExactly(new HostPort("h1", 2379), new HostPort("h2", 2380));
    }

    @Test
    void etcd3HostFromEnvironment_losesToHostsInTheFile_asInPatroni() throws ConfigException {
        LoadedConfig loaded = load(Samples.POSTGRES0, Map.of("PATRONI_ETCD3_HOST", "other:2379"));

        assertThat(loaded.config().etcd3().orElseThrow().hosts()).hasSize(3);
        assertThat(loaded.warnings())
                .containsExactly(
                        "environment PATRONI_ETCD3_HOST: etcd3.host: ignored: etcd3.hosts takes precedence, as in"
                                + " Patroni");
    }

    @Test
    void etcd3ProtocolAndCredentials() throws ConfigException {
        Map<String, String> env = Map.of(
                "PATRONI_ETCD3_PROTOCOL", "https",
                "PATRONI_ETCD3_USERNAME", "root",
                "PATRONI_ETCD3_PASSWORD", "etcd-secret",
                "PATRONI_ETCD3_CACERT", "/ca.pem");

        EtcdConfig e = load(Samples.MINIMAL, env).config().etcd3().orElseThrow();

        assertThat(e.endpoints()).containsExactly("https://10.0.0.10:2379");
        assertThat(e.credentials()).contains(new Credentials("root", Optional.of("etcd-secret")));
        assertThat(e.cacert()).contains(Path.of("/ca.pem"));
    }

    @Test
    void restApiAuthenticationAndFlags() throws ConfigException {
        Map<String, String> env = Map.of(
                "PATRONI_RESTAPI_USERNAME", "admin",
                "PATRONI_RESTAPI_PASSWORD", "api-secret",
                "PATRONI_RESTAPI_ALLOWLIST", "10.0.0.0/8, 127.0.0.1",
                "PATRONI_RESTAPI_ALLOWLIST_INCLUDE_MEMBERS", "on",
                "PATRONI_RESTAPI_REQUEST_QUEUE_SIZE", "20");

        RestApiConfig r = load(Samples.MINIMAL, env).config().restapi();

        assertThat(r.authentication()).contains(new Credentials("admin", Optional.of("api-secret")));
        assertThat(r.allowlist()).containsExactly("10.0.0.0/8", "127.0.0.1");
        assertThat(r.allowlistIncludeMembers()).isTrue();
        assertThat(r.requestQueueSize()).isEqualTo(20);
    }

    @Test
    void restApiTlsAndResponseSettings() throws ConfigException {
        Map<String, String> env = Map.of(
                "PATRONI_RESTAPI_CERTFILE", "/etc/rest.pem",
                "PATRONI_RESTAPI_KEYFILE", "/etc/rest.key",
                "PATRONI_RESTAPI_KEYFILE_PASSWORD", "key-secret",
                "PATRONI_RESTAPI_CIPHERS", "ECDHE-RSA-AES256-GCM-SHA384:HIGH:!aNULL",
                "PATRONI_RESTAPI_HTTP_EXTRA_HEADERS", "{X-Frame-Options: SAMEORIGIN, X-Content-Type-Options: nosniff}",
                "PATRONI_RESTAPI_HTTPS_EXTRA_HEADERS", "{Strict-Transport-Security: 'max-age=31536000'}",
                "PATRONI_RESTAPI_SERVER_TOKENS", "ProductOnly");

        RestApiConfig r = load(Samples.MINIMAL, env).config().restapi();

        assertThat(r.keyfilePassword()).contains("key-secret");
        assertThat(r.ciphers()).contains("ECDHE-RSA-AES256-GCM-SHA384:HIGH:!aNULL");
        assertThat(r.httpExtraHeaders())
                .containsExactly(entry("X-Content-Type-Options", "nosniff"), entry("X-Frame-Options", "SAMEORIGIN"));
        assertThat(r.httpsExtraHeaders()).containsExactly(entry("Strict-Transport-Security", "max-age=31536000"));
        assertThat(r.serverTokens()).contains("productonly");
    }

    @Test
    void postgresPathsAndRewindUser() throws ConfigException {
        Map<String, String> env = Map.of(
                "PATRONI_POSTGRESQL_BIN_DIR", "/usr/lib/postgresql/16/bin",
                "PATRONI_POSTGRESQL_PGPASS", "/tmp/pgpass-env",
                "PATRONI_POSTGRESQL_CONFIG_DIR", "/var/lib/postgresql/data",
                "PATRONI_REWIND_USERNAME", "rewinder",
                "PATRONI_REWIND_PASSWORD", "rw");

        PostgresConfig p = load(Samples.MINIMAL, env).config().postgresql();

        assertThat(p.binDir()).contains(Path.of("/usr/lib/postgresql/16/bin"));
        assertThat(p.pgpass()).contains(Path.of("/tmp/pgpass-env"));
        assertThat(p.configDir()).contains(Path.of("/var/lib/postgresql/data"));
        assertThat(p.rewind()).contains(new Credentials("rewinder", Optional.of("rw")));
    }

    @Test
    void logLevel_newAndLegacyNames() throws ConfigException {
        assertThat(load(Samples.MINIMAL, Map.of("PATRONI_LOG_LEVEL", "debug"))
                        .config()
                        .log()
                        .level())
                .isEqualTo("DEBUG");
        assertThat(load(Samples.MINIMAL, Map.of("PATRONI_LOGLEVEL", "ERROR"))
                        .config()
                        .log()
                        .level())
                .isEqualTo("ERROR");
        assertThat(load(Samples.MINIMAL, Map.of("PATRONI_LOGLEVEL", "ERROR", "PATRONI_LOG_LEVEL", "WARN"))
                        .config()
                        .log()
                        .level())
                .isEqualTo("WARNING");
    }

    @Test
    void zookeeperFromEnvironment_withTypedValues() throws ConfigException {
        String yaml = Samples.MINIMAL.replace("etcd3:\n  host: 10.0.0.10:2379\n", "");
        Map<String, String> env =
                Map.of("PATRONI_ZOOKEEPER_HOSTS", "'zk1:2181','zk2:2181'", "PATRONI_ZOOKEEPER_USE_SSL", "off");

        ZooKeeperConfig z = load(yaml, env).config().zookeeper().orElseThrow();

        assertThat(z.connectString()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(z.useSsl()).isFalse();
    }

    @Test
    void environmentOnly_configuresANode() throws ConfigException {
        LoadedConfig loaded = ConfigLoader.fromEnvironment(fullEnvironment());

        NodeConfig c = loaded.config();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.scope()).isEqualTo("envscope");
        assertThat(c.source()).isEmpty();
        assertThat(c.etcd3().orElseThrow().hosts()).hasSize(2);
        assertThat(c.postgresql().superuser().password()).contains("su-secret");
    }

    @Test
    void environmentOnly_missingSettingIsNamedAgainstTheEnvironment() {
        Map<String, String> env = fullEnvironment();
        env.remove("PATRONI_SCOPE");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.fromEnvironment(env));

        assertThat(e.getMessage()).isEqualTo("environment: scope: required setting is missing");
    }

    @Test
    void patroniConfiguration_holdsTheWholeYaml_andOtherVariablesAreNotConsulted() throws ConfigException {
        Map<String, String> env = new HashMap<>(Map.of("PATRONI_CONFIGURATION", Samples.MINIMAL));
        env.put("PATRONI_NAME", "ignored");

        NodeConfig c = ConfigLoader.fromEnvironment(env).config();

        assertThat(c.name()).isEqualTo("node1");
    }

    @Test
    void unparsableTypedValue_isAnErrorNamingTheVariable() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> load(Samples.MINIMAL, Map.of("PATRONI_RESTAPI_REQUEST_QUEUE_SIZE", "lots")));

        assertThat(e.getMessage())
                .isEqualTo("environment PATRONI_RESTAPI_REQUEST_QUEUE_SIZE: restapi.request_queue_size: expected an"
                        + " integer, got 'lots'");
    }

    @Test
    void unknownAndRetiredVariables_areWarnedAbout() throws ConfigException {
        Map<String, String> env = Map.of(
                "PATRONI_NOFAILOVER", "true",
                "PATRONI_admin_PASSWORD", "x",
                "PATRONI_RESTAPI_PORT", "8008");

        assertThat(load(Samples.MINIMAL, env).warnings())
                .containsExactly(
                        "environment: PATRONI_NOFAILOVER: not a Patroni environment variable; ignored",
                        "environment: PATRONI_admin_PASSWORD: bootstrap users from PATRONI_<user>_PASSWORD are no longer"
                                + " supported since Patroni 4.0; ignored",
                        "environment PATRONI_RESTAPI_PORT: restapi.port: unknown setting, ignored");
    }

    @Test
    void etcdCredentialsWithoutAnEtcdSection_areNotApplied() throws ConfigException {
        String yaml = Samples.MINIMAL.replace("etcd3:\n  host: 10.0.0.10:2379\n", "zookeeper:\n  hosts: zk1\n");

        LoadedConfig loaded = load(yaml, Map.of("PATRONI_ETCD3_USERNAME", "u"));

        assertThat(loaded.config().etcd3()).isEmpty();
        assertThat(loaded.warnings()).singleElement().asString().contains("PATRONI_ETCD3_USERNAME");
    }

    @Test
    void emptyVariables_areIgnored() throws ConfigException {
        NodeConfig c = load(Samples.MINIMAL, Map.of("PATRONI_NAME", "")).config();

        assertThat(c.name()).isEqualTo("node1");
    }

    @Test
    void environmentTree_isWhatTheVariablesSet_unchecked() throws ConfigException {
        Map<String, Object> tree = ConfigLoader.environmentTree(
                Map.of("PATRONI_SCOPE", "orders", "PATRONI_SUPERUSER_USERNAME", "admin", "HOME", "/root"));

        assertThat(tree).containsOnlyKeys("scope", "postgresql").containsEntry("scope", "orders");
        assertThat(tree.get("postgresql"))
                .isEqualTo(Map.of("authentication", Map.of("superuser", Map.of("username", "admin"))));
    }

    @Test
    void environmentTree_ofPatroniConfiguration_isItsYaml() throws ConfigException {
        Map<String, Object> tree = ConfigLoader.environmentTree(
                Map.of("PATRONI_CONFIGURATION", "scope: whole\netcd3:\n  hosts: e1:2379\n", "PATRONI_NAME", "ignored"));

        assertThat(tree).containsOnlyKeys("scope", "etcd3").containsEntry("scope", "whole");
    }
}
