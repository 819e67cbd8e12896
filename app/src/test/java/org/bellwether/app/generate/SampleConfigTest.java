package org.bellwether.app.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample is Patroni 4.1's for the same machine and PostgreSQL version, with Bellwether's few differences. */
class SampleConfigTest {
    private static final HostAddress DB1 = new HostAddress("db1", "10.0.0.5");

    @Test
    void postgres15_isPatronisSample() throws Exception {
        assertThat(GenerateSampleConfigCommand.document(Map.of(), DB1, 150000))
                .isEqualTo(PatroniOutput.asBellwether(PatroniOutput.read("patroni-4.1-sample-pg15.yml")));
    }

    @Test
    void postgres10_keepsWalSegments_andHasNoRewindUser() throws Exception {
        assertThat(GenerateSampleConfigCommand.document(Map.of(), DB1, 100000))
                .isEqualTo(PatroniOutput.asBellwether(PatroniOutput.read("patroni-4.1-sample-pg10.yml")));
    }

    @Test
    void postgres95_md5AndHotStandbyWalLevel() throws Exception {
        assertThat(GenerateSampleConfigCommand.document(Map.of(), DB1, 90500))
                .isEqualTo(PatroniOutput.asBellwether(PatroniOutput.read("patroni-4.1-sample-pg9.5.yml")));
    }

    @Test
    void theEnvironment_setsValuesOverTheTemplate_andItsDcsReplacesThePlaceholder() {
        Map<String, Object> environment = Map.of(
                "scope", "orders",
                "etcd3", Map.of("hosts", "e1:2379,e2:2379"),
                "postgresql", Map.of("authentication", Map.of("replication", Map.of("username", "repl"))));

        String sample = GenerateSampleConfigCommand.document(environment, DB1, 150000);

        assertThat(sample)
                .startsWith("scope: orders\n")
                .contains("\netcd3:\n  hosts: e1:2379,e2:2379\n")
                .doesNotContain("FIXME: the DCS")
                .contains("  - host replication repl all scram-sha-256\n");
    }

    @Test
    void anUnknownHost_isMarkedToFix() {
        assertThat(GenerateSampleConfigCommand.document(Map.of(), HostAddress.UNKNOWN, 150000))
                .contains("name: '#FIXME'\n")
                .contains("  connect_address: '#FIXME:8008'\n");
    }
}
