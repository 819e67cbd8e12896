package org.bellwether.postgres.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bellwether.testkit.TestCertificates;

/**
 * The files of the TLS tests, made once by openssl: an authority with a server certificate for 127.0.0.1 and a
 * client certificate for {@code postgres}, a second authority that signed neither, the client key encrypted, an EC key in
 * OpenSSL's SEC1 form and an RSA key in its old encrypted form, a revocation list of the first authority that revokes the server's certificate (and one
 * that revokes nothing), and a self-signed certificate for the name {@code localhost} alone.
 */
public record Pki(
        TestCertificates authority,
        TestCertificates other,
        TestCertificates.Issued server,
        TestCertificates.Issued client,
        Path encryptedClientKey,
        Path sec1Key,
        Path traditionalEncryptedKey,
        Path serverRevoked,
        Path emptyCrl,
        TestCertificates.Issued localhost) {
    public static final String KEY_PASSWORD = "key secret";

    public static Pki make(Path dir) throws IOException, InterruptedException {
        TestCertificates authority = TestCertificates.authority(dir, "ca");
        TestCertificates other = TestCertificates.authority(dir, "other-ca");
        TestCertificates.Issued server = authority.issue("server", "127.0.0.1");
        TestCertificates.Issued client = authority.issue("client", "postgres");
        Path encrypted = dir.resolve("client-encrypted.key");
        openssl(
                dir,
                "pkcs8",
                "-topk8",
                "-in",
                client.key().toString(),
                "-out",
                encrypted.toString(),
                "-passout",
                "pass:" + KEY_PASSWORD);
        Path sec1 = dir.resolve("sec1.key");
        openssl(dir, "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", sec1.toString());
        Path traditional = dir.resolve("traditional.key");
        openssl(
                dir,
                "genrsa",
                "-aes128",
                "-passout",
                "pass:" + KEY_PASSWORD,
                "-traditional",
                "-out",
                traditional.toString(),
                "2048");
        Files.writeString(
                dir.resolve("ca.cnf"),
                "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\n"
                        + "crlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 2\n");
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("crlnumber"), "01\n");
        Path empty = dir.resolve("empty.crl");
        openssl(
                dir,
                "ca",
                "-config",
                "ca.cnf",
                "-keyfile",
                "ca.key",
                "-cert",
                "ca.crt",
                "-gencrl",
                "-out",
                empty.toString());
        openssl(
                dir,
                "ca",
                "-config",
                "ca.cnf",
                "-keyfile",
                "ca.key",
                "-cert",
                "ca.crt",
                "-revoke",
                server.cert().toString());
        Path revoked = dir.resolve("revoked.crl");
        openssl(
                dir,
                "ca",
                "-config",
                "ca.cnf",
                "-keyfile",
                "ca.key",
                "-cert",
                "ca.crt",
                "-gencrl",
                "-out",
                revoked.toString());
        // Self-signed, for the name localhost only, as a certificate made for Patroni's local connections may be.
        TestCertificates.Issued localhost =
                new TestCertificates.Issued(dir.resolve("localhost.crt"), dir.resolve("localhost.key"));
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost",
                "-keyout",
                localhost.key().toString(),
                "-out",
                localhost.cert().toString());
        return new Pki(authority, other, server, client, encrypted, sec1, traditional, revoked, empty, localhost);
    }

    private static void openssl(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
