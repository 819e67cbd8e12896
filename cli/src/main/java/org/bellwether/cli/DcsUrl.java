package org.bellwether.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bellwether.config.EtcdConfig;
import org.bellwether.config.ZooKeeperConfig;
import org.bellwether.core.HostPort;

/**
 * {@code -d/--dcs-url DCS://HOST:PORT/NAMESPACE}, patronictl's way of naming the DCS on the command line. The host
 * defaults to localhost and the port to the DCS's usual one; a namespace, when given, replaces the configured one.
 * Without a scheme the port decides (2181 is ZooKeeper); patronictl would then pick etcd's v2 API, which Bellwether
 * does not speak, so etcd3 is taken instead.
 *
 * @param scheme {@code etcd3} or {@code zookeeper}
 */
record DcsUrl(String scheme, HostPort address, Optional<String> namespace) {
    static final int ETCD_PORT = EtcdConfig.DEFAULT_PORT;
    static final int ZOOKEEPER_PORT = ZooKeeperConfig.DEFAULT_PORT;

    static DcsUrl parse(String text) throws CtlException {
        String t = text.trim();
        int sep = t.indexOf("//");
        String scheme =
                sep < 0 ? "" : t.substring(0, sep).replaceFirst(":$", "").toLowerCase(Locale.ROOT);
        String rest = sep < 0 ? t : t.substring(sep + 2);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash).strip();
        String host = authority;
        int port = -1;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && colon > authority.lastIndexOf(']')) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new CtlException("cannot read the DCS URL '" + text + "': the port is not a number; expected"
                        + " DCS://HOST:PORT/NAMESPACE, such as etcd3://localhost:2379/service");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String chosen = switch (scheme) {
            case "" -> port == ZOOKEEPER_PORT ? "zookeeper" : "etcd3";
            case "etcd3", "zookeeper" -> scheme;
            case "etcd" ->
                throw new CtlException("etcd's v2 API is not supported; name the same etcd with etcd3://, as"
                        + " Bellwether reads and writes through etcd's v3 API");
            case "consul", "exhibitor", "kubernetes", "raft" ->
                throw new CtlException("the DCS '" + scheme + "' is not supported; use etcd3:// or zookeeper://");
            default -> throw new CtlException("Unknown dcs scheme: " + scheme);
        };
        int defaultPort = chosen.equals("zookeeper") ? ZOOKEEPER_PORT : ETCD_PORT;
        HostPort address;
        try {
            address = new HostPort(host.isEmpty() ? "localhost" : host, port < 0 ? defaultPort : port);
        } catch (IllegalArgumentException e) {
            throw new CtlException("cannot read the DCS URL '" + text + "': " + e.getMessage());
        }
        Optional<String> namespace = path.isEmpty() || path.equals("/") ? Optional.empty() : Optional.of(path);
        return new DcsUrl(chosen, address, namespace);
    }

    Optional<EtcdConfig> etcd3() {
        if (!scheme.equals("etcd3")) {
            return Optional.empty();
        }
        return Optional.of(new EtcdConfig(
                List.of(address), "http", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    Optional<ZooKeeperConfig> zookeeper() {
        if (!scheme.equals("zookeeper")) {
            return Optional.empty();
        }
        return Optional.of(new ZooKeeperConfig(
                List.of(address),
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                true,
                new java.util.TreeMap<>(),
                new java.util.TreeMap<>()));
    }
}
