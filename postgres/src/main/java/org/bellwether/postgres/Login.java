package org.bellwether.postgres;

import org.bellwether.config.Credentials;
import org.bellwether.config.PostgresConfig;

/**
 * A role of {@code postgresql.authentication} as a connection logs in with it: the credentials with their TLS and GSS
 * options, and the setting they come from, which messages about a failing login name.
 *
 * @param setting {@code postgresql.authentication.superuser}, {@code .replication} or {@code .rewind}
 */
record Login(Credentials user, String setting) {
    static Login superuser(PostgresConfig pg) {
        return new Login(pg.superuser(), "postgresql.authentication.superuser");
    }

    static Login replication(PostgresConfig pg) {
        return new Login(pg.replication(), "postgresql.authentication.replication");
    }

    /**
     * The role of pg_rewind, which also reads the leader's replication slots: the rewind user, the superuser when
     * there is none (as in Patroni).
     */
    static Login rewind(PostgresConfig pg) {
        return pg.rewind()
                .map(r -> new Login(r, "postgresql.authentication.rewind"))
                .orElseGet(() -> superuser(pg));
    }

    /** {@code superuser}, {@code replication} or {@code rewind}. */
    String role() {
        return setting.substring(setting.lastIndexOf('.') + 1);
    }

    /** For messages: {@code replication login as replicator}. */
    String describe() {
        return role() + " login as " + user.username();
    }
}
