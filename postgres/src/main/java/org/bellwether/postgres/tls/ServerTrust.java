package org.bellwether.postgres.tls;

import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bellwether.config.PemFiles;

/**
 * How the server's certificate is checked: against the authorities of {@code sslrootcert} (with its revocation lists
 * when there are any), against the JDK's own authorities for {@code sslrootcert=system}, or not at all, as libpq
 * chooses. A refusal says whose certificate, which file, and why, in words: the JDK's own reason ("PKIX path building
 * failed...") is kept as the cause.
 */
final class ServerTrust {
    private ServerTrust() {}

    /** libpq without a root certificate and below {@code verify-ca}: encryption without checking the server. */
    static X509ExtendedTrustManager anyServer() {
        return new AnyServer();
    }

    /**
     * Trust in the authorities of {@code rootcert}; with {@code crls}, a server certificate they revoke is refused,
     * as is one whose issuer has no list among them (libpq's {@code X509_V_FLAG_CRL_CHECK}: the end certificate
     * only).
     */
    static X509ExtendedTrustManager authorities(Path rootcert, List<? extends CRL> crls, String source)
            throws ClientTlsException {
        Set<TrustAnchor> anchors = new HashSet<>();
        try {
            for (X509Certificate ca : PemFiles.certificates(rootcert)) {
                anchors.add(new TrustAnchor(ca, null));
            }
        } catch (GeneralSecurityException e) {
            throw new ClientTlsException(source + ": " + e.getMessage(), e);
        }
        try {
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
            params.setRevocationEnabled(!crls.isEmpty());
            if (!crls.isEmpty()) {
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
                PKIXRevocationChecker revocation = (PKIXRevocationChecker)
                        CertPathBuilder.getInstance("PKIX").getRevocationChecker();
                revocation.setOptions(EnumSet.of(
                        PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                        PKIXRevocationChecker.Option.PREFER_CRLS,
                        PKIXRevocationChecker.Option.NO_FALLBACK));
                params.addCertPathChecker(revocation);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(new CertPathTrustManagerParameters(params));
            return new Explained(only(factory.getTrustManagers()), source);
        } catch (GeneralSecurityException e) {
            throw new ClientTlsException(source + ": cannot use it: " + e.getMessage(), e);
        }
    }

    /** {@code sslrootcert=system}: the authorities the JDK trusts. */
    static X509ExtendedTrustManager system(String source) throws ClientTlsException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return new Explained(only(factory.getTrustManagers()), source);
        } catch (GeneralSecurityException e) {
            throw new ClientTlsException(source + ": the JDK's authorities cannot be read: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager only(TrustManager[] managers) throws GeneralSecurityException {
        for (TrustManager m : managers) {
            if (m instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Why {@code e} refused a certificate, in words. */
    static String why(CertificateException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return "it has expired";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "it is not valid yet";
            }
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                return "it has been revoked";
            }
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
                return "no revocation list of its issuer was given (sslcrl, sslcrldir)";
            }
            if (t instanceof CertPathBuilderException && t.getCause() == null) {
                return "it is not signed by an authority of that file";
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    /** Checks as {@code delegate} does; a refusal names the certificate and {@code source}. */
    private static final class Explained extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final String source;

        Explained(X509ExtendedTrustManager delegate, String source) {
            this.delegate = delegate;
            this.source = source;
        }

        private CertificateException explain(X509Certificate[] chain, CertificateException e) {
            String whose = chain == null || chain.length == 0
                    ? "the server's certificate"
                    : "the server's certificate '"
                            + chain[0].getSubjectX500Principal().getName() + "' (issued by '"
                            + chain[0].getIssuerX500Principal().getName() + "')";
            return new CertificateException(whose + " is not trusted by " + source + ": " + why(e), e);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw explain(chain, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw explain(chain, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw explain(chain, e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    /** Accepts any server, as libpq does without a root certificate below {@code verify-ca}. */
    private static final class AnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client connection does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client connection does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client connection does not check clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
