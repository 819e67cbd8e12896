package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.bellwether.config.ConfigException.Problem;
import org.bellwether.core.ConfigRules.Finding;
import org.junit.jupiter.api.Test;

class SettingsAuditTest {
    private static final String ZOOKEEPER_NODE =
            Samples.MINIMAL.replace("etcd3:\n  host: 10.0.0.10:2379\n", "zookeeper:\n  hosts: zk1\n");

    private static LoadedConfig load(String yaml) throws ConfigException {
        return ConfigLoader.fromYaml(yaml, "node.yml", Map.of());
    }

    @Test
    void aSectionRefusedAsAWhole_isReportedAtEachKey_eachNamingItsSource() {
        String yaml = ZOOKEEPER_NODE + "raft:\n  self_addr: 10.0.0.1:2222\n";

        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.fromYaml(yaml, "node.yml", Map.of("PATRONI_RAFT_PARTNER_ADDRS", "'10.0.0.2:2222'")));

        String why = "refused: Patroni's own Raft (deprecated) is not supported; use etcd3 or zookeeper";
        assertThat(e.problems())
                .extracting(Problem::toString)
                .containsExactly(
                        "node.yml: raft.self_addr: " + why,
                        "environment PATRONI_RAFT_PARTNER_ADDRS: raft.partner_addrs: " + why);
    }

    @Test
    void anUnsupportedDcsPatroniWouldIgnore_isOnlyWarnedAbout() throws ConfigException {
        List<String> warnings =
                load(Samples.MINIMAL + "raft:\n  self_addr: 10.0.0.1:2222\n").warnings();

        assertThat(warnings).singleElement().asString().contains("raft: ignored: Patroni uses the first DCS section");
    }

    @Test
    void anEmptyUnsupportedDcsSection_isRefusedAtTheSection() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(ZOOKEEPER_NODE + "consul: {}\n"));

        assertThat(e.problems())
                .extracting(Problem::toString)
                .containsExactly("node.yml: consul: refused: Bellwether has no Consul adapter; use etcd3 or zookeeper");
    }

    @Test
    void valuesOutsideTheirClass_areApplied() throws ConfigException {
        String yaml = ZOOKEEPER_NODE
                        .replace("hosts: zk1\n", "hosts: zk1\n  use_ssl: false\n")
                        .replace("username: postgres\n", "username: postgres\n      sslmode: prefer\n")
                        .replace(
                                "  data_dir: /var/lib/postgresql/data\n",
                                "  data_dir: /var/lib/postgresql/data\n  config_dir: /var/lib/postgresql/data/\n"
                                        + "  use_unix_socket: false\n  create_replica_methods: [basebackup]\n")
                + "bootstrap:\n  method: initdb\n  dcs:\n    primary_stop_timeout: 0\n"
                + "tags:\n  nostream: false\n";

        assertThat(load(yaml).warnings()).isEmpty();
    }

    @Test
    void aSettingNotApplied_isWarnedAboutOnce_notAlsoAsUnknown() throws ConfigException {
        String yaml = Samples.MINIMAL.replace("restapi:\n", "restapi:\n  thread_pool_size: 10\n");

        assertThat(load(yaml).warnings())
                .containsExactly("node.yml: restapi.thread_pool_size: accepted, not applied: the REST server runs"
                        + " health checks and writes on small pools of its own, sized by Bellwether");
    }

    @Test
    void localRewindSetting_isRefusedOnlyWhenItDiffersFromTheDynamicOne() throws ConfigException {
        String local = Samples.MINIMAL.replace(
                "  data_dir: /var/lib/postgresql/data\n",
                "  data_dir: /var/lib/postgresql/data\n  use_pg_rewind: true\n");

        assertThat(load(local + "bootstrap:\n  dcs:\n    postgresql:\n      use_pg_rewind: on\n")
                        .warnings())
                .isEmpty();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(local));
        assertThat(e.problems()).singleElement().extracting(Problem::path).isEqualTo("postgresql.use_pg_rewind");
    }

    @Test
    void dynamicPgHba_isApplied_andDynamicCallbacksAreRefusedUnlessTheNodesFileSetsItsOwn() throws ConfigException {
        String hba = "bootstrap:\n  dcs:\n    postgresql:\n      pg_hba: [host all all 0.0.0.0/0 md5]\n";
        assertThat(load(Samples.MINIMAL + hba).warnings()).isEmpty();

        String callbacks = "bootstrap:\n  dcs:\n    postgresql:\n      callbacks: {on_start: /bin/true}\n";
        String withLocal = Samples.MINIMAL.replace(
                        "  data_dir: /var/lib/postgresql/data\n",
                        "  data_dir: /var/lib/postgresql/data\n  callbacks: {on_start: /bin/true}\n")
                + callbacks;
        assertThat(load(withLocal).warnings()).isEmpty();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(Samples.MINIMAL + callbacks));
        assertThat(e.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("bootstrap.dcs.postgresql.callbacks"))
                .satisfies(p -> assertThat(p.kind()).isEqualTo(ConfigException.Kind.UNSUPPORTED));
    }

    @Test
    void dynamicConfigurationOnItsOwn_refusedAndNotAppliedSettings_leavingTheCoresRefusalsToIt() {
        Map<String, Object> config = Map.of(
                "primary_race_backoff", 5,
                "postgresql", Map.of("callbacks", Map.of("on_start", "/bin/true")),
                "standby_cluster", Map.of("host", "10.0.0.9"));

        assertThat(SettingsAudit.dynamic(config))
                .containsExactlyInAnyOrder(
                        new Finding(
                                "primary_race_backoff",
                                "accepted, not applied: not a Patroni setting: Bellwether reserves it and reads it"
                                        + " nowhere yet",
                                false),
                        new Finding(
                                "postgresql.callbacks",
                                SettingsTable.dynamic("postgresql.callbacks")
                                        .orElseThrow()
                                        .message(),
                                true));
        assertThat(SettingsAudit.checkDynamic(config))
                .filteredOn(Finding::error)
                .extracting(Finding::key)
                .containsExactlyInAnyOrder("postgresql.callbacks", "standby_cluster");
    }

    @Test
    void documentedVariablesPatroniDoesNotRead_areWarnedAboutWithWhy() throws ConfigException {
        LoadedConfig loaded = ConfigLoader.fromYaml(
                Samples.MINIMAL,
                "node.yml",
                Map.of("PATRONI_RESTAPI_THREAD_POOL_SIZE", "10", "PG_MALLOC_ARENA_MAX", "2", "HOME", "/root"));

        assertThat(loaded.warnings())
                .containsExactlyInAnyOrder(
                        "environment: PATRONI_RESTAPI_THREAD_POOL_SIZE: accepted, not applied: Patroni 4.1 does not"
                                + " read it either; the REST server sizes its own pools",
                        "environment: PG_MALLOC_ARENA_MAX: accepted, not applied: PostgreSQL inherits the agent's"
                                + " environment: set MALLOC_ARENA_MAX for the agent instead");
    }
}
