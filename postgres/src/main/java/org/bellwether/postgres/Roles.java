package org.bellwether.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Creates the roles a new cluster needs. Role DDL cannot take bind parameters, so names and passwords are quoted
 * here, and the statements run with statement logging off so no password reaches the server log.
 */
final class Roles {
    /** What pg_rewind needs from a non-superuser (PostgreSQL's pg_rewind documentation, PG 11 and later). */
    static final List<String> REWIND_FUNCTIONS = List.of(
            "pg_catalog.pg_ls_dir(text, boolean, boolean)",
            "pg_catalog.pg_stat_file(text, boolean)",
            "pg_catalog.pg_read_binary_file(text)",
            "pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)");

    private static final List<String> QUIET = List.of(
            "SET LOCAL log_statement TO 'none'",
            "SET LOCAL log_min_duration_statement TO -1",
            "SET LOCAL log_min_error_statement TO 'panic'",
            // A synchronous_standby_names from the configuration must not make bootstrap wait for absent replicas.
            "SET LOCAL synchronous_commit TO 'local'");

    private Roles() {}

    /** Creates the role, or updates its options and password if it exists. */
    static void createOrUpdate(Connection c, String name, Optional<String> password, List<String> options)
            throws SQLException {
        boolean exists;
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                exists = rs.next();
            }
        }
        StringBuilder sql = new StringBuilder(exists ? "ALTER ROLE " : "CREATE ROLE ")
                .append(quoteIdent(name))
                .append(" WITH ")
                .append(String.join(" ", options));
        password.ifPresent(p -> sql.append(" PASSWORD ").append(quoteLiteral(p)));
        quietly(c, sql.toString());
    }

    static void grantRewind(Connection c, String name) throws SQLException {
        for (String function : REWIND_FUNCTIONS) {
            quietly(c, "GRANT EXECUTE ON FUNCTION " + function + " TO " + quoteIdent(name));
        }
    }

    private static void quietly(Connection c, String sql) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String set : QUIET) {
                st.execute(set);
            }
            st.execute(sql);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** An escape-string literal, right whatever {@code standard_conforming_strings} says. */
    static String quoteLiteral(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
