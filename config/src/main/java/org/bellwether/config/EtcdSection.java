package org.bellwether.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.core.HostPort;

/**
 * Reads {@code etcd3.*}. Endpoints follow Patroni's precedence: {@code proxy}, then {@code hosts}, then {@code host}
 * or {@code url}; a port left out is 2379. The protocol of a {@code url} or {@code proxy} wins over
 * {@code protocol}.
 */
final class EtcdSection {
    private static final OptionalInt DEFAULT_PORT = OptionalInt.of(EtcdConfig.DEFAULT_PORT);

    private EtcdSection() {}

    /** Where to connect, and what a URL said about protocol and user. */
    private record Endpoints(List<HostPort> hosts, String protocol, boolean proxy, Optional<Addresses.Url> url) {}

    static EtcdConfig read(Section s) throws ConfigException {
        String protocol = s.choice("protocol", "http", "https").orElse("http");
        boolean useProxies = s.bool("use_proxies").orElse(false);
        Endpoints endpoints = endpoints(s, protocol);
        Optional<String> username = s.text("username").or(() -> endpoints.url().flatMap(Addresses.Url::username));
        Optional<String> password = s.text("password").or(() -> endpoints.url().flatMap(Addresses.Url::password));
        if (password.isPresent() && username.isEmpty()) {
            throw s.error(Kind.MISSING, "username", "required when etcd3.password is set");
        }
        EtcdConfig config = new EtcdConfig(
                endpoints.hosts(),
                endpoints.protocol(),
                username.map(u -> new Credentials(u, password)),
                s.file("cacert"),
                s.file("cert"),
                s.file("key"),
                useProxies || endpoints.proxy());
        s.warnUnknown();
        return config;
    }

    private static Endpoints endpoints(Section s, String protocol) throws ConfigException {
        if (s.has("proxy")) {
            Addresses.Url proxy = Addresses.url(s, "proxy", s.requiredText("proxy"), EtcdConfig.DEFAULT_PORT);
            ignored(s, "proxy", "hosts", "host", "url", "srv");
            return new Endpoints(List.of(proxy.hostPort()), proxy.scheme(), true, Optional.empty());
        }
        // srv (DNS SRV discovery) is refused by the settings table; the endpoints come from the keys below.
        s.raw("srv");
        if (s.has("hosts")) {
            ignored(s, "hosts", "host", "url");
            return new Endpoints(hosts(s, protocol), protocol, false, Optional.empty());
        }
        if (s.has("url")) {
            Addresses.Url url = Addresses.url(s, "url", s.requiredText("url"), EtcdConfig.DEFAULT_PORT);
            ignored(s, "url", "host");
            return new Endpoints(List.of(url.hostPort()), url.scheme(), false, Optional.of(url));
        }
        if (s.has("host")) {
            HostPort host = Addresses.hostPort(s, "host", s.requiredText("host"), DEFAULT_PORT);
            return new Endpoints(List.of(host), protocol, false, Optional.empty());
        }
        throw new ConfigException(
                s.diagnostics().problem(Kind.MISSING, s.path(), "no endpoints: set hosts, host, url or proxy"));
    }

    /** Each entry is host[:port], or a URL whose scheme must agree with the protocol. */
    private static List<HostPort> hosts(Section s, String protocol) throws ConfigException {
        List<HostPort> out = new ArrayList<>();
        for (String h : s.commaList("hosts")) {
            int scheme = h.indexOf("://");
            if (scheme > 0) {
                Addresses.Url url = Addresses.url(s, "hosts", h, EtcdConfig.DEFAULT_PORT);
                if (!url.scheme().equals(protocol)) {
                    throw s.error(
                            Kind.INVALID_VALUE,
                            "hosts",
                            "'" + h + "' uses " + url.scheme() + " but etcd3.protocol is " + protocol);
                }
                out.add(url.hostPort());
            } else {
                out.add(Addresses.hostPort(s, "hosts", h, DEFAULT_PORT));
            }
        }
        if (out.isEmpty()) {
            throw s.error(Kind.MISSING, "hosts", "lists no endpoints");
        }
        return out;
    }

    private static void ignored(Section s, String used, String... others) {
        for (String other : others) {
            if (s.has(other)) {
                s.raw(other);
                s.warn(other, "ignored: etcd3." + used + " takes precedence, as in Patroni");
            }
        }
    }
}
