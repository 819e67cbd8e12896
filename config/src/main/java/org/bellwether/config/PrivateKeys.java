package org.bellwether.config;

import java.io.IOException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The private key of a PEM file, in the formats OpenSSL writes and Python's {@code load_cert_chain} reads: PKCS#8
 * ({@code PRIVATE KEY}; RSA, EC, Ed25519, ...), PKCS#8 encrypted with a password ({@code ENCRYPTED PRIVATE KEY}, PBES2
 * with AES as OpenSSL writes by default, or PBES1), and the traditional RSA ({@code RSA PRIVATE KEY}, PKCS#1) and EC
 * ({@code EC PRIVATE KEY}, SEC 1) formats, plain or encrypted with a {@code DEK-Info} header. As with OpenSSL, a
 * password given for a key that is not encrypted is not used.
 */
final class PrivateKeys {
    private static final String[] ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};
    /** {@code rsaEncryption} (1.2.840.113549.1.1.1). */
    private static final byte[] RSA_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** {@code id-ecPublicKey} (1.2.840.10045.2.1). */
    private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    /** What encryptions the JDK reads in PKCS#8: PBES2 with PBKDF2 and AES (OpenSSL's default), or PBES1. */
    private static final String REENCRYPT_HINT =
            "; re-encrypt it with 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEY -out KEY.new'";

    private PrivateKeys() {}

    /** The first private key in {@code file}, decrypted with {@code password} if it is encrypted. */
    static PrivateKey read(Path file, Optional<String> password) throws GeneralSecurityException {
        for (PemBlock block : PemBlock.read(file)) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, block.der());
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    return pkcs8(file, decryptPkcs8(file, block.der(), required(file, password)));
                }
                case "RSA PRIVATE KEY" -> {
                    byte[] pkcs1 = plain(file, block, password);
                    return pkcs8(file, wrap(Der.encode(Der.OID, RSA_OID), Der.encode(Der.NULL), pkcs1));
                }
                case "EC PRIVATE KEY" -> {
                    byte[] sec1 = plain(file, block, password);
                    return pkcs8(file, wrap(Der.encode(Der.OID, EC_OID), curve(file, sec1), sec1));
                }
                default -> {}
            }
        }
        throw new GeneralSecurityException(file + " holds no PEM private key (PKCS#8, RSA or EC)");
    }

    private static String required(Path file, Optional<String> password) throws GeneralSecurityException {
        return password.orElseThrow(
                () -> new GeneralSecurityException(file + " holds an encrypted key, but no keyfile_password is set"));
    }

    /** A traditional block as DER, decrypted first when its headers say it is encrypted. */
    private static byte[] plain(Path file, PemBlock block, Optional<String> password) throws GeneralSecurityException {
        Optional<String> dekInfo = block.dekInfo();
        if (dekInfo.isEmpty()) {
            return block.der();
        }
        try {
            return LegacyPemEncryption.decrypt(block.der(), dekInfo.get(), required(file, password));
        } catch (javax.crypto.BadPaddingException e) {
            throw wrongPassword(file, e);
        }
    }

    private static byte[] decryptPkcs8(Path file, byte[] der, String password) throws GeneralSecurityException {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new GeneralSecurityException(
                    file + ": the JDK cannot read how the key is encrypted (" + e.getMessage() + ")" + REENCRYPT_HINT,
                    e);
        }
        AlgorithmParameters parameters = info.getAlgParameters();
        // For PBES2 the JDK names the scheme only; the parameters name the cipher ("PBEWithHmacSHA256AndAES_256").
        String algorithm =
                info.getAlgName().equals("PBES2") && parameters != null ? parameters.toString() : info.getAlgName();
        Cipher cipher;
        try {
            cipher = Cipher.getInstance(algorithm);
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray())),
                    parameters);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(
                    file + ": the key is encrypted with " + algorithm + ", which the JDK does not have"
                            + REENCRYPT_HINT,
                    e);
        }
        try {
            return info.getKeySpec(cipher).getEncoded();
        } catch (GeneralSecurityException e) {
            throw wrongPassword(file, e);
        }
    }

    private static GeneralSecurityException wrongPassword(Path file, Exception cause) {
        return new GeneralSecurityException("cannot decrypt the key in " + file + ": wrong keyfile_password", cause);
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws GeneralSecurityException {
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new GeneralSecurityException(
                file + ": cannot read the private key: it is damaged, of an algorithm the JDK"
                        + " does not have, or was decrypted with a wrong keyfile_password");
    }

    /** PKCS#8 around a traditional key: version 0, the algorithm (OID and parameters), the key as an octet string. */
    private static byte[] wrap(byte[] oid, byte[] parameters, byte[] key) {
        return Der.encode(
                Der.SEQUENCE,
                Der.encode(Der.INTEGER, new byte[] {0}),
                Der.encode(Der.SEQUENCE, oid, parameters),
                Der.encode(Der.OCTET_STRING, key));
    }

    /** The named curve of a SEC 1 key: its {@code [0]} field, which OpenSSL always writes. */
    private static byte[] curve(Path file, byte[] sec1) throws GeneralSecurityException {
        List<Der.Element> fields = Der.sequence(sec1);
        for (Der.Element field : fields) {
            if (field.tag() == Der.CONTEXT_0) {
                return field.content();
            }
        }
        throw new GeneralSecurityException(
                file + ": the EC key does not name its curve; convert it with 'openssl pkcs8 -topk8 -nocrypt'");
    }
}
