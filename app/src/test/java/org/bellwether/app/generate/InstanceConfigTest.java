package org.bellwether.app.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwether.app.generate.InstanceConfig.Setting;
import org.junit.jupiter.api.Test;

/** A configuration from a running instance's facts, as Patroni 4.1's {@code RunningClusterConfigGenerator} makes it. */
class InstanceConfigTest {
    private static final HostAddress DB1 = new HostAddress("db1", "10.0.0.5");
    private static final List<Setting> SETTINGS = List.of(
            new Setting("archive_command", "cp %p /archive/%f"),
            new Setting("cluster_name", "orders"),
            new Setting("config_file", "/var/lib/pg/data/postgresql.conf"),
            new Setting("data_directory", "/var/lib/pg/data"),
            new Setting("hba_file", "/var/lib/pg/data/pg_hba.conf"),
            new Setting("ident_file", "/etc/pg_ident.conf"),
            new Setting("listen_addresses", "*"),
            new Setting("max_connections", "200"),
            new Setting("port", "5433"),
            new Setting("shared_buffers", "1GB"),
            new Setting("wal_level", "replica"),
            new Setting("hot_standby", "on"),
            new Setting("wal_keep_size", "0"));
    private static final List<String> HBA = List.of(
            "# comment",
            "",
            "local all all peer",
            "host all all 10.0.0.0/8 scram-sha-256",
            "include_dir conf.d",
            "bogus line");

    /** The steps {@code generate-config} takes, with the facts given instead of read. */
    private static Map<String, Object> generate(
            String dsnText,
            Map<String, String> env,
            List<Setting> settings,
            int version,
            InstanceConfig.LineReader files)
            throws GenerateException {
        Map<String, String> dsn = LibpqDsn.parse(dsnText).orElseThrow();
        Map<String, Object> config = ConfigTemplate.of(DB1, Map.of());
        InstanceConfig.withLogins(config, InstanceConfig.superuser(dsn, env, Map.of(), "osuser"));
        InstanceConfig.withSettings(config, settings, dsn, env);
        InstanceConfig.withConfFiles(config, version, files);
        Tree.section(config, "postgresql").put("bin_dir", "/usr/lib/postgresql/16/bin");
        return config;
    }

    @Test
    void runningInstance_isPatronisDocument() throws Exception {
        Map<String, Object> config =
                generate("host=127.0.0.1 port=5433 user=admin password=s3cret", Map.of(), SETTINGS, 160002, file -> {
                    assertThat(file).isEqualTo(Path.of("/var/lib/pg/data/pg_hba.conf"));
                    return HBA;
                });

        assertThat(ConfigDocument.render(config, true))
                .isEqualTo(PatroniOutput.asBellwether(PatroniOutput.read("patroni-4.1-from-instance.yml")));
    }

    @Test
    void hbaIncludeDirectives_onlyFromPostgres16() {
        assertThat(InstanceConfig.hbaLines(HBA, 150000))
                .containsExactly("local all all peer", "host all all 10.0.0.0/8 scram-sha-256");
        assertThat(InstanceConfig.hbaLines(HBA, 160000)).contains("include_dir conf.d");
    }

    @Test
    void identInTheDataDirectory_keepsItsMapLines_andAnEmptyOneIsLeftOut() throws Exception {
        List<Setting> settings = SETTINGS.stream()
                .map(s ->
                        s.name().equals("ident_file") ? new Setting("ident_file", "/var/lib/pg/data/pg_ident.conf") : s)
                .toList();
        Map<String, Object> withMaps = generate(
                "user=a password=b",
                Map.of(),
                settings,
                160000,
                file -> file.endsWith("pg_ident.conf")
                        ? List.of("# MAPNAME SYSTEM-USERNAME PG-USERNAME", "", "ops alice postgres")
                        : HBA);
        Map<String, Object> withoutMaps =
                generate("user=a password=b", Map.of(), settings, 160000, file -> List.of("# nothing here"));

        assertThat(Tree.section(withMaps, "postgresql").get("pg_ident")).isEqualTo(List.of("ops alice postgres"));
        assertThat(Tree.section(withoutMaps, "postgresql")).doesNotContainKey("pg_ident");
    }

    @Test
    void anUnreadableHbaFile_isAnErrorNamingIt() {
        assertThatThrownBy(() -> generate("user=a password=b", Map.of(), SETTINGS, 160000, file -> {
                    throw new IOException("Permission denied");
                }))
                .isInstanceOf(GenerateException.class)
                .hasMessageStartingWith("Failed to read pg_hba.conf: ")
                .hasMessageContaining("Permission denied");
    }

    @Test
    void superuser_fromTheDsn_elseLibpqsVariables_elseTheConfiguredOne_elseTheOsUser() {
        Map<String, String> dsn = LibpqDsn.parse("user=dsnuser sslmode=require").orElseThrow();
        Map<String, String> env = Map.of("PGUSER", "envuser", "PGPASSWORD", "envpass", "PGSSLROOTCERT", "/ca.pem");

        assertThat(InstanceConfig.superuser(dsn, env, Map.of(), "os"))
                .containsEntry("username", "dsnuser")
                .containsEntry("password", "envpass")
                .containsEntry("sslmode", "require")
                .containsEntry("sslrootcert", "/ca.pem")
                .doesNotContainKey("user");
        assertThat(InstanceConfig.superuser(Map.of(), Map.of(), Map.of("username", "cfg", "password", "p"), "os"))
                .containsEntry("username", "cfg")
                .containsEntry("password", "p");
        assertThat(InstanceConfig.superuser(Map.of(), Map.of(), Map.of(), "os"))
                .containsEntry("username", "os")
                .doesNotContainKey("password");
    }

    @Test
    void connectAddressPort_isTheOneConnectedTo_listenIsTheServers() {
        Map<String, Object> viaPgport = new LinkedHashMap<>(ConfigTemplate.of(DB1, Map.of()));
        InstanceConfig.withSettings(viaPgport, SETTINGS, Map.of(), Map.of("PGPORT", "6432"));

        assertThat(Tree.section(viaPgport, "postgresql"))
                .containsEntry("connect_address", "10.0.0.5:6432")
                .containsEntry("listen", "*:5433");
    }

    @Test
    void jdbcTarget_fromTheDsnAndLibpqsVariables_socketDirectoriesBecomeLocalhost() {
        Map<String, Object> login = new LinkedHashMap<>(Map.of("username", "admin", "password", "s3cret"));
        login.put("sslmode", "require");

        JdbcTarget hosts = JdbcTarget.of(
                LibpqDsn.parse("postgresql://db1:5433,[::1]:5434/app").orElseThrow(), Map.of(), login);
        JdbcTarget socket = JdbcTarget.of(Map.of(), Map.of("PGHOST", "/var/run/postgresql", "PGPORT", "5435"), login);

        assertThat(hosts.url()).isEqualTo("jdbc:postgresql://db1:5433,[::1]:5434/app");
        assertThat(hosts.properties())
                .containsEntry("user", "admin")
                .containsEntry("password", "s3cret")
                .containsEntry("sslmode", "require");
        assertThat(hosts.description())
                .isEqualTo("admin@db1:5433,[::1]:5434/app")
                .doesNotContain("s3cret");
        assertThat(socket.url()).isEqualTo("jdbc:postgresql://localhost:5435/admin");
    }
}
