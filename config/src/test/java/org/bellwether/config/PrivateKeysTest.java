package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyfile} / {@code keyfile_password}: the key formats OpenSSL writes, plain and encrypted. Keys are made with the
 * JDK, and with the {@code openssl} command for its traditional formats when it is installed.
 */
class PrivateKeysTest {
    private static final Optional<String> PASSWORD = Optional.of("s3cret");

    @TempDir
    Path dir;

    @Test
    void encryptedPkcs8Rsa_isReadWithThePassword() throws Exception {
        PrivateKey original = rsaKey();
        Path file = write("rsa.key", "ENCRYPTED PRIVATE KEY", encryptPbes2(original.getEncoded(), "s3cret"));

        PrivateKey read = PrivateKeys.read(file, PASSWORD);

        assertThat(read.getEncoded()).isEqualTo(original.getEncoded());
    }

    @Test
    void encryptedKey_withoutPasswordOrWithAWrongOne_isRefusedNamingFileAndSetting() throws Exception {
        Path file = write("rsa.key", "ENCRYPTED PRIVATE KEY", encryptPbes2(rsaKey().getEncoded(), "s3cret"));

        assertThatThrownBy(() -> PrivateKeys.read(file, Optional.empty()))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessage(file + " holds an encrypted key, but no keyfile_password is set");
        assertThatThrownBy(() -> PrivateKeys.read(file, Optional.of("guess")))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("wrong keyfile_password");
    }

    @Test
    void ecKeys_plainAndEncryptedPkcs8_areRead() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey original = generator.generateKeyPair().getPrivate();
        Path plain = write("ec.key", "PRIVATE KEY", original.getEncoded());
        Path encrypted = write("ec-enc.key", "ENCRYPTED PRIVATE KEY", encryptPbes2(original.getEncoded(), "s3cret"));

        assertThat(PrivateKeys.read(plain, Optional.empty())).isInstanceOf(ECPrivateKey.class);
        assertThat(((ECPrivateKey) PrivateKeys.read(encrypted, PASSWORD)).getS())
                .isEqualTo(((ECPrivateKey) original).getS());
    }

    @Test
    void aPasswordForAPlainKey_isNotUsed() throws Exception {
        PrivateKey original = rsaKey();
        Path file = write("rsa.key", "PRIVATE KEY", original.getEncoded());

        assertThat(PrivateKeys.read(file, PASSWORD).getEncoded()).isEqualTo(original.getEncoded());
    }

    @Test
    void opensslsRsaFormats_pkcs8Pbes2Pbes1AndTraditionalEncrypted_allGiveTheSameKey() throws Exception {
        Path plain = dir.resolve("rsa.pem");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", plain.toString());
        RSAPrivateKey expected = (RSAPrivateKey) PrivateKeys.read(plain, Optional.empty());
        List<List<String>> conversions = List.of(
                List.of("pkcs8", "-topk8", "-v2", "aes-256-cbc"),
                List.of("pkcs8", "-topk8", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1"),
                List.of("pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES"),
                List.of("rsa", "-traditional", "-aes256"),
                List.of("rsa", "-traditional", "-des3"),
                List.of("rsa", "-traditional"));
        for (List<String> conversion : conversions) {
            Path out = dir.resolve(String.join("_", conversion).replace("-", "") + ".pem");
            openssl(conversion, "-in", plain.toString(), "-out", out.toString(), "-passout", "pass:s3cret");

            RSAPrivateKey read = (RSAPrivateKey) PrivateKeys.read(out, PASSWORD);

            assertThat(read.getModulus()).as(conversion.toString()).isEqualTo(expected.getModulus());
            assertThat(read.getPrivateExponent()).as(conversion.toString()).isEqualTo(expected.getPrivateExponent());
        }
    }

    @Test
    void opensslsEcFormats_sec1PlainAndEncrypted_areRead() throws Exception {
        Path sec1 = dir.resolve("ec.pem");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", sec1.toString());
        Path encrypted = dir.resolve("ec-enc.pem");
        openssl("ec", "-in", sec1.toString(), "-aes128", "-passout", "pass:s3cret", "-out", encrypted.toString());
        assertThat(Files.readString(sec1)).contains("BEGIN EC PARAMETERS", "BEGIN EC PRIVATE KEY");

        ECPrivateKey plain = (ECPrivateKey) PrivateKeys.read(sec1, Optional.empty());
        ECPrivateKey decrypted = (ECPrivateKey) PrivateKeys.read(encrypted, PASSWORD);

        assertThat(decrypted.getS()).isEqualTo(plain.getS());
        assertThat(plain.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    }

    @Test
    void scryptEncryptedKey_isRefusedWithHowToReencryptIt() throws Exception {
        Path plain = dir.resolve("ec.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", plain.toString());
        Path scrypt = dir.resolve("ec-scrypt.pem");
        openssl(
                "pkcs8",
                "-topk8",
                "-scrypt",
                "-in",
                plain.toString(),
                "-out",
                scrypt.toString(),
                "-passout",
                "pass:s3cret");

        assertThatThrownBy(() -> PrivateKeys.read(scrypt, PASSWORD))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining(scrypt.toString())
                .hasMessageContaining("openssl pkcs8 -topk8 -v2 aes-256-cbc");
    }

    private static PrivateKey rsaKey;

    /** One RSA key for the whole class: making one takes a while on a slow machine. */
    private static synchronized PrivateKey rsaKey() throws GeneralSecurityException {
        if (rsaKey == null) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            rsaKey = generator.generateKeyPair().getPrivate();
        }
        return rsaKey;
    }

    /** PKCS#8 encrypted as OpenSSL 3 does by default: PBES2, PBKDF2 with HMAC-SHA256, AES-256-CBC. */
    static byte[] encryptPbes2(byte[] pkcs8, String password) throws Exception {
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(
                Cipher.ENCRYPT_MODE,
                SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray())),
                new PBEParameterSpec(new byte[8], 2048, new IvParameterSpec(new byte[16])));
        // EncryptedPrivateKeyInfo cannot encode PBES2 parameters on JDK 17, so the structure is written here.
        byte[] pbes2 = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};
        byte[] encoded = Der.encode(
                Der.SEQUENCE,
                Der.encode(
                        Der.SEQUENCE,
                        Der.encode(Der.OID, pbes2),
                        cipher.getParameters().getEncoded()),
                Der.encode(Der.OCTET_STRING, cipher.doFinal(pkcs8)));
        // Read back by the JDK: the structure is what the JDK itself expects.
        new EncryptedPrivateKeyInfo(encoded);
        return encoded;
    }

    private Path write(String name, String type, byte[] der) throws IOException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return Files.writeString(
                dir.resolve(name), "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n");
    }

    private static void openssl(String... args) throws Exception {
        openssl(List.of(args));
    }

    private static void openssl(List<String> first, String... more) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(first);
        command.addAll(List.of(more));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "the openssl command is not installed");
            return;
        }
        String output = new String(process.getInputStream().readAllBytes());
        assumeTrue(process.waitFor(60, TimeUnit.SECONDS), "openssl did not finish");
        // An older OpenSSL may lack an option (-traditional before 3.0): that is no failure of ours.
        assumeTrue(process.exitValue() == 0, "openssl " + command + " failed: " + output);
    }
}
