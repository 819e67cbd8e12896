package org.bellwether.postgres;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.config.Credentials;
import org.bellwether.core.HostPort;

/**
 * A libpq connection string in keyword/value form ({@code host=10.0.0.1 port=5432 user=replicator}), as found in
 * {@code primary_conninfo} and passed to pg_basebackup. Values are written as Patroni writes them: unquoted, with a
 * backslash before quotes, backslashes and spaces; libpq reads that form back.
 */
public record ConnInfo(Map<String, String> params) {
    public ConnInfo {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * The keywords Patroni's {@code format_dsn} writes, in its order, each with the first server version (as
     * {@code server_version_num}) whose libpq knows it. {@code service} is Bellwether's: it names a section of the
     * service file that holds an {@code sslpassword} off the command line.
     */
    private static final Map<String, Integer> PATRONI_KEYWORDS = patroniKeywords();

    private static Map<String, Integer> patroniKeywords() {
        Map<String, Integer> k = new LinkedHashMap<>();
        for (String keyword : List.of(
                "dbname",
                "user",
                "passfile",
                "password",
                "host",
                "port",
                "sslmode",
                "sslcompression",
                "sslcert",
                "sslkey")) {
            k.put(keyword, 0);
        }
        k.put("sslpassword", 130000);
        k.put("sslrootcert", 0);
        k.put("sslcrl", 0);
        k.put("sslcrldir", 140000);
        k.put("application_name", 0);
        k.put("krbsrvname", 0);
        k.put("gssencmode", 120000);
        k.put("channel_binding", 130000);
        k.put("target_session_attrs", 100000);
        k.put("sslnegotiation", 170000);
        k.put("service", 130000);
        return Collections.unmodifiableMap(k);
    }

    /**
     * The {@code primary_conninfo} a replica uses to stream from {@code upstream} as the replication user, in
     * Patroni's keyword order; {@code passfile} only when a pgpass file holds the replication password.
     */
    public static ConnInfo forReplication(
            HostPort upstream,
            Credentials replication,
            Optional<Path> passfile,
            String applicationName,
            int serverVersionNum) {
        return forReplication(upstream, replication, passfile, applicationName, serverVersionNum, "postgres");
    }

    /**
     * As above; on PostgreSQL 17 and later also {@code dbname}: the slot sync worker ({@code sync_replication_slots})
     * logs in to the primary through primary_conninfo and needs a database, which streaming alone does not. The
     * user's TLS and GSS options ({@code sslmode}, {@code sslrootcert}...) come with it, {@code sslpassword} included
     * as Patroni writes it: the WAL receiver has no other place to find it. Where the user set none, libpq's
     * defaults are written out as Patroni does.
     */
    public static ConnInfo forReplication(
            HostPort upstream,
            Credentials replication,
            Optional<Path> passfile,
            String applicationName,
            int serverVersionNum,
            String database) {
        Map<String, String> p = new LinkedHashMap<>(replication.connectionOptions());
        if (serverVersionNum >= 170000) {
            p.put("dbname", database);
        }
        p.put("user", replication.username());
        passfile.ifPresent(f -> p.put("passfile", f.toString()));
        p.put("host", upstream.host());
        p.put("port", Integer.toString(upstream.port()));
        p.put("application_name", applicationName);
        p.putIfAbsent("sslmode", "prefer");
        p.putIfAbsent("gssencmode", "prefer");
        p.putIfAbsent("channel_binding", "prefer");
        p.putIfAbsent("sslnegotiation", "postgres");
        return new ConnInfo(p).inPatroniOrder(serverVersionNum);
    }

    /**
     * The keywords Patroni writes, in its order, without those the libpq of {@code serverVersionNum} would refuse
     * ({@code channel_binding} before 13, say) and without any it does not know.
     */
    public ConnInfo inPatroniOrder(int serverVersionNum) {
        Map<String, String> p = new LinkedHashMap<>();
        PATRONI_KEYWORDS.forEach((keyword, since) -> {
            String value = params.get(keyword);
            if (value != null && serverVersionNum >= since) {
                p.put(keyword, value);
            }
        });
        return new ConnInfo(p);
    }

    public ConnInfo with(String keyword, String value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(keyword, value);
        return new ConnInfo(p);
    }

    public ConnInfo without(String keyword) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.remove(keyword);
        return new ConnInfo(p);
    }

    public Optional<String> get(String keyword) {
        return Optional.ofNullable(params.get(keyword));
    }

    /**
     * The first host and port named, port 5432 when absent; empty without a host or for a Unix socket directory
     * (a replica streaming over a local socket has no network upstream to report).
     */
    public Optional<HostPort> hostPort() {
        String host = params.getOrDefault("host", params.getOrDefault("hostaddr", ""))
                .split(",")[0]
                .trim();
        if (host.isEmpty() || host.startsWith("/")) {
            return Optional.empty();
        }
        String port = params.getOrDefault("port", "5432").split(",")[0].trim();
        try {
            return Optional.of(new HostPort(host, Integer.parseInt(port)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        params.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(k).append('=').append(quote(v));
        });
        return out.toString();
    }

    /** A value as libpq reads it: backslash before {@code '}, {@code \} and space; {@code ''} when empty. */
    static String quote(String value) {
        if (value.isEmpty()) {
            return "''";
        }
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\'' || c == '\\' || c == ' ') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Parses a keyword/value connection string (quoted values with backslash escapes included) or, for strings
     * written by others, a {@code postgresql://} URI as far as host and port go.
     */
    public static ConnInfo parse(String text) {
        String t = text.trim();
        if (t.startsWith("postgres://") || t.startsWith("postgresql://")) {
            Map<String, String> p = new LinkedHashMap<>();
            HostPort.fromUrl(t).ifPresent(hp -> {
                p.put("host", hp.host());
                p.put("port", Integer.toString(hp.port()));
            });
            return new ConnInfo(p);
        }
        return new ConnInfo(new Parser(t).parse());
    }

    @Override
    public String toString() {
        return render();
    }

    /** libpq's keyword/value grammar: {@code key = value}, separated by white space. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Map<String, String> parse() {
            Map<String, String> p = new LinkedHashMap<>();
            while (skipSpace()) {
                int start = i;
                while (i < s.length() && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                String key = s.substring(start, i);
                skipSpace();
                if (i >= s.length() || s.charAt(i) != '=') {
                    throw new IllegalArgumentException("missing '=' after '" + key + "' in connection string");
                }
                i++;
                skipSpace();
                p.put(key, value());
            }
            return p;
        }

        private String value() {
            StringBuilder v = new StringBuilder();
            boolean quoted = i < s.length() && s.charAt(i) == '\'';
            if (quoted) {
                i++;
            }
            while (i < s.length()) {
                char c = s.charAt(i);
                if (quoted ? c == '\'' : Character.isWhitespace(c)) {
                    i++;
                    return v.toString();
                }
                if (c == '\\' && i + 1 < s.length()) {
                    i++;
                    c = s.charAt(i);
                }
                v.append(c);
                i++;
            }
            if (quoted) {
                throw new IllegalArgumentException("unterminated quoted value in connection string");
            }
            return v.toString();
        }

        private boolean skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return i < s.length();
        }
    }
}
