package org.bellwether.app.generate;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * This machine's name and an address for it, as Patroni's {@code get_address} finds them: the host name, and the
 * first of its addresses with IPv4 before IPv6. When the name does not resolve, both are {@code #FIXME}.
 */
record HostAddress(String hostname, String ip) {
    static final HostAddress UNKNOWN = new HostAddress(PatroniDefaults.FIXME, PatroniDefaults.FIXME);

    /** @throws UnknownHostException when this machine's name does not resolve (the caller says so and goes on) */
    static HostAddress lookup() throws UnknownHostException {
        String hostname = InetAddress.getLocalHost().getHostName();
        InetAddress first = Arrays.stream(InetAddress.getAllByName(hostname))
                .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1))
                .orElseThrow(() -> new UnknownHostException(hostname + " has no address"));
        return new HostAddress(hostname, first.getHostAddress());
    }
}
