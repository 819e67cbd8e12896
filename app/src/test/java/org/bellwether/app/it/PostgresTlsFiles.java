package org.bellwether.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.bellwether.config.Credentials;
import org.bellwether.postgres.tls.JdbcTls;
import org.bellwether.testkit.SystemUser;
import org.bellwether.testkit.TestCertificates;

/**
 * The certificates of a cluster whose PostgreSQL servers require TLS and client certificates, made by openssl for the
 * test: an authority, a server certificate for 127.0.0.1, client certificates whose common names are the roles
 * (postgres, replicator, rewinder), and a second authority that signed none of them. Keys are copied to files the
 * postgres user owns with mode 0600: PostgreSQL refuses a server key anyone else may read, and libpq a client key.
 */
record PostgresTlsFiles(Path dir, TestCertificates authority, TestCertificates otherAuthority) {
    static PostgresTlsFiles make(Path dir) {
        PostgresTlsFiles files = new PostgresTlsFiles(
                dir, TestCertificates.authority(dir, "ca"), TestCertificates.authority(dir, "other-ca"));
        files.issue("server", "127.0.0.1");
        for (String role : new String[] {"postgres", "replicator", "rewinder"}) {
            files.issue(role, role);
        }
        return files;
    }

    private void issue(String name, String commonName) {
        TestCertificates.Issued issued = authority.issue(name, commonName);
        try {
            Path key = Files.copy(issued.key(), privateKey(name));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            if (SystemUser.isRoot()) {
                UserPrincipal postgres =
                        key.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SystemUser.POSTGRES);
                Files.setOwner(key, postgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path certificate(String name) {
        return dir.resolve(name + ".crt");
    }

    Path privateKey(String name) {
        return dir.resolve(name + "-private.key");
    }

    /**
     * {@code yaml} (a {@link TestCluster} node configuration) with TLS on the server, {@code hostssl ... cert} for
     * every TCP login, and each role logging in with its certificate at {@code verify-full}; the replication role
     * trusts {@code replicationAuthority}.
     */
    String configure(String yaml, Path replicationAuthority) {
        String serverTls = "    shared_buffers: 16MB\n"
                + "    ssl: 'on'\n"
                + "    ssl_cert_file: " + certificate("server") + "\n"
                + "    ssl_key_file: " + privateKey("server") + "\n"
                + "    ssl_ca_file: " + authority.ca() + "\n";
        return yaml.replace("- host all all 127.0.0.1/32 md5", "- hostssl all all 127.0.0.1/32 cert")
                .replace(
                        "- host replication replicator 127.0.0.1/32 md5",
                        "- hostssl replication replicator 127.0.0.1/32 cert")
                .replace("    shared_buffers: 16MB\n", serverTls)
                .replace("      username: postgres\n", login("postgres", authority.ca()))
                .replace("      username: replicator\n", login("replicator", replicationAuthority))
                .replace("      username: rewinder\n", login("rewinder", authority.ca()));
    }

    private String login(String role, Path rootcert) {
        StringBuilder out = new StringBuilder("      username: " + role + "\n");
        options(role, rootcert)
                .forEach((k, v) ->
                        out.append("      ").append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }

    private Map<String, String> options(String role, Path rootcert) {
        Map<String, String> o = new TreeMap<>();
        o.put("sslmode", "verify-full");
        o.put("sslrootcert", rootcert.toString());
        o.put("sslcert", certificate(role).toString());
        o.put("sslkey", privateKey(role).toString());
        return o;
    }

    /** A superuser connection as the agents make it: the postgres certificate, the server checked in full. */
    Connection connect(TestNode node) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "10");
        JdbcTls.apply(
                new Credentials("postgres", Optional.empty(), new TreeMap<>(options("postgres", authority.ca()))),
                "test",
                props);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.pgPort + "/postgres", props);
    }
}
