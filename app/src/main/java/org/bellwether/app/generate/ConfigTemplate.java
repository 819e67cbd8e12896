package org.bellwether.app.generate;

import static org.bellwether.app.generate.PatroniDefaults.FIXME;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Patroni's {@code get_template_config}: what both generated configurations start from. This machine's name and
 * address, Patroni's defaults, and over them whatever the {@code PATRONI_*} environment sets; {@code bootstrap.dcs}
 * is always Patroni's default dynamic configuration.
 *
 * <p>One addition: Patroni's template names no DCS unless the environment does, and Bellwether cannot start (or pass
 * {@code validate}) without one. The template then names an etcd v3 server on this machine, which
 * {@link ConfigDocument} marks as a value to fix.
 */
final class ConfigTemplate {
    /** The sections that name a DCS, in any of the forms Patroni reads. */
    static final List<String> DCS_SECTIONS =
            List.of("consul", "etcd", "etcd3", "exhibitor", "kubernetes", "raft", "zookeeper");

    static final String DCS_PLACEHOLDER_SECTION = "etcd3";
    static final String DCS_PLACEHOLDER_HOSTS = "127.0.0.1:2379";

    private ConfigTemplate() {}

    /**
     * @param address this machine, as {@link HostAddress#lookup()} found it
     * @param environment what the environment sets ({@code ConfigLoader.environmentTree})
     */
    static Map<String, Object> of(HostAddress address, Map<String, Object> environment) {
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("scope", FIXME);
        template.put("name", address.hostname());
        Map<String, Object> restapi = Tree.section(template, "restapi");
        restapi.put("connect_address", address.ip() + ":8008");
        restapi.put("listen", address.ip() + ":8008");
        template.put("log", PatroniDefaults.log());
        Map<String, Object> postgresql = Tree.section(template, "postgresql");
        postgresql.put("data_dir", FIXME);
        postgresql.put("connect_address", address.ip() + ":5432");
        postgresql.put("listen", address.ip() + ":5432");
        postgresql.put("bin_dir", "");
        Map<String, Object> authentication = Tree.section(postgresql, "authentication");
        authentication.put("superuser", login("postgres", FIXME));
        authentication.put("replication", login("replicator", FIXME));
        template.put("tags", PatroniDefaults.tags());

        Map<String, Object> local = Tree.copyOf(environment);
        Tree.section(local, "bootstrap").put("dcs", PatroniDefaults.dynamicConfiguration());
        Tree.section(local, "postgresql");
        Tree.patch(template, local);
        if (!namesDcs(template)) {
            Tree.section(template, DCS_PLACEHOLDER_SECTION).put("hosts", DCS_PLACEHOLDER_HOSTS);
        }
        return template;
    }

    static Map<String, Object> login(String username, String password) {
        Map<String, Object> login = new LinkedHashMap<>();
        login.put("username", username);
        login.put("password", password);
        return login;
    }

    /** Whether {@code tree} has a DCS section; without one in the environment, the template gets the placeholder. */
    static boolean namesDcs(Map<String, Object> tree) {
        return DCS_SECTIONS.stream().anyMatch(tree::containsKey);
    }
}
