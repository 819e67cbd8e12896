package org.bellwether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cipher strings people write for Patroni select the same suites here as in OpenSSL itself, among those the running
 * JDK has: compared with what {@code openssl ciphers} prints, when the command is installed.
 */
class OpenSslCipherStringAgreesWithOpenSslTest {
    private static List<String> jdkSuites;
    private static Set<String> jdkOpenSslNames;

    @BeforeAll
    static void jdk() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        jdkSuites = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        jdkOpenSslNames = jdkSuites.stream()
                .map(OpenSslCipherSuite::of)
                .flatMap(Optional::stream)
                .map(OpenSslCipherSuite::openSslName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "HIGH:!aNULL",
                "HIGH:!aNULL:!MD5:!RC4",
                "DEFAULT",
                "DEFAULT:!RSA",
                "ALL:!COMPLEMENTOFDEFAULT:!eNULL",
                "ECDHE+AESGCM:DHE+AESGCM",
                "AES256+EECDH:AES256+EDH",
                "kEECDH+aRSA",
                "ECDHE:-ECDHE-RSA-AES128-SHA:+AES128",
                "ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256"
                        + ":DHE-RSA-AES128-GCM-SHA256:!SSLv1:!SSLv2:!SSLv3:!TLSv1:!TLSv1.1",
                "SHA1",
                "SHA256",
                "SHA384",
                "TLSv1",
                "TLSv1.0",
                "TLSv1.2",
                "SSLv3",
                "CBC",
                "AESGCM",
                "AES128",
                "CHACHA20",
                "ECDSA",
                "aRSA",
                "DSS",
                "DHE",
                "kRSA",
                "ALL:!ECDH:!DH",
                "ALL:-HIGH:HIGH+AES256"
            })
    void selectsWhatOpenSslSelects(String cipherString) throws Exception {
        Optional<String> openssl = opensslCiphers(cipherString);
        assumeTrue(openssl.isPresent(), "the openssl command is not installed");
        Set<String> expected = Arrays.stream(openssl.get().split(":"))
                .filter(jdkOpenSslNames::contains)
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> selected = OpenSslCipherString.select(cipherString, jdkSuites).stream()
                .map(name -> OpenSslCipherSuite.of(name).orElseThrow().openSslName())
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(expected).as("what openssl selects among the JDK's suites").isNotEmpty();
        assertThat(selected).isEqualTo(expected);
    }

    /** What {@code openssl ciphers} prints, empty when it cannot run; a string matching nothing prints nothing. */
    private static Optional<String> opensslCiphers(String cipherString) throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("openssl", "ciphers", cipherString)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                return Optional.empty();
            }
            return Optional.of(process.exitValue() == 0 ? out : "");
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            process.destroyForcibly();
        }
    }
}
