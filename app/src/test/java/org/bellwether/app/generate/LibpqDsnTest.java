package org.bellwether.app.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cases of Patroni's {@code parse_dsn} doctests, and what libpq's defaults add. */
class LibpqDsnTest {
    private static final Map<String, String> DEFAULTS = Map.of(
            "sslmode", "prefer", "gssencmode", "prefer", "channel_binding", "prefer", "sslnegotiation", "postgres");

    private static Map<String, String> withDefaults(Map<String, String> values) {
        Map<String, String> all = new java.util.HashMap<>(DEFAULTS);
        all.putAll(values);
        return all;
    }

    @Test
    void keywords_quotedAndEscapedValues_requiresslBecomesSslmode() {
        assertThat(LibpqDsn.parse(" host = 'host' dbname = db\\ name requiressl=1 "))
                .hasValue(withDefaults(Map.of("dbname", "db name", "host", "host", "sslmode", "require")));
        assertThat(LibpqDsn.parse("requiressl = 0\\")).hasValue(DEFAULTS);
        assertThat(LibpqDsn.parse("foo=bar")).hasValue(withDefaults(Map.of("foo", "bar")));
        assertThat(LibpqDsn.parse("password='it''s' user=u")).isEmpty();
        assertThat(LibpqDsn.parse("password='it\\'s' user=u"))
                .hasValue(withDefaults(Map.of("password", "it's", "user", "u")));
    }

    @Test
    void anExplicitSslmode_winsOverRequiressl() {
        assertThat(LibpqDsn.parse("requiressl=1 sslmode=disable"))
                .hasValueSatisfying(
                        m -> assertThat(m).containsEntry("sslmode", "disable").containsEntry("requiressl", "1"));
    }

    @Test
    void notAConnectionString_isEmpty() {
        assertThat(LibpqDsn.parse("host=a foo = '")).isEmpty();
        assertThat(LibpqDsn.parse("host=a foo = ")).isEmpty();
        assertThat(LibpqDsn.parse("1")).isEmpty();
        assertThat(LibpqDsn.parse("")).isEmpty();
        assertThat(LibpqDsn.parse("   ")).isEmpty();
    }

    @Test
    void uri_percentDecoded_withQueryKeywords() {
        assertThat(LibpqDsn.parse("postgresql://u%2Fse:pass@:%2f123/db%2Fsdf?application_name=mya%2Fpp&ssl=true"))
                .hasValue(withDefaults(Map.of(
                        "application_name",
                        "mya/pp",
                        "dbname",
                        "db/sdf",
                        "sslmode",
                        "require",
                        "password",
                        "pass",
                        "port",
                        "/123",
                        "user",
                        "u/se")));
        assertThat(LibpqDsn.parse("postgresql://u%2Fse:pass@[::1]/db%2Fsdf?application_name=mya%2Fpp&ssl=true"))
                .hasValue(withDefaults(Map.of(
                        "application_name",
                        "mya/pp",
                        "dbname",
                        "db/sdf",
                        "host",
                        "::1",
                        "sslmode",
                        "require",
                        "password",
                        "pass",
                        "user",
                        "u/se")));
        assertThat(LibpqDsn.parse("postgresql://foo/postgres"))
                .hasValue(withDefaults(Map.of("dbname", "postgres", "host", "foo")));
    }

    @Test
    void uri_severalHosts_keepTheirPortsInOrder() {
        assertThat(LibpqDsn.parse("postgres://db1:5433,db2,[fe80::1]:5434/app"))
                .hasValueSatisfying(m -> assertThat(m)
                        .containsEntry("host", "db1,db2,fe80::1")
                        .containsEntry("port", "5433,,5434")
                        .containsEntry("dbname", "app"));
    }
}
