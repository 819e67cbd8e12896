package org.bellwether.cli;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bellwether.config.CtlConfig;
import org.bellwether.config.PemFiles;

/**
 * TLS for calls to the REST API, from the PEM files patronictl takes ({@link PemFiles}): {@code cacert} to trust,
 * {@code certfile} and {@code keyfile} as client certificate, and {@code insecure} to skip verification when no client
 * certificate is used.
 */
final class RestTls {
    private RestTls() {}

    /** Empty when the JDK's defaults do (no setting given). */
    static Optional<SSLContext> context(CtlConfig config) throws CtlException {
        boolean clientCert = config.certfile().isPresent();
        boolean trustAll = config.insecure() && !clientCert;
        if (!trustAll && !clientCert && config.cacert().isEmpty()) {
            return Optional.empty();
        }
        try {
            TrustManager[] trust = null;
            if (trustAll) {
                // patronictl's -k: no certificate check, so no host name check either. The JDK client reads this
                // property once, before its first connection.
                System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
                trust = new TrustManager[] {new TrustEverything()};
            } else if (config.cacert().isPresent()) {
                trust = PemFiles.trustManagers(config.cacert().get());
            }
            KeyManager[] keys = null;
            if (clientCert) {
                keys = PemFiles.keyManagers(config.certfile().get(), config.keyfile(), config.keyfilePassword());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new CtlException("cannot set up TLS for the REST API: " + e.getMessage(), e);
        }
    }

    /** {@code -k}/{@code ctl.insecure}: the operator chose to skip verification. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
