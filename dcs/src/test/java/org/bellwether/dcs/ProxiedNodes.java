package org.bellwether.dcs;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link TcpProxy} per server for every adapter a test makes, so that the contract's fault hooks can cut one
 * node's links to a real DCS. Backends with real servers use it to implement {@link DcsContractSupport#cut} and
 * friends.
 */
public final class ProxiedNodes implements AutoCloseable {
    private final Map<Dcs, List<TcpProxy>> proxies = new IdentityHashMap<>();
    private final List<TcpProxy> pending = new ArrayList<>();

    /** Opens one proxy per server and returns their addresses, in the servers' order, for the next adapter. */
    public synchronized List<String> open(List<String> servers) {
        List<String> addresses = new ArrayList<>();
        for (String server : servers) {
            TcpProxy proxy = TcpProxy.to(server);
            pending.add(proxy);
            addresses.add(proxy.address());
        }
        return addresses;
    }

    /** Ties the proxies opened last to the adapter built on their addresses. */
    public synchronized <T extends Dcs> T bind(T node) {
        proxies.put(node, new ArrayList<>(pending));
        pending.clear();
        return node;
    }

    public synchronized void mode(Dcs node, TcpProxy.Mode mode) {
        List<TcpProxy> links = proxies.get(node);
        if (links == null) {
            throw new IllegalArgumentException("no proxies for " + node);
        }
        links.forEach(p -> p.mode(mode));
    }

    @Override
    public synchronized void close() {
        proxies.values().forEach(list -> list.forEach(TcpProxy::close));
        pending.forEach(TcpProxy::close);
        proxies.clear();
        pending.clear();
    }
}
