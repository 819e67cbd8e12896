package org.bellwether.app.generate;

import static org.bellwether.app.generate.PatroniDefaults.FIXME;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Patroni's {@code RunningClusterConfigGenerator}, without the I/O: the template completed with what a running
 * PostgreSQL instance says about itself. Its settings, the login that read them, and its {@code pg_hba.conf} and
 * {@code pg_ident.conf} when they sit in the data directory.
 */
final class InstanceConfig {
    /**
     * The libpq keywords of the superuser's login, each with the environment variable libpq reads it from (kept in
     * step with Patroni's {@code _AUTH_ALLOWED_PARAMETERS_MAPPING}; {@code sslpassword} has no variable).
     */
    static final Map<String, String> LOGIN_KEYWORDS = loginKeywords();

    /**
     * Settings that stay in the node's own file rather than the cluster-wide {@code bootstrap.dcs}: commands, for
     * what they could run on every node, and the locations of files, so that they are not removed later.
     */
    private static final Set<String> LOCAL_PARAMETERS = Set.of(
            "archive_command",
            "restore_command",
            "archive_cleanup_command",
            "recovery_end_command",
            "ssl_passphrase_command",
            "hba_file",
            "ident_file",
            "config_file");

    private static final List<String> HBA_TYPES =
            List.of("local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc");
    /** Directives pg_hba.conf takes from PostgreSQL 16. */
    private static final List<String> HBA_INCLUDES = List.of("include", "include_if_exists", "include_dir");

    /** One row of {@code pg_settings}: a name and {@code current_setting(name)}. */
    record Setting(String name, String value) {}

    /** Reads a file's lines, each stripped of surrounding blanks. */
    @FunctionalInterface
    interface LineReader {
        List<String> read(Path file) throws IOException;
    }

    private InstanceConfig() {}

    /**
     * The superuser's login as the generated file records it: each keyword from the DSN, else from its libpq
     * variable; the user also from the environment's {@code PATRONI_SUPERUSER_USERNAME}, else the operating system's
     * user; the password also from {@code PATRONI_SUPERUSER_PASSWORD}. Without any password, none is in the result
     * and the caller asks for one.
     *
     * @param configured {@code postgresql.authentication.superuser} of the environment's configuration
     */
    static Map<String, Object> superuser(
            Map<String, String> dsn, Map<String, String> env, Map<String, Object> configured, String osUser) {
        Map<String, Object> login = new LinkedHashMap<>();
        LOGIN_KEYWORDS.forEach((keyword, variable) -> {
            String value = dsn.getOrDefault(keyword, variable.isEmpty() ? null : env.get(variable));
            if (value != null && !value.isEmpty()) {
                login.put(keyword, value);
            }
        });
        // Patroni looks for the configured user under a section that never exists; the intent is this fallback.
        Object user = login.remove("user");
        login.put("username", firstNonEmpty(user, configured.get("username"), osUser));
        if (!login.containsKey("password") && notEmpty(configured.get("password"))) {
            login.put("password", configured.get("password"));
        }
        return login;
    }

    /** {@code postgresql.authentication}: the superuser's login, and a replication user the operator must name. */
    static void withLogins(Map<String, Object> tree, Map<String, Object> superuser) {
        Map<String, Object> authentication = new LinkedHashMap<>();
        authentication.put("superuser", superuser);
        authentication.put("replication", ConfigTemplate.login(FIXME, FIXME));
        Tree.section(tree, "postgresql").put("authentication", authentication);
    }

