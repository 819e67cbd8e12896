package org.bellwether.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.core.HostPort;

/** Parses the address forms Patroni accepts, with messages that show the offending text. */
final class Addresses {
    private static final Set<String> WILDCARDS = Set.of("*", "0.0.0.0", "::");

    /** {@code postgresql.listen}: one or more comma-separated addresses and one port after the last colon. */
    record Listen(String addresses, int port) {}

    /** An etcd or DCS URL, split into its parts. */
    record Url(String scheme, HostPort hostPort, Optional<String> username, Optional<String> password) {}

    private Addresses() {}

    static HostPort hostPort(Section s, String key, String text) throws ConfigException {
        return hostPort(s, key, text, OptionalInt.empty());
    }

    /**
     * {@code host:port}, {@code [v6]:port}, or (as Patroni's {@code split_host_port} allows) {@code ::1:5432}; with a
     * default port, the port may be left out.
     */
    static HostPort hostPort(Section s, String key, String text, OptionalInt defaultPort) throws ConfigException {
        String t = text.trim();
        String host;
        String port;
        if (t.startsWith("[") && t.indexOf(']') > 0) {
            int end = t.indexOf(']');
            host = t.substring(1, end);
            String rest = t.substring(end + 1);
            port = rest.startsWith(":") ? rest.substring(1) : rest.isEmpty() ? null : "x";
        } else {
            int colon = t.lastIndexOf(':');
            host = colon < 0 ? t : t.substring(0, colon);
            port = colon < 0 ? null : t.substring(colon + 1);
        }
        if (port == null && defaultPort.isPresent()) {
            port = Integer.toString(defaultPort.getAsInt());
        }
        if (host.isBlank() || port == null) {
            throw s.error(Kind.INVALID_VALUE, key, "expected host:port, got '" + text + "'");
        }
        return new HostPort(host, port(s, key, text, port));
    }

    private static int port(Section s, String key, String text, String port) throws ConfigException {
        if (!port.matches("\\d{1,9}")) {
            throw s.error(Kind.INVALID_VALUE, key, "expected host:port with a numeric port, got '" + text + "'");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw s.error(Kind.INVALID_VALUE, key, "port must be between 1 and 65535, got '" + text + "'");
        }
        return p;
    }

    /** An address other members connect to: a wildcard there would be published and be unreachable. */
    static HostPort connectAddress(Section s, String key) throws ConfigException {
        HostPort hp = s.requiredHostPort(key);
        if (WILDCARDS.contains(hp.host())) {
            throw s.error(
                    Kind.INVALID_VALUE,
                    key,
                    "other members connect to this address, so it cannot be the wildcard '" + hp.host()
                            + "'; give this host's name or IP address");
        }
        return hp;
    }

    static Listen listen(Section s, String key, String text) throws ConfigException {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0) {
            throw s.error(Kind.INVALID_VALUE, key, "expected addresses:port such as 0.0.0.0:5432, got '" + text + "'");
        }
        int port = port(s, key, text, t.substring(colon + 1));
        List<String> addresses = new ArrayList<>();
        for (String a : t.substring(0, colon).split(",", -1)) {
            String address = a.trim();
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            if (address.isEmpty()) {
                throw s.error(Kind.INVALID_VALUE, key, "has an empty address in '" + text + "'");
            }
            addresses.add(address);
        }
        if (addresses.size() > 1 && addresses.contains("*")) {
            throw s.error(Kind.INVALID_VALUE, key, "'*' already means every address; it must stand alone");
        }
        return new Listen(String.join(",", addresses), port);
    }

    static Url url(Section s, String key, String text, int defaultPort) throws ConfigException {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw s.error(Kind.INVALID_VALUE, key, "expected an http:// or https:// URL, got '" + text + "'");
            }
            String host = uri.getHost().replace("[", "").replace("]", "");
            int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
            Optional<String> user = Optional.empty();
            Optional<String> password = Optional.empty();
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = Optional.of(decode(parts[0]));
                password = parts.length > 1 ? Optional.of(decode(parts[1])) : Optional.empty();
            }
            return new Url(scheme, new HostPort(host, port), user, password);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw s.error(Kind.INVALID_VALUE, key, "expected an http:// or https:// URL, got '" + text + "'");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
