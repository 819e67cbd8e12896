package org.bellwether.agent.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/** Private keys written as PEM files the way OpenSSL writes them, for the TLS tests. */
final class PemKeys {
    /** PBES2's object identifier, 1.2.840.113549.1.5.13. */
    private static final byte[] PBES2 = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};

    private PemKeys() {}

    /**
     * {@code ENCRYPTED PRIVATE KEY} as OpenSSL 3 writes by default ({@code openssl pkcs8 -topk8}): PBES2, PBKDF2 with
     * HMAC-SHA256, AES-256-CBC. Written out by hand because JDK 17's {@code EncryptedPrivateKeyInfo} cannot encode
     * PBES2 parameters.
     */
    static Path writeEncrypted(Path file, PrivateKey key, String password) throws Exception {
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(
                Cipher.ENCRYPT_MODE,
                SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray())),
                new PBEParameterSpec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 2048, new IvParameterSpec(new byte[16])));
        byte[] algorithmId = der(0x30, der(0x06, PBES2), cipher.getParameters().getEncoded());
        byte[] info = der(0x30, algorithmId, der(0x04, cipher.doFinal(key.getEncoded())));
        return write(file, "ENCRYPTED PRIVATE KEY", info);
    }

    static Path write(Path file, String type, byte[] der) throws IOException {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n");
    }

    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
