package org.bellwether.app.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwether.core.PatroniBool;

/**
 * Patroni's {@code SampleConfigGenerator}: the template with what suits the installed PostgreSQL version. The
 * password method, the {@code pg_hba} lines that use it, the WAL settings of that version, {@code use_pg_rewind}
 * (on, since Patroni's defaults turn {@code wal_log_hints} on) and, from PostgreSQL 11, a rewind user.
 */
final class SampleConfig {
    private SampleConfig() {}

    /**
     * @param template {@link ConfigTemplate#of}'s tree, completed in place
     * @param serverVersionNum the installed server's version as {@code server_version_num} counts it (150000)
     */
    static Map<String, Object> complete(Map<String, Object> template, int serverVersionNum) {
        String method = serverVersionNum >= 100000 ? "scram-sha-256" : "md5";
        Map<String, Object> postgresql = Tree.section(template, "postgresql");
        postgresql.put("parameters", new LinkedHashMap<>(Map.of("password_encryption", method)));
        String replicationUser = Tree.text(Tree.section(postgresql, "authentication", "replication"), "username");
        postgresql.put(
                "pg_hba",
                new ArrayList<>(List.of(
                        "host all all all " + method, "host replication " + replicationUser + " all " + method)));

        Map<String, Object> dcsPostgresql = Tree.section(template, "bootstrap", "dcs", "postgresql");
        Map<String, Object> parameters = Tree.section(dcsPostgresql, "parameters");
        Map.Entry<String, Object> walKeep = PatroniDefaults.walKeep(serverVersionNum);
        parameters.put(walKeep.getKey(), walKeep.getValue());
        parameters.put("wal_level", serverVersionNum < 90600 ? "hot_standby" : "replica");
        dcsPostgresql.put(
                "use_pg_rewind",
                PatroniBool.parse(Tree.text(parameters, "wal_log_hints")).orElse(false));
        if (serverVersionNum >= 110000) {
            // A rewind section from the environment keeps its user (or lack of one); only the password is filled in.
            Map<String, Object> authentication = Tree.section(postgresql, "authentication");
            if (!(authentication.get("rewind") instanceof Map<?, ?>)) {
                authentication.put("rewind", new LinkedHashMap<>(Map.of("username", "rewind_user")));
            }
            Tree.section(authentication, "rewind").putIfAbsent("password", PatroniDefaults.FIXME);
        }
        return template;
    }
}
