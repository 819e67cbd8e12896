package org.bellwether.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.HostPort;

/**
 * {@code zookeeper.*}: the ensemble and its TLS and ACL settings, as Patroni's Kazoo client takes them.
 *
 * @param verify whether the server certificate is checked (Patroni's default: true)
 * @param setAcls principal to permissions, applied to every znode created ({@code CN=node1: [ALL]})
 * @param authData scheme to credential pairs sent when connecting
 */
public record ZooKeeperConfig(
        List<HostPort> hosts,
        boolean useSsl,
        Optional<Path> cacert,
        Optional<Path> cert,
        Optional<Path> key,
        Optional<String> keyPassword,
        boolean verify,
        SortedMap<String, Object> setAcls,
        SortedMap<String, Object> authData) {

    public static final int DEFAULT_PORT = 2181;

    public ZooKeeperConfig {
        hosts = List.copyOf(hosts);
        setAcls = Collections.unmodifiableSortedMap(new TreeMap<>(setAcls));
        authData = Collections.unmodifiableSortedMap(new TreeMap<>(authData));
    }

    /** {@code h1:2181,h2:2181}, the connect string ZooKeeper clients take. */
    public String connectString() {
        return String.join(",", hosts.stream().map(HostPort::toString).toList());
    }

    @Override
    public String toString() {
        return "ZooKeeperConfig[hosts=" + hosts + ", useSsl=" + useSsl + ", cacert=" + cacert + ", cert=" + cert
                + ", key=" + key + ", keyPassword=" + keyPassword.map(p -> "***") + ", verify=" + verify
                + ", setAcls=" + setAcls + ", authData=" + authData.keySet() + "]";
    }
}
