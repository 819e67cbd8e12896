package org.bellwether.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The PEM files Patroni's TLS settings name ({@code certfile}, {@code keyfile}, {@code cafile}), read into what the
 * JDK's TLS needs. The key may sit in the certificate file, as Python's {@code load_cert_chain} allows. Unencrypted
 * PKCS#8 keys (RSA, EC, Ed25519) and PKCS#1 RSA keys are read; an encrypted key is refused with a sentence saying how
 * to decrypt it. Every failure names the file.
 */
public final class PemFiles {
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemFiles() {}

    /** The certificate chain of {@code certfile} with the key of {@code keyfile} (else of {@code certfile}). */
    public static KeyManager[] keyManagers(Path certfile, Optional<Path> keyfile, Optional<String> password)
            throws GeneralSecurityException {
        List<X509Certificate> chain = certificates(certfile);
        PrivateKey key = privateKey(keyfile.orElse(certfile), password);
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

    private static List<X509Certificate> certificates(Path file) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (block.type().equals("CERTIFICATE")) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no PEM certificate");
        }
        return out;
    }

    private static PrivateKey privateKey(Path file, Optional<String> password) throws GeneralSecurityException {
        for (Block block : blocks(file)) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return KeyFactory.getInstance("RSA")
                            .generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs8(block.der())));
                }
                case "ENCRYPTED PRIVATE KEY" ->
                    throw new GeneralSecurityException(file + " holds an encrypted key"
                            + (password.isPresent() ? "" : " and no keyfile_password is set")
                            + "; encrypted keys are not supported yet, decrypt it with"
                            + " 'openssl pkcs8 -topk8 -nocrypt'");
                default -> {}
            }
        }
        throw new GeneralSecurityException(file + " holds no PEM private key (PKCS#8 or RSA)");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Wraps a PKCS#1 RSA key in the PKCS#8 structure the JDK reads. */
    private static byte[] rsaPkcs8(byte[] pkcs1) {
        byte[] algorithm = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(new byte[] {0x04}, length(pkcs1.length), pkcs1);
        byte[] body = concat(version, algorithm, octets);
        return concat(new byte[] {0x30}, length(body.length), body);
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file) throws GeneralSecurityException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return out;
    }
}
