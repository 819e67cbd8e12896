package org.bellwether.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.config.Credentials;
import org.bellwether.config.PostgresConfig;
import org.bellwether.core.ha.SlotNames;
import org.bellwether.core.ha.Upstream;
import org.bellwether.postgres.ConfigFiles.Standby;

/** Turns this node's configuration and the role it is to play into the files PostgreSQL reads. */
final class NodeFiles {
    private final PostgresSetup setup;
    private final DataDirectory dir;

    NodeFiles(PostgresSetup setup, DataDirectory dir) {
        this.setup = setup;
        this.dir = dir;
    }

    /** {@code postgresql.pgpass}, or {@code <data_dir>.pgpass} beside the data directory. */
    Path pgpass() {
        return setup.postgresql().pgpass().orElseGet(dir::defaultPgpass).toAbsolutePath();
    }

    /** The libpq service file beside the pgpass file; it holds the {@code sslpassword} of each role that has one. */
    Path serviceFile() {
        Path pgpass = pgpass();
        return pgpass.resolveSibling(pgpass.getFileName() + ".service");
    }

    /**
     * Writes every password the tools and the WAL receiver may need; mode 0600 as libpq requires. The pgpass file
     * always, the service file only when a role has an {@code sslpassword}.
     */
    void writePgpass() throws IOException {
        PostgresConfig pg = setup.postgresql();
        List<Credentials> all = new ArrayList<>(List.of(pg.replication(), pg.superuser()));
        pg.rewind().ifPresent(all::add);
        dir.writePrivateFile(pgpass(), PgPass.render(all));
        SortedMap<String, Credentials> roles = new TreeMap<>();
        for (Login login : List.of(Login.superuser(pg), Login.replication(pg), Login.rewind(pg))) {
            roles.put(ToolLogin.service(login), login.user());
        }
        String services = ServiceFile.render(roles);
        if (services.isEmpty()) {
            // A password taken out of the configuration leaves no copy behind.
            java.nio.file.Files.deleteIfExists(serviceFile());
        } else {
            dir.writePrivateFile(serviceFile(), services);
        }
    }

    /** How PostgreSQL's programs log in with {@code login}: see {@link ToolLogin}. */
    ToolLogin toolLogin(Login login) {
        return new ToolLogin(login, pgpass(), serviceFile());
    }

    /**
     * What a replica writes: with an upstream, a {@code primary_conninfo} naming this member as
     * {@code application_name} and, with slots, the member's slot; without one, only {@code standby.signal}.
     */
    Standby standby(Optional<Upstream> upstream, boolean useSlots) {
        if (upstream.isEmpty()) {
            return Standby.withoutUpstream();
        }
        PostgresConfig pg = setup.postgresql();
        Optional<Path> passfile = pg.replication().password().map(p -> pgpass());
        ConnInfo conninfo = ConnInfo.forReplication(
                upstream.get().address(), pg.replication(), passfile, setup.name(), serverVersionNum(), database());
        Optional<String> slot = useSlots ? Optional.of(SlotNames.forMember(setup.name())) : Optional.empty();
        return new Standby(Optional.of(conninfo), slot);
    }

    /**
     * Writes postgresql.conf (and pg_hba.conf when {@code hba} has lines) for a primary ({@code standby} empty) or a
     * replica.
     */
    void write(Optional<Standby> standby, Map<String, Object> clusterParameters, List<String> hba, boolean usePgRewind)
            throws PostgresException {
        PostgresConfig pg = setup.postgresql();
        try {
            Map<String, String> parameters = ServerParameters.merge(
                    clusterParameters,
                    pg.parameters(),
                    new ServerParameters.Forced(setup.scope(), pg.listenAddresses(), pg.port(), usePgRewind));
            ConfigFiles.write(dir, new ConfigFiles.Contents(parameters, standby, hba));
        } catch (IOException | IllegalArgumentException e) {
            throw new PostgresException("writing the configuration files in " + dir.path() + ": " + e.getMessage(), e);
        }
    }

    /** {@code postgresql.database}: the database the agent's own connections name ({@code postgres} by default). */
    String database() {
        Object value = setup.postgresql().raw().get("database");
        return value instanceof String name && !name.isBlank() ? name : "postgres";
    }

    /** The major version of the cluster as {@code server_version_num} counts it (15 becomes 150000). */
    int serverVersionNum() {
        return dir.majorVersion().map(NodeFiles::versionNum).orElse(0);
    }

    static int versionNum(String pgVersion) {
        String[] parts = pgVersion.trim().split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            return major >= 10 ? major * 10000 : major * 10000 + Integer.parseInt(parts[1]) * 100;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
