package org.bellwether.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.HostPort;

/**
 * {@code etcd3.*}: the etcd v3 endpoints and credentials. {@code hosts}, {@code host}, {@code url} and {@code proxy}
 * all land in {@code hosts}, in Patroni's order of precedence (proxy, then hosts, then host or url).
 *
 * @param useProxies the endpoints are proxies: use them as given and do not discover the etcd cluster's members
 */
public record EtcdConfig(
        List<HostPort> hosts,
        String protocol,
        Optional<Credentials> credentials,
        Optional<Path> cacert,
        Optional<Path> cert,
        Optional<Path> key,
        boolean useProxies) {

    public static final int DEFAULT_PORT = 2379;

    public EtcdConfig {
        hosts = List.copyOf(hosts);
    }

    public EtcdConfig(
            List<HostPort> hosts,
            String protocol,
            Optional<Credentials> credentials,
            Optional<Path> cacert,
            Optional<Path> cert,
            Optional<Path> key) {
        this(hosts, protocol, credentials, cacert, cert, key, false);
    }

    /** {@code http://h:p} for every host, in configured order. */
    public List<String> endpoints() {
        return hosts.stream().map(h -> protocol + "://" + h).toList();
    }
}
