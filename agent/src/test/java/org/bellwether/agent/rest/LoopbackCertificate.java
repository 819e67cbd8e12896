package org.bellwether.agent.rest;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** A certificate for 127.0.0.1 and the CA that issued it, made in memory, with an RSA or an EC key. */
record LoopbackCertificate(X509Bundle ca, X509Bundle node) {
    static LoopbackCertificate rsa() throws Exception {
        return issue(new CertificateBuilder().rsa2048());
    }

    static LoopbackCertificate ec() throws Exception {
        return issue(new CertificateBuilder().ecp256());
    }

    private static LoopbackCertificate issue(CertificateBuilder withKey) throws Exception {
        X509Bundle ca = withKey.copy()
                .subject("CN=bellwether-test-ca")
                .setIsCertificateAuthority(true)
                .buildSelfSigned();
        X509Bundle node = withKey.copy()
                .subject("CN=127.0.0.1")
                .addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth()
                .buildIssuedBy(ca);
        return new LoopbackCertificate(ca, node);
    }

    /** A client context that trusts the CA. */
    SSLContext clientContext() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {ca.toTrustManager()}, null);
        return tls;
    }
}
