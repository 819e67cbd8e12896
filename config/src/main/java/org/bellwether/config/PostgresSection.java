package org.bellwether.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.core.ConfigRules;

/** Reads {@code postgresql.*}. */
final class PostgresSection {
    /**
     * GUCs Patroni passes on pg_ctl's command line and takes only from the dynamic configuration; it drops them from
     * the local {@code parameters} without a word, which is worth a warning.
     */
    static final Set<String> DYNAMIC_ONLY_PARAMETERS = Set.copyOf(PostgresConfig.COMMAND_LINE_PARAMETERS);

    private static final Set<String> CALLBACKS =
            Set.of("on_start", "on_stop", "on_restart", "on_reload", "on_role_change");
    private static final Set<String> CONNECTION_OPTIONS = Set.copyOf(Credentials.LIBPQ_OPTIONS);

    private PostgresSection() {}

    static PostgresConfig read(Section s) throws ConfigException {
        Addresses.Listen listen = Addresses.listen(s, "listen", s.requiredText("listen"));
        Section auth = s.requiredSection("authentication");
        PostgresConfig config = new PostgresConfig(
                listen.addresses(),
                listen.port(),
                Addresses.connectAddress(s, "connect_address"),
                dataDir(s),
                s.file("bin_dir"),
                s.file("config_dir"),
                s.file("pgpass"),
                user(auth, "superuser"),
                user(auth, "replication"),
                auth.section("rewind").isPresent() ? Optional.of(user(auth, "rewind")) : Optional.empty(),
                parameters(s),
                s.textList("pg_hba"),
                s.bool("use_pg_rewind"),
                s.textList("create_replica_methods"),
                LongOptions.render(s, "basebackup", LongOptions.BASEBACKUP_RESERVED, LongOptions.OnBad.WARN),
                callbacks(s),
                s.hostPort("proxy_address"),
                s.textList("pg_ident"),
                s.integer("pg_ctl_timeout", 0, Integer.MAX_VALUE).map(Duration::ofSeconds),
                s.bool("remove_data_directory_on_rewind_failure"),
                s.bool("remove_data_directory_on_diverged_timelines"),
                s.text("pre_promote"),
                s.text("before_stop"),
                ReplicaMethods.read(s),
                s.rawWithout("authentication"));
        auth.warnUnknown();
        acceptUntyped(s);
        s.warnUnknown();
        return config;
    }

    private static Path dataDir(Section s) throws ConfigException {
        String dir = s.requiredText("data_dir");
        if (dir.isBlank()) {
            throw s.error(Kind.MISSING, "data_dir", "must not be empty");
        }
        return Path.of(dir);
    }

    /**
     * Settings read from {@code raw}, or refused or not applied by the settings table ({@link SettingsAudit}), checked
     * for type where Patroni checks it.
     */
    private static void acceptUntyped(Section s) throws ConfigException {
        s.bool("use_unix_socket");
        s.bool("use_unix_socket_repl");
        s.text("custom_conf");
        s.rawMap("recovery_conf");
        s.rawMap("bin_name");
        s.text("database");
        if (s.has("use_slots")) {
            s.raw("use_slots");
            s.warn("use_slots", "only read from the dynamic configuration (bootstrap.dcs.postgresql); ignored here");
        }
    }

    static Credentials user(Section auth, String key) throws ConfigException {
        Section u = auth.requiredSection(key);
        String username = u.requiredText("username");
        Optional<String> password = u.text("password");
        SortedMap<String, String> options = new TreeMap<>();
        for (String option : u.keys()) {
            if (CONNECTION_OPTIONS.contains(option)) {
                Optional<String> value = u.text(option);
                if (value.isPresent()) {
                    options.put(option, value.get());
                }
            }
        }
        u.warnUnknown();
        return new Credentials(username, password, options);
    }

    private static SortedMap<String, Object> parameters(Section s) throws ConfigException {
        Optional<Section> p = s.section("parameters");
        SortedMap<String, Object> out = new TreeMap<>();
        if (p.isEmpty()) {
            return out;
        }
        for (String name : p.get().keys()) {
            Object value = p.get().raw(name);
            if (DYNAMIC_ONLY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                p.get()
                        .warn(
                                name,
                                "Patroni takes this parameter only from the dynamic configuration"
                                        + " (bootstrap.dcs.postgresql.parameters, or postgresql.listen and scope); ignored here");
            } else if (value == null) {
                p.get().warn(name, "has no value; ignored");
            } else if (value instanceof java.util.Map<?, ?> || value instanceof java.util.List<?>) {
                throw p.get()
                        .error(Kind.WRONG_TYPE, name, "expected a single value, got " + ConfigRules.describe(value));
            } else {
                out.put(name, value);
            }
        }
        return out;
    }

    private static SortedMap<String, String> callbacks(Section s) throws ConfigException {
        SortedMap<String, String> callbacks = new TreeMap<>(s.textMap("callbacks"));
        for (String name : callbacks.keySet()) {
            if (!CALLBACKS.contains(name)) {
                s.warn(
                        "callbacks." + name,
                        "not a callback Patroni runs (on_start, on_stop, on_restart, on_reload,"
                                + " on_role_change); ignored");
            }
        }
        callbacks.keySet().retainAll(CALLBACKS);
        return callbacks;
    }
}
