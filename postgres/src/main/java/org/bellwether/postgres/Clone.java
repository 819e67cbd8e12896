package org.bellwether.postgres;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.config.PostgresConfig;
import org.bellwether.core.ha.Upstream;
import org.bellwether.postgres.ProcessRunner.Command;

/**
 * Fills an empty data directory from a running member with pg_basebackup over a replication connection, then writes
 * the files of a replica following that member. A failure leaves no data directory behind: half a copy is worth
 * nothing, and an empty directory is what the next attempt needs.
 */
final class Clone {
    private final NodeContext ctx;

    Clone(NodeContext ctx) {
        this.ctx = ctx;
    }

    void run(Upstream source, Map<String, Object> clusterParameters) throws PostgresException {
        DataDirectory dir = ctx.dir();
        if (!dir.isMissingOrEmpty()) {
            throw new PostgresException("clone from " + source.member() + ": data directory " + dir.path()
                    + " is not empty; refusing to overwrite it");
        }
        try {
            ctx.tools().createDirectory(dir);
            ctx.files().writePgpass();
            ToolLogin login =
                    ctx.files().toolLogin(Login.replication(ctx.setup().postgresql()));
            ctx.tools()
                    .runner()
                    .run(login.environment(Command.of(
                            "pg_basebackup from " + source.member() + " at " + source.address(),
                            ctx.options().basebackupTimeout(),
                            basebackup(source, login))))
                    .orThrow();
            ctx.files()
                    .write(
                            Optional.of(ctx.files().standby(Optional.of(source), ctx.useSlots())),
                            clusterParameters,
                            ctx.pgHba(),
                            ctx.usePgRewind());
        } catch (PostgresException | IOException | RuntimeException e) {
            String cleanup = "";
            try {
                dir.delete();
            } catch (IOException d) {
                cleanup = "; removing the partial copy failed too: " + d.getMessage();
            }
            throw new PostgresException("clone from " + source.member() + " failed: " + e.getMessage() + cleanup, e);
        }
    }

    /** Patroni's connection string for pg_basebackup: the replication user's login and options. */
    private List<String> basebackup(Upstream source, ToolLogin login) throws PostgresException {
        PostgresConfig pg = ctx.setup().postgresql();
        ConnInfo conninfo = login.conninfo()
                .with("host", source.address().host())
                .with("port", Integer.toString(source.address().port()))
                .inPatroniOrder(ctx.versionNum());
        List<String> args = new ArrayList<>(List.of(
                ctx.tools().program("pg_basebackup"),
                "--pgdata=" + ctx.dir().path(),
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-password",
                "--dbname=" + conninfo.render()));
        args.addAll(LongOptions.render("pg_basebackup", pg.basebackup(), LongOptions.BASEBACKUP_RESERVED));
        return args;
    }
}
