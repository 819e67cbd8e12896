package org.bellwether.app.generate;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A libpq connection string, {@code host=h port=5432 user=u} or {@code postgresql://u@h:5432/db?sslmode=require},
 * read into its keywords as Patroni's {@code parse_dsn} reads it: {@code requiressl} becomes {@code sslmode}, and
 * {@code sslmode}, {@code gssencmode}, {@code channel_binding} and {@code sslnegotiation} get libpq's defaults.
 */
final class LibpqDsn {
    private static final Pattern PARAMETER = Pattern.compile("([a-z_]+)\\s*=\\s*");

    private LibpqDsn() {}

    /** The keywords, or empty when the text is not a connection string. */
    static Optional<Map<String, String>> parse(String dsn) {
        Optional<Map<String, String>> parsed =
                dsn.startsWith("postgres://") || dsn.startsWith("postgresql://") ? uri(dsn) : keywords(dsn);
        parsed.ifPresent(LibpqDsn::withDefaults);
        return parsed.filter(m -> !m.isEmpty());
    }

    private static void withDefaults(Map<String, String> dsn) {
        if (dsn.isEmpty()) {
            return; // Patroni treats a string with nothing in it as unparsable
        }
        if (!dsn.containsKey("sslmode")) {
            String requiressl = dsn.remove("requiressl");
            if (requiressl != null) {
                dsn.put("sslmode", requiressl.equals("1") ? "require" : "prefer");
            }
        }
        dsn.putIfAbsent("sslmode", "prefer");
        dsn.putIfAbsent("gssencmode", "prefer");
        dsn.putIfAbsent("channel_binding", "prefer");
        dsn.putIfAbsent("sslnegotiation", "postgres");
    }

    /** {@code keyword = value} pairs; a value is a word or single-quoted, with backslash escapes in either. */
    private static Optional<Map<String, String>> keywords(String dsn) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < dsn.length()) {
            if (Character.isWhitespace(dsn.charAt(i))) {
                i++;
                continue;
            }
            Matcher m = PARAMETER.matcher(dsn).region(i, dsn.length());
            if (!m.lookingAt()) {
                return Optional.empty();
            }
            i = m.end();
            if (i >= dsn.length()) {
                return Optional.empty();
            }
            StringBuilder value = new StringBuilder();
            boolean quoted = dsn.charAt(i) == '\'';
            boolean closed = false;
            if (quoted) {
                i++;
            }
            while (i < dsn.length()) {
                char c = dsn.charAt(i);
                if (quoted && c == '\'') {
                    i++;
                    closed = true;
                    break;
                }
                if (!quoted && Character.isWhitespace(c)) {
                    break;
                }
                if (c == '\\') {
                    i++;
                    if (i >= dsn.length()) {
                        break;
                    }
                    c = dsn.charAt(i);
                }
                value.append(c);
                i++;
            }
            if (quoted && !closed) {
                return Optional.empty();
            }
            out.put(m.group(1), value.toString());
        }
        return Optional.of(out);
    }

    /** {@code postgresql://[user[:password]@][host[:port][,...]][/dbname][?keyword=value&...]}, percent-decoded. */
    private static Optional<Map<String, String>> uri(String dsn) {
        String rest = dsn.substring(dsn.indexOf("://") + 3);
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        Map<String, String> out = new LinkedHashMap<>();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userinfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userinfo.indexOf(':');
            String user = colon >= 0 ? userinfo.substring(0, colon) : userinfo;
            if (!user.isEmpty()) {
                out.put("user", decode(user));
            }
            if (colon >= 0 && colon + 1 < userinfo.length()) {
                out.put("password", decode(userinfo.substring(colon + 1)));
            }
        }
        if (!path.isEmpty()) {
            out.put("dbname", decode(path));
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String hostPort : rest.split(",", -1)) {
            String host = hostPort;
            String port = "";
            if (hostPort.startsWith("[") && hostPort.contains("]")) {
                host = hostPort.substring(1, hostPort.indexOf(']'));
                String after = hostPort.substring(hostPort.indexOf(']') + 1);
                port = after.startsWith(":") ? after.substring(1) : "";
            } else if (hostPort.contains(":")) {
                host = hostPort.substring(0, hostPort.lastIndexOf(':'));
                port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
            }
            hosts.add(decode(host));
            ports.add(decode(port));
        }
        if (hosts.stream().anyMatch(h -> !h.isEmpty())) {
            out.put("host", String.join(",", hosts));
        }
        if (ports.stream().anyMatch(p -> !p.isEmpty())) {
            out.put("port", String.join(",", ports));
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && eq + 1 < pair.length()) {
                out.put(decodeQuery(pair.substring(0, eq)), decodeQuery(pair.substring(eq + 1)));
            }
        }
        if ("true".equals(out.get("ssl"))) {
            out.remove("ssl");
            out.put("sslmode", "require");
        }
        return Optional.of(out);
    }

    /** A query's keywords and values, where (as in a form) a '+' is a space. */
    private static String decodeQuery(String s) {
        return decodeOrKeep(s, s);
    }

    /** Only %XX escapes: a '+' in a URI's user, host or path is a plus sign, not a space. */
    private static String decode(String s) {
        return decodeOrKeep(s.replace("+", "%2B"), s);
    }

    /** As Python's {@code unquote}, a malformed escape is left as it is written. */
    private static String decodeOrKeep(String encoded, String written) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return written;
        }
    }
}
