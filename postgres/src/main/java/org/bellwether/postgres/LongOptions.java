package org.bellwether.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * User options for initdb and pg_basebackup, as Patroni takes them: a plain {@code data-checksums} becomes
 * {@code --data-checksums}, a single-key map {@code encoding: UTF8} (handed over as {@code encoding=UTF8}) becomes
 * {@code --encoding=UTF8}. Options the agent sets itself are refused rather than silently overridden.
 */
final class LongOptions {
    /** initdb options the agent sets itself. */
    static final Set<String> INITDB_RESERVED = Set.of("pgdata", "D", "pwfile", "pwprompt", "W", "username", "U");

    /** pg_basebackup options the agent owns. */
    static final Set<String> BASEBACKUP_RESERVED = Set.of(
            "pgdata",
            "D",
            "format",
            "F",
            "wal-method",
            "X",
            "xlog-method",
            "dbname",
            "d",
            "host",
            "h",
            "port",
            "p",
            "username",
            "U");

    private LongOptions() {}

    static List<String> render(String tool, List<String> options, Set<String> reserved) throws PostgresException {
        List<String> rendered = new ArrayList<>();
        for (String option : options) {
            String body = option.strip().replaceFirst("^-+", "");
            int eq = body.indexOf('=');
            String name = (eq < 0 ? body : body.substring(0, eq)).strip();
            if (name.isEmpty()) {
                throw new PostgresException(tool + " option '" + option + "' has no name");
            }
            if (reserved.contains(name)) {
                throw new PostgresException(tool + " option '" + name + "' is set by Bellwether and not allowed");
            }
            rendered.add(
                    eq < 0
                            ? "--" + name
                            : "--" + name + "=" + body.substring(eq + 1).strip());
        }
        return rendered;
    }
}
