package org.bellwether.postgres.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSession;
import org.postgresql.ssl.PGjdbcHostnameVerifier;

/**
 * The driver's check of the server's name ({@code sslmode=verify-full}), which also accepts a certificate for
 * {@code localhost} from a loopback address. Patroni reaches its own PostgreSQL as {@code localhost} where Bellwether
 * connects to the loopback address itself, so a certificate made for a Patroni cluster names {@code localhost}, and
 * both names mean this machine.
 */
public final class LoopbackHostnameVerifier implements HostnameVerifier {
    @Override
    public boolean verify(String host, SSLSession session) {
        if (PGjdbcHostnameVerifier.INSTANCE.verify(host, session)) {
            return true;
        }
        return isLoopbackAddress(host) && PGjdbcHostnameVerifier.INSTANCE.verify("localhost", session);
    }

    /** Only a literal address: resolving a name here would ask DNS, and a name is checked as it is. */
    static boolean isLoopbackAddress(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+|[0-9a-fA-F]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