    /**
     * The instance's settings, each where Patroni puts it: the data directory and {@code cluster_name} (as
     * {@code scope}) in their keys, local settings in {@code postgresql.parameters}, {@code port} and
     * {@code listen_addresses} in {@code postgresql.listen} and {@code connect_address} (whose port is the one
     * connected to), and everything else in {@code bootstrap.dcs.postgresql.parameters}.
     */
    static void withSettings(
            Map<String, Object> tree, List<Setting> settings, Map<String, String> dsn, Map<String, String> env) {
        Map<String, Object> postgresql = Tree.section(tree, "postgresql");
        Map<String, Object> local = Tree.section(postgresql, "parameters");
        Map<String, Object> cluster = Tree.section(tree, "bootstrap", "dcs", "postgresql", "parameters");
        String port = null;
        String listenAddresses = null;
        for (Setting s : settings) {
            switch (s.name()) {
                case "data_directory" -> postgresql.put("data_dir", s.value());
                case "cluster_name" -> {
                    if (!s.value().isEmpty()) {
                        tree.put("scope", s.value());
                    }
                }
                case "port" -> port = s.value();
                case "listen_addresses" -> listenAddresses = s.value();
                default -> (LOCAL_PARAMETERS.contains(s.name()) ? local : cluster).put(s.name(), s.value());
            }
        }
        String connectAddress = Tree.text(postgresql, "connect_address");
        int colon = connectAddress.lastIndexOf(':');
        String connectHost = colon >= 0 ? connectAddress.substring(0, colon) : connectAddress;
        String connectPort = dsn.getOrDefault("port", env.getOrDefault("PGPORT", port));
        postgresql.put("connect_address", connectHost + ":" + connectPort);
        postgresql.put("listen", listenAddresses + ":" + port);
    }

    /**
     * {@code postgresql.pg_hba} and {@code pg_ident} from the instance's files, only when they are the ones in the
     * data directory: files elsewhere may not be writable by the agent, which rewrites them.
     */
    static void withConfFiles(Map<String, Object> tree, int serverVersionNum, LineReader reader)
            throws GenerateException {
        Map<String, Object> postgresql = Tree.section(tree, "postgresql");
        Map<String, Object> parameters = Tree.section(postgresql, "parameters");
        Path dataDir = Path.of(Tree.text(postgresql, "data_dir"));
        Path hba = dataDir.resolve("pg_hba.conf");
        if (hba.toString().equals(Tree.text(parameters, "hba_file"))) {
            postgresql.put("pg_hba", hbaLines(read(reader, hba, "pg_hba.conf"), serverVersionNum));
        }
        Path ident = dataDir.resolve("pg_ident.conf");
        if (ident.toString().equals(Tree.text(parameters, "ident_file"))) {
            List<String> lines = identLines(read(reader, ident, "pg_ident.conf"));
            if (lines.isEmpty()) {
                postgresql.remove("pg_ident");
            } else {
                postgresql.put("pg_ident", lines);
            }
        }
    }

    /** The rule lines of pg_hba.conf: comments and blank lines dropped. */
    static List<String> hbaLines(List<String> lines, int serverVersionNum) {
        return lines.stream()
                .filter(line -> !line.isEmpty())
                .filter(line -> {
                    String type = line.split("\\s+", 2)[0];
                    return HBA_TYPES.contains(type) || serverVersionNum >= 160000 && HBA_INCLUDES.contains(type);
                })
                .toList();
    }

    /** The map lines of pg_ident.conf: comments and blank lines dropped. */
    static List<String> identLines(List<String> lines) {
        return lines.stream()
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    private static List<String> read(LineReader reader, Path file, String name) throws GenerateException {
        try {
            return reader.read(file);
        } catch (IOException e) {
            throw new GenerateException("Failed to read " + name + ": " + e, e);
        }
    }

    private static Map<String, String> loginKeywords() {
        Map<String, String> keywords = new LinkedHashMap<>();
        keywords.put("user", "PGUSER");
        keywords.put("password", "PGPASSWORD");
        keywords.put("sslmode", "PGSSLMODE");
        keywords.put("sslcert", "PGSSLCERT");
        keywords.put("sslkey", "PGSSLKEY");
        keywords.put("sslpassword", "");
        keywords.put("sslrootcert", "PGSSLROOTCERT");
        keywords.put("sslcrl", "PGSSLCRL");
        keywords.put("sslcrldir", "PGSSLCRLDIR");
        keywords.put("gssencmode", "PGGSSENCMODE");
        keywords.put("channel_binding", "PGCHANNELBINDING");
        keywords.put("sslnegotiation", "PGSSLNEGOTIATION");
        return java.util.Collections.unmodifiableMap(keywords);
    }

    private static Object firstNonEmpty(Object... values) {
        for (Object v : values) {
            if (notEmpty(v)) {
                return v;
            }
        }
        return "";
    }

    private static boolean notEmpty(Object v) {
        return v != null && !String.valueOf(v).isEmpty();
    }

    /** The password a login carries, when it has one. */
    static Optional<String> password(Map<String, Object> login) {
        Object p = login.get("password");
        return notEmpty(p) && !FIXME.equals(p) ? Optional.of(String.valueOf(p)) : Optional.empty();
    }
}
