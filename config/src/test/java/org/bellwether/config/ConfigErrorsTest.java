package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bellwether.config.ConfigException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigErrorsTest {
    @TempDir
    Path dir;

    private ConfigException failure(String yaml) {
        return failure(yaml, Map.of());
    }

    private ConfigException failure(String yaml, Map<String, String> env) {
        Path file = Samples.write(dir, "config.yml", yaml);
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, env));
    }

    private List<String> warnings(String yaml) throws ConfigException {
        return ConfigLoader.load(Samples.write(dir, "config.yml", yaml), Map.of())
                .warnings();
    }

    private String file() {
        return dir.resolve("config.yml").toString();
    }

    @Test
    void brokenYaml_namesFileLineAndColumn() {
        ConfigException e = failure("scope: batman\nname: node1\nrestapi:\n  listen: [1.2.3.4:8008\n  x: y\n");

        assertThat(e.problems())
                .singleElement()
                .extracting(ConfigException.Problem::kind)
                .isEqualTo(Kind.SYNTAX);
        assertThat(e.getMessage())
                .startsWith(file() + ": restapi.listen: line 5, column")
                .contains("invalid YAML");
    }

    @Test
    void badIndentation_pointsAtTheLine() {
        ConfigException e = failure("scope: batman\n  name: node1\n");

        assertThat(e.getMessage()).startsWith(file() + ": ").contains("line 2, column");
    }

    @Test
    void unknownKey_isAWarningNamingFileAndKeyPath() throws ConfigException {
        List<String> w = warnings(
                Samples.MINIMAL.replace("restapi:\n", "restapi:\n  lsiten: 1.2.3.4:8008\n") + "postgresql_extra: 1\n");

        assertThat(w)
                .containsExactly(
                        file() + ": restapi.lsiten: unknown setting, ignored",
                        file() + ": postgresql_extra: unknown setting, ignored");
    }

    @Test
    void unknownKeyDeepInside_isWarnedWithItsFullPath() throws ConfigException {
        String yaml = Samples.MINIMAL.replace("username: replicator", "username: replicator\n      passwd: x");

        assertThat(warnings(yaml))
                .containsExactly(file() + ": postgresql.authentication.replication.passwd: unknown setting, ignored");
    }

    @Test
    void wrongType_sectionGivenAsScalar() {
        ConfigException e = failure(Samples.MINIMAL + "watchdog: required\n");

        assertThat(e.getMessage()).isEqualTo(file() + ": watchdog: expected a mapping of settings, got 'required'");
        assertThat(e.problems().get(0).kind()).isEqualTo(Kind.WRONG_TYPE);
    }

    @Test
    void wrongType_quotedBoolean() {
        ConfigException e = failure(Samples.MINIMAL.replace("data_dir:", "use_pg_rewind: 'false'\n  data_dir:"));

        assertThat(e.getMessage())
                .startsWith(file() + ": postgresql.use_pg_rewind: expected true or false, got 'false'")
                .contains("remove the quotes");
    }

    @Test
    void wrongType_listWhereTextIsExpected() {
        ConfigException e = failure(Samples.MINIMAL.replace("data_dir: /var/lib/postgresql/data", "data_dir: [a, b]"));

        assertThat(e.getMessage()).isEqualTo(file() + ": postgresql.data_dir: expected a string, got a list");
    }

    @Test
    void wrongType_booleanTagWrittenAsString() {
        ConfigException e = failure(Samples.MINIMAL + "tags:\n  nofailover: 'false'\n");

        assertThat(e.getMessage()).startsWith(file() + ": tags.nofailover: expected true or false, got 'false'");
    }

    @Test
    void wrongType_dcsIntegerGivenAsWord() {
        ConfigException e = failure(Samples.MINIMAL + "bootstrap:\n  dcs:\n    ttl: thirty\n");

        assertThat(e.getMessage())
                .isEqualTo(file() + ": bootstrap.dcs.ttl: expected an integer between 5 and 86400, got 'thirty'");
    }

    @Test
    void missingRequiredKey_namesTheFullPath() {
        ConfigException e = failure(Samples.MINIMAL.replace("      username: replicator\n", "      password: x\n"));

        assertThat(e.getMessage())
                .isEqualTo(file() + ": postgresql.authentication.replication.username: required setting is missing");
        assertThat(e.problems().get(0).kind()).isEqualTo(Kind.MISSING);
    }

    @Test
    void missingRequiredSection() {
        ConfigException e = failure(Samples.MINIMAL.replace("    replication:\n      username: replicator\n", ""));

        assertThat(e.getMessage())
                .isEqualTo(file() + ": postgresql.authentication.replication: required section is missing");
    }

    @Test
    void missingScopeAndName_areBothReported() {
        ConfigException e = failure(Samples.MINIMAL.replace("scope: batman\nname: node1\n", ""));

        assertThat(e.problems())
                .extracting(ConfigException.Problem::toString)
                .containsExactly(
                        file() + ": scope: required setting is missing",
                        file() + ": name: required setting is missing");
    }

    @Test
    void ttlCombination_isAWarningWithPatronisAdjustment() throws ConfigException {
        List<String> w = warnings(
                Samples.MINIMAL + "bootstrap:\n  dcs:\n    ttl: 30\n    loop_wait: 10\n    retry_timeout: 15\n");

        assertThat(w)
                .containsExactly(file() + ": bootstrap.dcs: loop_wait + 2*retry_timeout exceeds ttl (loop_wait=10,"
                        + " retry_timeout=15, ttl=30: 10 + 2*15 = 40 > 30); lowering loop_wait from 10 to 1 and"
                        + " retry_timeout from 15 to 14, as Patroni does");
    }

    @Test
    void ttlCombination_saysWhichValuesAreDefaults() throws ConfigException {
        List<String> w = warnings(Samples.MINIMAL + "bootstrap:\n  dcs:\n    ttl: 25\n");

        assertThat(w)
                .singleElement()
                .asString()
                .contains("loop_wait=10 (default), retry_timeout=10 (default), ttl=25:");
    }

    @Test
    void ttlBelowTheMinimum() {
        ConfigException e = failure(Samples.MINIMAL + "bootstrap:\n  dcs:\n    ttl: 4\n    loop_wait: 1\n");

        assertThat(e.getMessage())
                .startsWith(file() + ": bootstrap.dcs.ttl: expected an integer between 5 and 86400, got 4");
    }

    @Test
    void ttlBeyondADay_isRefusedRatherThanOverflowingLater() {
        ConfigException e = failure(Samples.MINIMAL + "bootstrap:\n  dcs:\n    loop_wait: 9223372036854775807\n");

        assertThat(e.getMessage())
                .isEqualTo(file() + ": bootstrap.dcs.loop_wait: expected an integer between 1 and 86400, got"
                        + " 9223372036854775807");
    }

    @Test
    void shortTunedTimings_areAccepted() throws Exception {
        LoadedConfig loaded = ConfigLoader.fromYaml(
                Samples.MINIMAL + "bootstrap:\n  dcs:\n    ttl: 10\n    loop_wait: 2\n    retry_timeout: 4\n",
                file(),
                java.util.Map.of());

        assertThat(loaded.config().bootstrap().dcs()).containsEntry("ttl", 10);
    }

    @Test
    void badHostPort_showsTheText() {
        ConfigException e = failure(Samples.MINIMAL.replace("listen: 0.0.0.0:8008", "listen: 8008x"));

        assertThat(e.getMessage()).isEqualTo(file() + ": restapi.listen: expected host:port, got '8008x'");
        assertThat(e.problems().get(0).kind()).isEqualTo(Kind.INVALID_VALUE);
    }

    @Test
    void badPort_isOutOfRange() {
        ConfigException e =
                failure(Samples.MINIMAL.replace("connect_address: 10.0.0.1:5432", "connect_address: h:70000"));

        assertThat(e.getMessage())
                .isEqualTo(file() + ": postgresql.connect_address: port must be between 1 and 65535, got 'h:70000'");
    }

    @Test
    void badPostgresListen() {
        ConfigException e = failure(Samples.MINIMAL.replace("listen: 0.0.0.0:5432", "listen: 0.0.0.0"));

        assertThat(e.getMessage())
                .isEqualTo(file() + ": postgresql.listen: expected addresses:port such as 0.0.0.0:5432, got '0.0.0.0'");
    }

    @Test
    void wildcardConnectAddress_isRefused() {
        ConfigException e =
                failure(Samples.MINIMAL.replace("connect_address: 10.0.0.1:8008", "connect_address: 0.0.0.0:8008"));

        assertThat(e.getMessage()).startsWith(file() + ": restapi.connect_address: other members connect to this");
    }

    @Test
    void etcdV2Section_saysEtcd3IsNeeded() {
        ConfigException e = failure(Samples.MINIMAL.replace("etcd3:", "etcd:"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(p.toString())
                    .startsWith(file() + ": etcd.host: refused: etcd's v2 API is not supported; use an etcd3 section");
        });
    }

    @Test
    void missingDcs_namesTheSupportedOnes() {
        ConfigException e = failure(Samples.MINIMAL.replace("etcd3:\n  host: 10.0.0.10:2379\n", ""));

        assertThat(e.getMessage()).isEqualTo(file() + ": no DCS is configured: add an etcd3 or a zookeeper section");
    }

    @Test
    void unsupportedDcsThatPatroniWouldPickFirst_isAnError() {
        ConfigException e = failure(Samples.MINIMAL + "consul:\n  host: 127.0.0.1:8500\n");

        assertThat(e.getMessage())
                .isEqualTo(file() + ": consul.host: refused: Bellwether has no Consul adapter; use etcd3 or zookeeper");
    }

    @Test
    void secondSupportedDcs_isIgnoredWithAWarning() throws ConfigException {
        assertThat(warnings(Samples.MINIMAL + "zookeeper:\n  hosts: [zk1]\n"))
                .containsExactly(file() + ": zookeeper: ignored: Patroni uses the first DCS section in the order"
                        + " consul, etcd, etcd3, exhibitor, kubernetes, raft, zookeeper, which here is etcd3");
    }

    @Test
    void etcd3WithoutEndpoints() {
        ConfigException e = failure(Samples.MINIMAL.replace("  host: 10.0.0.10:2379\n", "  protocol: https\n"));

        assertThat(e.getMessage()).isEqualTo(file() + ": etcd3: no endpoints: set hosts, host, url or proxy");
    }

    @Test
    void citus_isRefused() {
        ConfigException e = failure(Samples.MINIMAL + "citus:\n  group: 0\n  database: citus\n");

        assertThat(e.problems())
                .extracting(ConfigException.Problem::path)
                .containsExactly("citus.group", "citus.database");
        assertThat(e.problems().get(0).message()).startsWith("refused: Citus clusters are not supported");
    }

    @Test
    void severalBrokenSections_areReportedTogether() {
        ConfigException e = failure(Samples.MINIMAL
                .replace("listen: 0.0.0.0:8008", "listen: 8008x")
                .replace("  data_dir: /var/lib/postgresql/data\n", ""));

        assertThat(e.problems())
                .extracting(ConfigException.Problem::path)
                .containsExactly("restapi.listen", "postgresql.data_dir");
    }

    @Test
    void valueFromTheEnvironment_namesTheVariable() {
        ConfigException e = failure(Samples.MINIMAL, Map.of("PATRONI_RESTAPI_LISTEN", "8008x"));

        assertThat(e.getMessage())
                .isEqualTo("environment PATRONI_RESTAPI_LISTEN: restapi.listen: expected host:port, got '8008x'");
    }

    @Test
    void valueFromAnotherFileOfTheDirectory_namesThatFile() {
        Samples.write(dir, "a.yml", Samples.MINIMAL);
        Path b = Samples.write(dir, "b.yml", "postgresql:\n  listen: nowhere\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));

        assertThat(e.getMessage()).startsWith(b + ": postgresql.listen: expected addresses:port");
    }

    @Test
    void missingFile_isUnreadable() {
        Path missing = dir.resolve("nope.yml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing, Map.of()));

        assertThat(e.getMessage()).isEqualTo(missing + ": no such file");
        assertThat(e.problems().get(0).kind()).isEqualTo(Kind.UNREADABLE);
    }

    @Test
    void emptyFile_saysSo() {
        ConfigException e = failure("# nothing yet\n");

        assertThat(e.getMessage()).isEqualTo(file() + ": holds no settings; expected a mapping such as 'scope: ...'");
    }

    @Test
    void topLevelList_isRefused() {
        ConfigException e = failure("- scope: batman\n");

        assertThat(e.getMessage()).isEqualTo(file() + ": expected a mapping of settings at the top level, got a list");
    }

    @Test
    void reservedInitdbOption_isAnError() {
        ConfigException e = failure(Samples.MINIMAL + "bootstrap:\n  initdb:\n  - pgdata: /tmp/x\n");

        assertThat(e.getMessage())
                .isEqualTo(file() + ": bootstrap.initdb[0]: option 'pgdata' is set by the agent itself and may not be"
                        + " given here");
    }

    @Test
    void customBootstrapMethod_isRefusedWithOrWithoutItsSection() {
        ConfigException bare = failure(Samples.MINIMAL + "bootstrap:\n  method: wal_g\n");
        ConfigException withSection =
                failure(Samples.MINIMAL + "bootstrap:\n  method: wal_g\n  wal_g:\n    command: /bin/restore\n");

        for (ConfigException e : List.of(bare, withSection)) {
            assertThat(e.getMessage())
                    .isEqualTo(file() + ": bootstrap.method: refused: custom bootstrap methods are not supported:"
                            + " Bellwether would run initdb instead of the method's restore");
        }
    }

    @Test
    void errorsKeepTheWarningsFoundBeforeThem() {
        ConfigException e = failure(Samples.MINIMAL.replace("name: node1", "nmae: node1"));

        assertThat(e.getMessage()).isEqualTo(file() + ": name: required setting is missing");
        assertThat(e.warnings()).containsExactly(file() + ": nmae: unknown setting, ignored");
    }

    @Test
    void settingsPatroniIgnores_areWarnedAbout() throws ConfigException {
        String yaml = Samples.MINIMAL.replace(
                        "data_dir: /var/lib/postgresql/data",
                        "data_dir: /var/lib/postgresql/data\n  use_slots: false\n  parameters:\n    max_connections: 500")
                + "ttl: 30\nbootstrap:\n  users:\n    admin:\n      password: x\n";

        assertThat(warnings(yaml))
                .containsExactly(
                        file() + ": bootstrap.users: no longer supported since Patroni 4.0 and ignored; create users"
                                + " in post_bootstrap",
                        file() + ": postgresql.parameters.max_connections: Patroni takes this parameter only from the"
                                + " dynamic configuration (bootstrap.dcs.postgresql.parameters, or postgresql.listen and"
                                + " scope); ignored here",
                        file() + ": postgresql.use_slots: only read from the dynamic configuration"
                                + " (bootstrap.dcs.postgresql); ignored here",
                        file() + ": ttl: a dynamic setting; Patroni ignores it here, put it under bootstrap.dcs");
    }

    @Test
    void duplicateKey_isAWarningWithItsLine() throws ConfigException {
        assertThat(warnings(Samples.MINIMAL + "name: node2\n"))
                .containsExactly(file() + ": name: line 17: key given twice; the last value is used");
    }

    @Test
    void restApiCiphers_selectingNoSuiteOfTheJdk_isAnErrorNamingTheKey() {
        String yaml = Samples.MINIMAL.replace(
                "restapi:\n", "restapi:\n  certfile: /etc/rest.pem\n  ciphers: 'CAMELLIA:!SSLv2'\n");

        ConfigException e = failure(yaml);

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.INVALID_VALUE);
            assertThat(p.path()).isEqualTo("restapi.ciphers");
            assertThat(p.message())
                    .startsWith("'CAMELLIA:!SSLv2' selects none of the TLS 1.2 cipher suites this JDK supports: ");
        });
    }

    @Test
    void restApiCiphers_thatSelectSuites_loadWithoutWarning_andWithoutCertfileAreReportedUnused()
            throws ConfigException {
        String withTls = Samples.MINIMAL.replace(
                "restapi:\n", "restapi:\n  certfile: /etc/rest.pem\n  ciphers: 'HIGH:!aNULL'\n");
        String plain = Samples.MINIMAL.replace("restapi:\n", "restapi:\n  ciphers: 'HIGH:!aNULL'\n");

        assertThat(warnings(withTls)).isEmpty();
        assertThat(warnings(plain))
                .containsExactly(file() + ": restapi.ciphers: has no effect without restapi.certfile: the REST API"
                        + " serves plain HTTP");
    }

    @Test
    void restApiExtraHeaders_withABadNameOrAMultilineValue_areErrors() {
        ConfigException badName = failure(
                Samples.MINIMAL.replace("restapi:\n", "restapi:\n  http_extra_headers:\n    'X Frame': DENY\n"));
        ConfigException twoLines = failure(Samples.MINIMAL.replace(
                "restapi:\n", "restapi:\n  https_extra_headers:\n    X-A: \"a\\r\\nSet-Cookie: x\"\n"));

        assertThat(badName.getMessage())
                .isEqualTo(file() + ": restapi.http_extra_headers: 'X Frame' is not a valid HTTP header name");
        assertThat(twoLines.getMessage())
                .isEqualTo(file() + ": restapi.https_extra_headers: the value of 'X-A' must be a single line");
    }
}
