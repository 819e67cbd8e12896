package org.bellwether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made by {@code openssl} for one test, and the certificates it signs: each for
 * {@code 127.0.0.1}, good for serving and for identifying a client, under the common name a server may check (a
 * PostgreSQL user name, say). Keys are unencrypted PKCS#8, readable by the {@code postgres} user that runs agents.
 *
 * @param ca the authority's certificate, the one clients and servers trust
 */
public record TestCertificates(Path dir, Path ca, Path caKey) {
    /** A certificate and its key. */
    public record Issued(Path cert, Path key) {}

    /** A new authority in {@code dir}, named {@code name} (two authorities of one test must differ in name). */
    public static TestCertificates authority(Path dir, String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path ca = dir.resolve(name + ".crt");
        Path caKey = dir.resolve(name + ".key");
        openssl(
                dir,
                List.of(
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=" + name,
                        "-keyout",
                        caKey.toString(),
                        "-out",
                        ca.toString()));
        return new TestCertificates(dir, ca, caKey);
    }

    /** A certificate for 127.0.0.1 with {@code commonName}, in files named after {@code name}. */
    public Issued issue(String name, String commonName) {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Path request = dir.resolve(name + ".csr");
        Path extensions = dir.resolve(name + ".ext");
        try {
            Files.writeString(
                    extensions,
                    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(
                dir,
                List.of(
                        "req",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-subj",
                        "/CN=" + commonName,
                        "-keyout",
                        key.toString(),
                        "-out",
                        request.toString()));
        openssl(
                dir,
                List.of(
                        "x509",
                        "-req",
                        "-days",
                        "2",
                        "-in",
                        request.toString(),
                        "-CA",
                        ca.toString(),
                        "-CAkey",
                        caKey.toString(),
                        "-CAcreateserial",
                        "-extfile",
                        extensions.toString(),
                        "-out",
                        cert.toString()));
        try {
            // Agents and servers run as postgres and read the key; the test's directory is the only place it lives.
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Issued(cert, key);
    }

    private static void openssl(Path dir, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (Debian's openssl package)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
