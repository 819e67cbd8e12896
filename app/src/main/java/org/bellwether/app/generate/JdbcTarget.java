package org.bellwether.app.generate;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.config.Credentials;
import org.bellwether.postgres.tls.JdbcTls;

/**
 * Where the JDBC driver connects for a libpq connection string: the hosts, ports and database of the DSN, else of
 * libpq's variables ({@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}), else libpq's defaults, with the superuser's
 * login and TLS settings. The driver speaks TCP only, so a Unix socket directory (libpq's default when no host is
 * given) is reached as {@code localhost} instead.
 *
 * @param description the server as the operator named it, for messages (never the password)
 */
record JdbcTarget(String url, Properties properties, String description) {
    private static final String DEFAULT_CONNECT_TIMEOUT_SECONDS = "10";
    private static final String SETTING = "postgresql.authentication.superuser";
    private static final List<String> LIBPQ_OPTIONS = org.bellwether.config.Credentials.LIBPQ_OPTIONS;

    static JdbcTarget of(Map<String, String> dsn, Map<String, String> env, Map<String, Object> superuser) {
        String user = String.valueOf(superuser.get("username"));
        List<String> hosts = new ArrayList<>();
        for (String host : setting(dsn, env, "host", "PGHOST")
                .or(() -> setting(dsn, env, "hostaddr", "PGHOSTADDR"))
                .orElse("")
                .split(",", -1)) {
            hosts.add(host.isBlank() || host.startsWith("/") ? "localhost" : host.strip());
        }
        String[] ports = setting(dsn, env, "port", "PGPORT").orElse("5432").split(",", -1);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).contains(":") ? "[" + hosts.get(i) + "]" : hosts.get(i);
            String port = ports.length == 1 ? ports[0] : i < ports.length ? ports[i] : "";
            addresses.add(host + ":" + (port.isBlank() ? "5432" : port.strip()));
        }
        String database = setting(dsn, env, "dbname", "PGDATABASE").orElse(user);
        String url = "jdbc:postgresql://" + String.join(",", addresses) + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");

        Properties props = new Properties();
        props.setProperty("user", user);
        InstanceConfig.password(superuser).ifPresent(p -> props.setProperty("password", p));
        JdbcTls.apply(new Credentials(user, Optional.empty(), libpqOptions(superuser)), SETTING, props);
        String timeout = setting(dsn, env, "connect_timeout", "PGCONNECT_TIMEOUT")
                .filter(t -> t.matches("[0-9]+") && !t.equals("0"))
                .orElse(DEFAULT_CONNECT_TIMEOUT_SECONDS);
        props.setProperty("connectTimeout", timeout);
        props.setProperty("ApplicationName", "bellwether --generate-config");
        return new JdbcTarget(url, props, user + "@" + String.join(",", addresses) + "/" + database);
    }

    private static Optional<String> setting(Map<String, String> dsn, Map<String, String> env, String key, String var) {
        String value = dsn.getOrDefault(key, env.get(var));
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The login's libpq options, read by the agent's own TLS setup so both connect alike. */
    private static SortedMap<String, String> libpqOptions(Map<String, Object> login) {
        SortedMap<String, String> options = new TreeMap<>();
        for (String keyword : LIBPQ_OPTIONS) {
            Object value = login.get(keyword);
            if (value != null && !String.valueOf(value).isEmpty()) {
                options.put(keyword, String.valueOf(value));
            }
        }
        return options;
    }
}
