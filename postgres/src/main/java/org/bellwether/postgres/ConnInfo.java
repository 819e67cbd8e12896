package org.bellwether.postgres;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
     * The {@code primary_conninfo} a replica uses to stream from {@code upstream}, in Patroni's keyword order;
     * {@code passfile} only when a pgpass file holds the replication password.
     */
    public static ConnInfo forReplication(
            HostPort upstream, String user, Optional<Path> passfile, String applicationName, int serverVersionNum) {
        return forReplication(upstream, user, passfile, applicationName, serverVersionNum, "postgres");
    }

    /**
     * As above; on PostgreSQL 17 and later also {@code dbname}: the slot sync worker ({@code sync_replication_slots})
     * logs in to the primary through primary_conninfo and needs a database, which streaming alone does not.
     */
    public static ConnInfo forReplication(
            HostPort upstream,
            String user,
            Optional<Path> passfile,
            String applicationName,
            int serverVersionNum,
            String database) {
        Map<String, String> p = new LinkedHashMap<>();
        if (serverVersionNum >= 170000) {
            p.put("dbname", database);
        }
        p.put("user", user);
        passfile.ifPresent(f -> p.put("passfile", f.toString()));
        p.put("host", upstream.host());
        p.put("port", Integer.toString(upstream.port()));
        p.put("sslmode", "prefer");
        p.put("application_name", applicationName);
        if (serverVersionNum >= 120000) {
            p.put("gssencmode", "prefer");
        }
        if (serverVersionNum >= 130000) {
            p.put("channel_binding", "prefer");
        }
        return new ConnInfo(p);
    }

    public ConnInfo with(String keyword, String value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(keyword, value);
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
