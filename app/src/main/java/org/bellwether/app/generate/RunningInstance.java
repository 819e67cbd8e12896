package org.bellwether.app.generate;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.Driver;

/**
 * What a running PostgreSQL instance says about itself over one superuser connection: its version and the settings
 * Patroni's generator reads from {@code pg_settings}.
 */
final class RunningInstance {
    /**
     * Patroni's query: every setting an administrator set (in a file, on the command line or by an environment
     * variable) except internal ones, recovery targets and disabled values, plus the ones the generated file always
     * needs. The operators are Patroni's too: the {@code OR} adds the needed ones whatever their source.
     */
    static final String SETTINGS_QUERY = "SELECT name, pg_catalog.current_setting(name) FROM pg_catalog.pg_settings"
            + " WHERE context <> 'internal'"
            + " AND source IN ('configuration file', 'command line', 'environment variable')"
            + " AND category <> 'Write-Ahead Log / Recovery Target'"
            + " AND setting <> '(disabled)'"
            + " OR name = ANY(?)";

    /** The settings the generated file always carries. */
    static final List<String> REQUIRED_SETTINGS = required();

    record Facts(int serverVersionNum, List<InstanceConfig.Setting> settings) {}

    private RunningInstance() {}

    static Facts read(JdbcTarget target) throws GenerateException {
        try (Connection c = connect(target)) {
            int version;
            boolean superuser;
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT pg_catalog.current_setting('server_version_num')::int,"
                            + " pg_catalog.current_setting('is_superuser')")) {
                r.next();
                version = r.getInt(1);
                superuser = "on".equals(r.getString(2));
            }
            if (!superuser) {
                throw new GenerateException("The provided user does not have superuser privilege");
            }
            return new Facts(version, settings(c));
        } catch (SQLException e) {
            throw new GenerateException(
                    "Failed to establish PostgreSQL connection to " + target.description() + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(JdbcTarget target) throws SQLException {
        Connection c = new Driver().connect(target.url(), target.properties());
        if (c == null) {
            throw new SQLException("the PostgreSQL driver did not accept " + target.url());
        }
        return c;
    }

    private static List<InstanceConfig.Setting> settings(Connection c) throws SQLException {
        List<InstanceConfig.Setting> settings = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SETTINGS_QUERY)) {
            Array names = c.createArrayOf("text", REQUIRED_SETTINGS.toArray());
            s.setArray(1, names);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    settings.add(new InstanceConfig.Setting(r.getString(1), r.getString(2)));
                }
            }
        }
        return settings;
    }

    private static List<String> required() {
        List<String> names = new ArrayList<>(List.of("hba_file", "ident_file", "config_file", "data_directory"));
        names.addAll(PatroniDefaults.COMMAND_LINE_PARAMETERS);
        return List.copyOf(names);
    }
}
