package org.bellwether.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys OpenSSL encrypted the traditional way ({@code openssl genrsa -aes256} before OpenSSL 3, {@code openssl rsa
 * -aes256 -traditional}, {@code openssl ec -aes128}): the PEM block says {@code DEK-Info: AES-256-CBC,<iv>}, and the
 * key is derived from the password and the first eight bytes of the IV by OpenSSL's {@code EVP_BytesToKey} with MD5
 * and one round. Python's {@code load_cert_chain} reads these, so Patroni's {@code keyfile_password} covers them.
 */
final class LegacyPemEncryption {
    /** A cipher of {@code DEK-Info}: the JDK's transformation, its key algorithm and key length. */
    private record Algorithm(String transformation, String keyAlgorithm, int keyBytes) {}

    private static final Map<String, Algorithm> ALGORITHMS = Map.of(
            "AES-128-CBC", new Algorithm("AES/CBC/PKCS5Padding", "AES", 16),
            "AES-192-CBC", new Algorithm("AES/CBC/PKCS5Padding", "AES", 24),
            "AES-256-CBC", new Algorithm("AES/CBC/PKCS5Padding", "AES", 32),
            "DES-EDE3-CBC", new Algorithm("DESede/CBC/PKCS5Padding", "DESede", 24),
            "DES-CBC", new Algorithm("DES/CBC/PKCS5Padding", "DES", 8));

    private LegacyPemEncryption() {}

    /**
     * The DER of the key once decrypted.
     *
     * @param dekInfo {@code <cipher>,<iv in hex>}
     * @throws GeneralSecurityException for an unknown cipher, or a wrong password (bad padding, most of the time)
     */
    static byte[] decrypt(byte[] encrypted, String dekInfo, String password) throws GeneralSecurityException {
        int comma = dekInfo.indexOf(',');
        String name = comma < 0 ? dekInfo : dekInfo.substring(0, comma).trim();
        Algorithm algorithm = ALGORITHMS.get(name);
        if (algorithm == null || comma < 0) {
            throw new GeneralSecurityException("the key is encrypted with " + name + ", which is not supported (use "
                    + String.join(", ", ALGORITHMS.keySet().stream().sorted().toList()) + ")");
        }
        byte[] iv;
        try {
            iv = HexFormat.of().parseHex(dekInfo.substring(comma + 1).trim());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("DEK-Info has no valid IV: " + dekInfo, e);
        }
        byte[] key = bytesToKey(password.getBytes(StandardCharsets.UTF_8), iv, algorithm.keyBytes());
        Cipher cipher = Cipher.getInstance(algorithm.transformation());
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, algorithm.keyAlgorithm()), new IvParameterSpec(iv));
        return cipher.doFinal(encrypted);
    }

    /** OpenSSL's {@code EVP_BytesToKey(cipher, MD5, iv[0..8], password, 1)}: MD5 chained until the key is long enough. */
    private static byte[] bytesToKey(byte[] password, byte[] iv, int length) throws GeneralSecurityException {
        if (iv.length < 8) {
            throw new GeneralSecurityException("DEK-Info's IV is shorter than 8 bytes");
        }
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] key = new byte[length];
        byte[] previous = new byte[0];
        for (int filled = 0; filled < length; ) {
            md5.update(previous);
            md5.update(password);
            md5.update(iv, 0, 8);
            previous = md5.digest();
            int n = Math.min(previous.length, length - filled);
            System.arraycopy(previous, 0, key, filled, n);
            filled += n;
        }
        return key;
    }
}
