package org.bellwether.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.config.Credentials;
import org.bellwether.config.PostgresConfig;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.postgres.ProcessRunner.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a new cluster: initdb, configuration files, start as primary, roles, {@code bootstrap.post_bootstrap}. A
 * failure at any step stops what was started and moves the data directory aside (as Patroni does), so the next
 * attempt starts from an empty directory and the failed one stays for a post-mortem.
 */
final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    private static final Duration ROLE_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    private final NodeContext ctx;

    Bootstrap(NodeContext ctx) {
        this.ctx = ctx;
    }

    /** @return the new cluster's system identifier */
    String run(Map<String, Object> clusterParameters) throws PostgresException {
        DataDirectory dir = ctx.dir();
        if (!dir.isMissingOrEmpty()) {
            throw new PostgresException(
                    "bootstrap: data directory " + dir.path() + " is not empty; refusing to run initdb over it");
        }
        String step = "initdb";
        try {
            ctx.tools().createDirectory(dir);
            initdb();
            step = "writing the configuration";
            ctx.files().writePgpass();
            ctx.files().write(Optional.empty(), clusterParameters, hba(), ctx.usePgRewind());
            step = "starting PostgreSQL";
            ctx.startAndWait();
            step = "creating roles";
            createRoles();
            step = "post_bootstrap";
            postBootstrap();
            step = "reading pg_controldata";
            return ctx.tools().controlData(dir).systemIdentifier();
        } catch (PostgresException | IOException | SQLException | RuntimeException e) {
            throw failed(step, e);
        }
    }

    private void initdb() throws PostgresException, IOException {
        PostgresConfig pg = ctx.setup().postgresql();
        List<String> args = new ArrayList<>(List.of(
                ctx.tools().program("initdb"),
                "-D",
                ctx.dir().path().toString(),
                "--username=" + pg.superuser().username()));
        Path pwfile = null;
        try {
            if (pg.superuser().password().isPresent()) {
                pwfile = passwordFile(pg.superuser().password().get());
                args.add("--pwfile=" + pwfile);
            }
            args.addAll(LongOptions.render(
                    "initdb", ctx.setup().bootstrap().initdbArguments(), LongOptions.INITDB_RESERVED));
            ctx.tools()
                    .runner()
                    .run(Command.of("initdb", ctx.options().initdbTimeout(), args))
                    .orThrow();
        } finally {
            if (pwfile != null) {
                Files.deleteIfExists(pwfile);
            }
        }
    }

    /** initdb reads the superuser's password from a file that only PostgreSQL's user can read. */
    private Path passwordFile(String password) throws IOException {
        Path file = Files.createTempFile(
                "bellwether-pwfile-",
                "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n");
        ctx.dir().giveToOwner(file);
        return file;
    }

    /**
     * {@code postgresql.pg_hba} of the node's file, else of the dynamic configuration ({@code bootstrap.dcs}), else
     * {@code bootstrap.pg_hba}, else initdb's own file stays.
     */
    private List<String> hba() {
        List<String> configured = ctx.pgHba();
        return configured.isEmpty() ? ctx.setup().bootstrap().pgHba() : configured;
    }

    private void createRoles() throws SQLException {
        PostgresConfig pg = ctx.setup().postgresql();
        String superuser = pg.superuser().username();
        try (Connection c = ctx.jdbc().open(ROLE_STATEMENT_TIMEOUT)) {
            Credentials replication = pg.replication();
            if (!replication.username().equals(superuser)) {
                Roles.createOrUpdate(
                        c, replication.username(), replication.password(), List.of("REPLICATION", "LOGIN"));
            }
            Optional<Credentials> rewind = pg.rewind().filter(r -> !r.username().equals(superuser));
            if (rewind.isPresent()) {
                Roles.createOrUpdate(c, rewind.get().username(), rewind.get().password(), List.of("LOGIN"));
                Roles.grantRewind(c, rewind.get().username());
            }
        }
    }

    /**
     * Runs the script with a connection string as its last argument, as Patroni does: the superuser with its TLS and
     * GSS options; the password comes from the pgpass file named in {@code PGPASSFILE} (the string names no
     * passfile, as Patroni's does not), an {@code sslpassword} from the service file.
     */
    private void postBootstrap() throws PostgresException {
        Optional<String> script = ctx.setup().bootstrap().postBootstrap().filter(s -> !s.isBlank());
        if (script.isEmpty()) {
            return;
        }
        ToolLogin login = ctx.files().toolLogin(Login.superuser(ctx.setup().postgresql()));
        ConnInfo dsn = login.conninfo()
                .without("passfile")
                .with("dbname", "postgres")
                .with("host", ctx.jdbc().address().host())
                .with("port", Integer.toString(ctx.jdbc().address().port()))
                .inPatroniOrder(ctx.versionNum());
        List<String> args = new ArrayList<>(CommandLine.split(script.get()));
        args.add(dsn.render());
        ctx.tools()
                .runner()
                .run(login.environment(
                        Command.of("post_bootstrap", ctx.options().postBootstrapTimeout(), args)
                                .withEnv("PGPASSFILE", ctx.files().pgpass().toString())))
                .orThrow();
    }

    private PostgresException failed(String step, Exception cause) {
        DataDirectory dir = ctx.dir();
        try {
            ctx.tools().stop(dir, StopMode.IMMEDIATE, ctx.options().stopTimeout());
        } catch (PostgresException e) {
            LOG.warn("bootstrap failed and stopping PostgreSQL failed too: {}", e.getMessage());
        }
        String where;
        try {
            where = dir.moveAside(ctx.options().clock())
                    .map(p -> "; the data directory was moved to " + p)
                    .orElse("");
        } catch (IOException e) {
            where = "; moving the data directory aside failed too: " + e.getMessage();
        }
        return new PostgresException("bootstrap failed while " + step + ": " + cause.getMessage() + where, cause);
    }
}
