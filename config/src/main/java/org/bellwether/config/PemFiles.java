package org.bellwether.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
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
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The PEM files Patroni's TLS settings name ({@code certfile}, {@code keyfile}, {@code cafile}, and libpq's
 * {@code sslcert}, {@code sslkey}, {@code sslrootcert}), read into what the JDK's TLS needs. The key may sit in the
 * certificate file, as Python's {@code load_cert_chain} allows. PKCS#8 keys (RSA, EC, Ed25519), encrypted with a
 * password or not, and unencrypted PKCS#1 RSA keys are read; other kinds are refused with a sentence saying how to
 * convert them. Every failure names the file.
 */
public final class PemFiles {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----((?:\\s*[A-Za-z-]+: [^\\n]*\\n)*)([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemFiles() {}

    /** The certificate chain of {@code certfile} with the key of {@code keyfile} (else of {@code certfile}). */
    public static KeyManager[] keyManagers(Path certfile, Optional<Path> keyfile, Optional<String> password)
            throws GeneralSecurityException {
        List<X509Certificate> chain = certificates(certfile);
        PrivateKey key = privateKey(keyfile.orElse(certfile), password, "keyfile_password");
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

    /** Every certificate in {@code file}, in order; none is an error. */
    public static List<X509Certificate> certificates(Path file) throws GeneralSecurityException {
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

    /**
     * The first private key in {@code file}, decrypted with {@code password} when it is encrypted;
     * {@code passwordSetting} names the setting that holds the password, for the message when it is missing.
     */
    public static PrivateKey privateKey(Path file, Optional<String> password, String passwordSetting)
            throws GeneralSecurityException {
        for (Block block : blocks(file)) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der());
                }
                case "RSA PRIVATE KEY" -> {
                    if (block.encryptedTraditionally()) {
                        throw new GeneralSecurityException(file + " holds an RSA key in OpenSSL's old encrypted"
                                + " format, which is not supported; convert it to PKCS#8 with"
                                + " 'openssl pkcs8 -topk8 -in <old> -out <new>'");
                    }
                    return KeyFactory.getInstance("RSA")
                            .generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs8(block.der())));
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password.isEmpty()) {
                        throw new GeneralSecurityException(
                                file + " holds an encrypted key and no " + passwordSetting + " is set");
                    }
                    return pkcs8(decrypt(file, block.der(), password.get(), passwordSetting));
                }
                case "EC PRIVATE KEY" ->
                    throw new GeneralSecurityException(file + " holds an EC key in OpenSSL's SEC1 format, which is"
                            + " not supported; convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in <old>"
                            + " -out <new>'");
                default -> {}
            }
        }
        throw new GeneralSecurityException(file + " holds no PEM private key (PKCS#8 or RSA)");
    }

    /**
     * An encrypted PKCS#8 key's plain form. PBES2 keys (what {@code openssl pkcs8 -topk8} writes) name their cipher
     * only inside their parameters, which the JDK spells as a name it can look up.
     */
    private static byte[] decrypt(Path file, byte[] der, String password, String passwordSetting)
            throws GeneralSecurityException {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new GeneralSecurityException(file + " holds a damaged encrypted key: " + e.getMessage(), e);
        }
        String algorithm = info.getAlgName();
        AlgorithmParameters parameters = info.getAlgParameters();
        if (parameters != null && parameters.toString().startsWith("PBEWith")) {
            algorithm = parameters.toString();
        }
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray());
        try {
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(
                    Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(spec), parameters);
            return info.getKeySpec(cipher).getEncoded();
        } catch (java.security.NoSuchAlgorithmException | javax.crypto.NoSuchPaddingException e) {
            throw new GeneralSecurityException(
                    file + " is encrypted with " + algorithm + ", which this Java cannot decrypt", e);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(
                    "cannot decrypt " + file + " with " + passwordSetting + " (wrong password?)", e);
        } finally {
            spec.clearPassword();
        }
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

    /** One PEM block; {@code headers} are the RFC 1421 lines OpenSSL writes before an old-style encrypted key. */
    private record Block(String type, String headers, byte[] der) {
        boolean encryptedTraditionally() {
            return headers.contains("Proc-Type") && headers.contains("ENCRYPTED");
        }
    }

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
            out.add(new Block(m.group(1), m.group(2), Base64.getMimeDecoder().decode(m.group(3))));
        }
        return out;
    }
}
