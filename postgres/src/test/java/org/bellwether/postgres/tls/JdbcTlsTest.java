package org.bellwether.postgres.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.bellwether.config.Credentials;
import org.junit.jupiter.api.Test;

class JdbcTlsTest {
    private static Properties apply(Map<String, String> options) {
        Properties props = new Properties();
        JdbcTls.apply(
                new Credentials("postgres", Optional.of("pw"), new TreeMap<>(options)),
                "postgresql.authentication.superuser",
                props);
        return props;
    }

    @Test
    void libpqOptions_becomeTheDriversProperties_withOurSocketFactoryForTheFiles() {
        Properties props = apply(Map.of(
                "sslmode", "verify-full",
                "sslcert", "/tls/postgres.crt",
                "sslkey", "/tls/postgres.key",
                "sslpassword", "key secret",
                "sslrootcert", "/tls/ca.crt",
                "sslcrl", "/tls/ca.crl",
                "sslcrldir", "/tls/crls",
                "gssencmode", "disable",
                "channel_binding", "require",
                "sslnegotiation", "direct"));

        assertThat(props)
                .containsEntry("sslmode", "verify-full")
                .containsEntry("sslfactory", PemSocketFactory.class.getName())
                .containsEntry("sslfactoryarg", "postgresql.authentication.superuser")
                .containsEntry("sslhostnameverifier", LoopbackHostnameVerifier.class.getName())
                .containsEntry("sslcert", "/tls/postgres.crt")
                .containsEntry("sslkey", "/tls/postgres.key")
                .containsEntry("sslpassword", "key secret")
                .containsEntry("sslrootcert", "/tls/ca.crt")
                .containsEntry(JdbcTls.CRL, "/tls/ca.crl")
                .containsEntry(JdbcTls.CRL_DIR, "/tls/crls")
                .containsEntry("gssEncMode", "disable")
                .containsEntry("channelBinding", "require")
                .containsEntry("sslNegotiation", "direct");
    }

    @Test
    void withoutTlsOptions_theDriverKeepsItsDefaults() {
        assertThat(apply(Map.of())).isEmpty();
        assertThat(apply(Map.of("gssencmode", "disable", "channel_binding", "disable")))
                .containsOnlyKeys("gssEncMode", "channelBinding");
    }

    @Test
    void sslmodeDisable_needsNoSocketFactory() {
        assertThat(apply(Map.of("sslmode", "disable", "sslrootcert", "/tls/ca.crt")))
                .containsOnlyKeys("sslmode")
                .containsEntry("sslmode", "disable");
    }

    @Test
    void sslmodeAlone_stillGoesThroughOurFactory_soItReadsLibpqsDefaultFiles() {
        assertThat(apply(Map.of("sslmode", "require")))
                .containsEntry("sslmode", "require")
                .containsEntry("sslfactory", PemSocketFactory.class.getName());
    }
}
