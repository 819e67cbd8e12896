package org.bellwether.agent.rest;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import org.bellwether.config.OpenSslCipherString;
import org.bellwether.config.PemFiles;
import org.bellwether.config.RestApiConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS of the REST API from Patroni's {@code restapi} keys: the server serves {@code certfile}/{@code keyfile}, and
 * with {@code verify_client} checks client certificates against {@code cafile}: {@code required} for every call (the
 * handshake fails without one), {@code optional} for unsafe methods only. As a client of its peers, the agent trusts
 * {@code cafile} and shows its own certificate, so members configured alike can call each other.
 */
final class RestTls {
    private static final Logger LOG = LoggerFactory.getLogger(RestTls.class);

    private RestTls() {}

    /** How client certificates are asked for. */
    enum ClientCertificates {
        NONE,
        OPTIONAL,
        REQUIRED;

        static ClientCertificates of(RestApiConfig config) {
            return switch (config.verifyClient().orElse("none")) {
                case "optional" -> OPTIONAL;
                case "required" -> REQUIRED;
                default -> NONE;
            };
        }
    }

    /**
     * The server side: a new engine for each connection, with the JDK's default protocols, and its default cipher
     * suites unless {@code restapi.ciphers} chooses (see {@link OpenSslCipherString}). Refused with a sentence naming
     * the key when the files or the cipher string cannot be used.
     */
    static Supplier<SSLEngine> serverSide(RestApiConfig config) {
        ClientCertificates clients = ClientCertificates.of(config);
        if (clients != ClientCertificates.NONE && config.cafile().isEmpty()) {
            throw new IllegalArgumentException(
                    "restapi.verify_client is " + config.verifyClient().get()
                            + ", but restapi.cafile is not set: client certificates need a CA to be checked against");
        }
        SSLContext context = context(config);
        Optional<String[]> cipherSuites = config.ciphers().map(c -> cipherSuites(context, c));
        return () -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            SSLParameters ssl = context.getDefaultSSLParameters();
            cipherSuites.ifPresent(ssl::setCipherSuites);
            ssl.setNeedClientAuth(clients == ClientCertificates.REQUIRED);
            if (clients == ClientCertificates.OPTIONAL) {
                ssl.setWantClientAuth(true);
            }
            engine.setSSLParameters(ssl);
            return engine;
        };
    }

    private static String[] cipherSuites(SSLContext context, String cipherString) {
        try {
            List<String> suites = OpenSslCipherString.enabledSuites(
                    cipherString,
                    List.of(context.getSupportedSSLParameters().getCipherSuites()),
                    List.of(context.getDefaultSSLParameters().getCipherSuites()));
            LOG.info("REST API: TLS cipher suites from restapi.ciphers: {}", String.join(", ", suites));
            return suites.toArray(new String[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("restapi.ciphers: " + e.getMessage(), e);
        }
    }

    /** For calls to peers: empty when the REST API serves plain HTTP. */
    static Optional<SSLContext> clientSide(RestApiConfig config) {
        return config.certfile().isPresent() ? Optional.of(context(config)) : Optional.empty();
    }

    /** Whether the caller showed a certificate the CA vouches for (the handshake checked it, if it was shown). */
    static boolean hasClientCertificate(SSLSession session) {
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private static SSLContext context(RestApiConfig config) {
        try {
            TrustManager[] trust = config.cafile().isPresent()
                    ? PemFiles.trustManagers(config.cafile().get())
                    : null;
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    PemFiles.keyManagers(config.certfile().orElseThrow(), config.keyfile(), config.keyfilePassword()),
                    trust,
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("restapi.certfile: cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
