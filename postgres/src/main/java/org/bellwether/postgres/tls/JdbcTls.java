package org.bellwether.postgres.tls;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.bellwether.config.Credentials;

/**
 * Turns a role's libpq options into the PostgreSQL driver's properties. {@code gssencmode}, {@code channel_binding}
 * and {@code sslnegotiation} have the driver's own names; the TLS files go to {@link PemSocketFactory}, which reads
 * them as libpq does.
 */
public final class JdbcTls {
    /** Driver properties the driver ignores and {@link PemSocketFactory} reads: libpq's revocation lists. */
    static final String CRL = "bellwether.sslcrl";

    static final String CRL_DIR = "bellwether.sslcrldir";

    private static final Set<String> TLS_KEYWORDS = Set.of(
            "sslmode", "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir", "sslnegotiation");

    private JdbcTls() {}

    /**
     * Sets the properties for {@code login}'s options; {@code setting} ({@code postgresql.authentication.superuser})
     * is named in messages about its files. Without any TLS option the driver keeps its defaults, as before.
     */
    public static void apply(Credentials login, String setting, Properties props) {
        Map<String, String> o = login.connectionOptions();
        copy(o, "gssencmode", props, "gssEncMode");
        copy(o, "channel_binding", props, "channelBinding");
        copy(o, "sslnegotiation", props, "sslNegotiation");
        copy(o, "sslmode", props, "sslmode");
        if (o.keySet().stream().noneMatch(TLS_KEYWORDS::contains) || "disable".equals(o.get("sslmode"))) {
            return;
        }
        props.setProperty("sslfactory", PemSocketFactory.class.getName());
        props.setProperty("sslfactoryarg", setting);
        props.setProperty("sslhostnameverifier", LoopbackHostnameVerifier.class.getName());
        copy(o, "sslcert", props, "sslcert");
        copy(o, "sslkey", props, "sslkey");
        copy(o, "sslpassword", props, "sslpassword");
        copy(o, "sslrootcert", props, "sslrootcert");
        copy(o, "sslcrl", props, CRL);
        copy(o, "sslcrldir", props, CRL_DIR);
    }

    private static void copy(Map<String, String> options, String keyword, Properties props, String property) {
        String value = options.get(keyword);
        if (value != null && !value.isEmpty()) {
            props.setProperty(property, value);
        }
    }
}
