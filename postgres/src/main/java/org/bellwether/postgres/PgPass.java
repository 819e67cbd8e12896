package org.bellwether.postgres;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bellwether.config.Credentials;

/**
 * The pgpass file through which PostgreSQL's tools, and a replica's WAL receiver, find passwords: never a command
 * line. Lines match any host, port and database and are keyed by user name, so the file does not change when a
 * replica follows another member and the {@code passfile} in {@code primary_conninfo} stays valid.
 */
public final class PgPass {
    private PgPass() {}

    /** One line per user with a password; the first credentials given win for a user name that repeats. */
    public static String render(List<Credentials> credentials) {
        StringBuilder out = new StringBuilder();
        Set<String> seen = new LinkedHashSet<>();
        for (Credentials c : credentials) {
            if (c.password().isPresent() && seen.add(c.username())) {
                out.append("*:*:*:")
                        .append(escape(c.username()))
                        .append(':')
                        .append(escape(c.password().get()))
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** libpq reads {@code \:} and {@code \\} as a literal colon and backslash. */
    static String escape(String field) {
        if (field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a pgpass field cannot contain a line break");
        }
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }
}
