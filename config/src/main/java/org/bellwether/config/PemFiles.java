package org.bellwether.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The PEM files Patroni's TLS settings name ({@code certfile}, {@code keyfile}, {@code cafile}), read into what the
 * JDK's TLS needs. The key may sit in the certificate file, as Python's {@code load_cert_chain} allows, and may be
 * encrypted with {@code keyfile_password} ({@link PrivateKeys} lists the formats). Every failure names the file.
 */
public final class PemFiles {
    private PemFiles() {}

    /** The certificate chain of {@code certfile} with the key of {@code keyfile} (else of {@code certfile}). */
    public static KeyManager[] keyManagers(Path certfile, Optional<Path> keyfile, Optional<String> password)
            throws GeneralSecurityException {
        List<X509Certificate> chain = certificates(certfile);
        PrivateKey key = PrivateKeys.read(keyfile.orElse(certfile), password);
        KeyStore store = emptyStore();
        char[] none = new char[0];
        store.setKeyEntry("own", key, none, chain.toArray(new Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, none);
        return factory.getKeyManagers();
    }

    /** Trust in exactly the certificates of {@code cafile}. */
    public static TrustManager[] trustManagers(Path cafile) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        int i = 0;
        for (X509Certificate cert : certificates(cafile)) {
            store.setCertificateEntry("ca" + i++, cert);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }

    /**
     * The first private key in {@code file} (libpq's {@code sslkey}, say), decrypted with {@code password} when it is
     * encrypted; messages name {@code passwordSetting} as the setting that holds the password.
     */
    public static PrivateKey privateKey(Path file, Optional<String> password, String passwordSetting)
            throws GeneralSecurityException {
        try {
            return PrivateKeys.read(file, password);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(
                    String.valueOf(e.getMessage()).replace("keyfile_password", passwordSetting), e);
        }
    }

    /** Every certificate in {@code file}, in order; none is an error. */
    public static List<X509Certificate> certificates(Path file) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (PemBlock block : PemBlock.read(file)) {
            if (block.type().equals("CERTIFICATE")) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no PEM certificate");
        }
        return out;
    }
}
