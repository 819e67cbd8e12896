package org.bellwether.postgres.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Properties;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.postgresql.ssl.WrappedFactory;

/**
 * The PostgreSQL driver's TLS socket factory for a login with libpq options: the driver creates one per connection,
 * by name, from the connection's properties ({@code sslfactory}), so the files are read afresh each time, as libpq
 * reads them. The driver still checks the server's name for {@code verify-full}.
 */
public final class PemSocketFactory extends WrappedFactory {
    /** Called by the driver; a setting that cannot be used fails the connection with a sentence naming it. */
    public PemSocketFactory(Properties info) throws ClientTlsException {
        ClientTlsFiles files = ClientTlsFiles.from(info, Path.of(System.getProperty("user.home")));
        KeyManager[] keys = files.keyManager().map(k -> new KeyManager[] {k}).orElse(null);
        TrustManager[] trust = {files.trustManager()};
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            factory = context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new ClientTlsException(files.setting() + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
