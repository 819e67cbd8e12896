package org.bellwether.cli;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;

/**
 * The database side of {@code query}: connects to the chosen member as patronictl's {@code get_cursor} does (a role
 * other than leader and any is checked with {@code pg_is_in_recovery()}), runs the SQL with autocommit, and returns
 * the last result's rows. Failures come back as patronictl's {@code ERROR, SQLSTATE: ...} text, not as exceptions.
 */
final class SqlRunner {
    private SqlRunner() {}

    /** Who connects and where; without a password the JDBC driver consults {@code ~/.pgpass} as libpq would. */
    record Login(String user, Optional<String> password, Optional<String> dbname) {}

    record Result(List<String> columns, List<List<Object>> rows, Optional<String> error) {}

    static Result run(ClusterView view, Optional<CtlRole> role, Optional<String> member, Login login, String sql)
            throws CtlException {
        Optional<Member> target = Members.any(view, role, member);
        if (target.isEmpty()) {
            return failure(member.map(m -> "No connection to member " + m + " is available")
                    .orElse("No connection to role '" + role.orElse(CtlRole.LEADER) + "' is available"));
        }
        Optional<ClusterJson.Address> address = target.get().connUrl().flatMap(ClusterJson::address);
        if (address.isEmpty()) {
            return failure("No connection to member " + target.get().name() + " is available");
        }
        ClusterJson.Address a = address.get();
        String host = a.host().contains(":") ? "[" + a.host() + "]" : a.host();
        String url = "jdbc:postgresql://" + host + ":" + a.port() + "/"
                + login.dbname().orElse(login.user());
        Properties props = new Properties();
        props.setProperty("user", login.user());
        login.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "bellwether ctl");
        try (Connection c = DriverManager.getConnection(url, props);
                Statement s = c.createStatement()) {
            CtlRole r = member.isPresent() ? CtlRole.ANY : role.orElse(CtlRole.LEADER);
            if (r != CtlRole.ANY && r != CtlRole.LEADER && !roleMatches(s, r)) {
                return failure(member.map(m -> "No connection to member " + m + " is available")
                        .orElse("No connection to role '" + r + "' is available"));
            }
            return rows(s, s.execute(sql));
        } catch (SQLException e) {
            String state = e.getSQLState();
            String text = state != null && !state.isEmpty() ? state : String.valueOf(e.getMessage());
            return failure("ERROR, SQLSTATE: " + text.replace('\n', ' '));
        }
    }

    private static boolean roleMatches(Statement s, CtlRole role) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT pg_catalog.pg_is_in_recovery()")) {
            boolean inRecovery = !r.next() || r.getBoolean(1);
            return inRecovery
                    ? role == CtlRole.REPLICA || role == CtlRole.STANDBY || role == CtlRole.STANDBY_LEADER
                    : role == CtlRole.PRIMARY;
        }
    }

    /** The last result of the statements sent, as psycopg's cursor holds it after {@code execute}. */
    private static Result rows(Statement s, boolean isResultSet) throws SQLException {
        Result last = new Result(List.of(), List.of(), Optional.empty());
        boolean hasResult = isResultSet;
        while (true) {
            if (hasResult) {
                try (ResultSet r = s.getResultSet()) {
                    last = read(r);
                }
            } else if (s.getUpdateCount() == -1) {
                return last;
            }
            hasResult = s.getMoreResults();
        }
    }

    private static Result read(ResultSet r) throws SQLException {
        ResultSetMetaData meta = r.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (r.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= columns.size(); i++) {
                row.add(value(r, i));
            }
            rows.add(row);
        }
        return new Result(columns, rows, Optional.empty());
    }

    /** Values as psycopg hands them to Python: numbers and booleans as such, everything else as PostgreSQL's text. */
    private static Object value(ResultSet r, int i) throws SQLException {
        Object o = r.getObject(i);
        if (o == null) {
            return null;
        }
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Boolean) {
            return o;
        }
        if (o instanceof Double || o instanceof Float || o instanceof BigDecimal) {
            return o;
        }
        return r.getString(i);
    }

    private static Result failure(String message) {
        return new Result(List.of(), List.of(), Optional.of(message));
    }
}
