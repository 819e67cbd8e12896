package org.bellwether.postgres.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bellwether.config.PemFiles;

/**
 * The TLS files of one login, found as libpq finds them: the file a keyword names, else libpq's file in
 * {@code ~/.postgresql} ({@code postgresql.crt}, {@code postgresql.key}, {@code root.crt}, {@code root.crl}) when it
 * exists. Read from the driver's properties ({@link JdbcTls} put them there).
 *
 * @param setting {@code postgresql.authentication.superuser}: messages name {@code <setting>.sslkey} and so on
 */
record ClientTlsFiles(String setting, String sslmode, Properties info, Path home) {
    static ClientTlsFiles from(Properties info, Path home) {
        String setting = Optional.ofNullable(info.getProperty("sslfactoryarg"))
                .filter(s -> !s.isBlank())
                .orElse("the connection's");
        return new ClientTlsFiles(setting, info.getProperty("sslmode", "prefer"), info, home);
    }

    /**
     * The client certificate and its key; empty without a certificate file, which libpq does not count as an error
     * (the server decides whether it needs one). A certificate without its key, or a key that cannot be read, is.
     */
    Optional<X509ExtendedKeyManager> keyManager() throws ClientTlsException {
        Path cert = file("sslcert", "postgresql.crt");
        if (!Files.exists(cert)) {
            return Optional.empty();
        }
        Path key = file("sslkey", "postgresql.key");
        if (!Files.exists(key)) {
            throw new ClientTlsException(
                    name("sslkey") + ": certificate " + cert + " is present, but not its private key file " + key);
        }
        List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(cert);
        } catch (GeneralSecurityException e) {
            throw new ClientTlsException(name("sslcert") + ": " + e.getMessage(), e);
        }
        PrivateKey privateKey;
        try {
            privateKey =
                    PemFiles.privateKey(key, Optional.ofNullable(info.getProperty("sslpassword")), name("sslpassword"));
        } catch (GeneralSecurityException e) {
            throw new ClientTlsException(name("sslkey") + ": " + e.getMessage(), e);
        }
        return Optional.of(new OwnCertificate(privateKey, chain));
    }

    /**
     * How the server is checked: against the root certificate when there is one, whatever the mode (libpq checks
     * it then even for {@code require}); without one, only below {@code verify-ca}, and then not at all.
     */
    X509ExtendedTrustManager trustManager() throws ClientTlsException {
        boolean verifies = sslmode.equals("verify-ca") || sslmode.equals("verify-full");
        String given = info.getProperty("sslrootcert", "");
        if (given.equals("system")) {
            if (!sslmode.equals("verify-full")) {
                throw new ClientTlsException(name("sslrootcert") + ": sslmode " + sslmode
                        + " is too weak for sslrootcert=system; libpq requires verify-full");
            }
            return ServerTrust.system(name("sslrootcert") + " system");
        }
        Path root = file("sslrootcert", "root.crt");
        if (!Files.exists(root)) {
            if (verifies) {
                throw new ClientTlsException(name("sslrootcert") + ": root certificate file " + root
                        + " does not exist; sslmode " + sslmode + " needs it to check the server");
            }
            return ServerTrust.anyServer();
        }
        return ServerTrust.authorities(root, revocationLists(), name("sslrootcert") + " " + root);
    }

    /** {@code sslcrl} (else {@code ~/.postgresql/root.crl}) when it exists, and every file of {@code sslcrldir}. */
    private List<CRL> revocationLists() throws ClientTlsException {
        List<CRL> crls = new ArrayList<>();
        Path crl = Path.of(info.getProperty(
                JdbcTls.CRL, home.resolve(".postgresql/root.crl").toString()));
        if (Files.isRegularFile(crl)) {
            crls.addAll(read(crl, "sslcrl"));
        }
        String dir = info.getProperty(JdbcTls.CRL_DIR);
        if (dir != null) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    crls.addAll(read(f, "sslcrldir"));
                }
            } catch (IOException e) {
                throw new ClientTlsException(name("sslcrldir") + ": cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        return crls;
    }

    private List<CRL> read(Path file, String keyword) throws ClientTlsException {
        try (InputStream in = Files.newInputStream(file)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCRLs(in));
        } catch (IOException | GeneralSecurityException e) {
            throw new ClientTlsException(
                    name(keyword) + ": " + file + " holds no readable revocation list: " + e.getMessage(), e);
        }
    }

    /** The file {@code keyword} names, else libpq's default in {@code ~/.postgresql}. */
    private Path file(String keyword, String defaultName) {
        String given = info.getProperty(keyword, "");
        return given.isEmpty() ? home.resolve(".postgresql").resolve(defaultName) : Path.of(given);
    }

    private String name(String keyword) {
        return setting + "." + keyword;
    }

    /** The properties hold the passwords: never shown. */
    @Override
    public String toString() {
        return "ClientTlsFiles[" + setting + ", sslmode=" + sslmode + "]";
    }
}
