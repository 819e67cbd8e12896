package org.bellwether.postgres;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Upstream;
import org.bellwether.postgres.ProcessRunner.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ways back onto the leader's history, carried out as told: crash recovery in single-user mode, pg_rewind, and
 * re-cloning. Which one, and when, the HA decision chooses.
 */
final class Rejoins {
    private static final Logger LOG = LoggerFactory.getLogger(Rejoins.class);

    private final NodeContext ctx;

    Rejoins(NodeContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Replays the local WAL in single-user mode and stops, leaving a clean shutdown (Patroni's
     * {@code ensure_clean_shutdown}). Recovery signal files are removed first so this is crash recovery, never archive
     * recovery: it must not fetch or invent anything, only finish what this node itself wrote. Archiving is switched
     * to a command that fails, so no WAL of a forked history reaches the archive.
     */
    void crashRecovery() throws PostgresException {
        DataDirectory dir = ctx.dir();
        if (dir.livePostmaster().isPresent()) {
            throw new PostgresException("crash recovery: PostgreSQL in " + dir.path() + " is running");
        }
        try {
            dir.deleteIfExists(ConfigFiles.STANDBY_SIGNAL);
            dir.deleteIfExists(ConfigFiles.RECOVERY_SIGNAL);
        } catch (IOException e) {
            throw new PostgresException(
                    "crash recovery: removing the recovery signal files in " + dir.path() + ": " + e.getMessage(), e);
        }
        List<String> args = List.of(
                ctx.tools().program("postgres"),
                "--single",
                "-D",
                dir.path().toString(),
                "-c",
                "archive_mode=on",
                "-c",
                "archive_command=false",
                "template1");
        // The runner gives the child /dev/null as standard input: the backend reads end of input and shuts down.
        ctx.tools()
                .runner()
                .run(Command.of(
                        "crash recovery (postgres --single)", ctx.options().startTimeout(), args))
                .orThrow();
        ControlData control = ctx.tools().controlData(dir);
        if (!control.cleanlyShutDown()) {
            throw new PostgresException("crash recovery of " + dir.path() + " ended with cluster state '"
                    + control.clusterState() + "' instead of a clean shutdown");
        }
        LOG.info("crash recovery of {} done: {}", dir.path(), control.clusterState());
    }

    /**
     * Stops PostgreSQL if it runs, rewinds the data directory onto {@code source}'s timeline with pg_rewind, and
     * writes the configuration of a replica following {@code source} (pg_rewind copies the source's configuration
     * files, which name the source's port and role). Uses the rewind credentials (PostgreSQL 11 and later), else the
     * superuser's, through the pgpass file.
     */
    void rewind(Upstream source, Map<String, Object> clusterParameters) throws PostgresException {
        DataDirectory dir = ctx.dir();
        ctx.tools().stop(dir, StopMode.FAST, ctx.options().stopTimeout());
        ControlData control = ctx.tools().controlData(dir);
        if (!control.cleanlyShutDown()) {
            throw new PostgresException("pg_rewind needs a clean shutdown but " + dir.path() + " is '"
                    + control.clusterState() + "': run crash recovery first");
        }
        try {
            ctx.files().writePgpass();
        } catch (IOException e) {
            throw new PostgresException("writing " + ctx.files().pgpass() + ": " + e.getMessage(), e);
        }
        // pg_rewind empties pg_replslot (PostgreSQL 14 and later). Physical slots are put back afterwards: one kept
        // for a WAL archive or an external standby is not Bellwether's to drop. Logical ones are not: decoding from a
        // history that was rewound away could hand their consumers changes that never happened.
        SortedMap<String, byte[]> physicalSlots = readSlots(dir);
        ToolLogin login = ctx.files().toolLogin(Login.rewind(ctx.setup().postgresql()));
        ctx.tools()
                .runner()
                .run(login.environment(Command.of(
                                "pg_rewind from " + source.member() + " at " + source.address(),
                                // Copies every block changed since the fork: as slow as a partial clone can be.
                                ctx.options().basebackupTimeout(),
                                pgRewind(source, login))
                        .withEnv("PGOPTIONS", "-c statement_timeout=0")))
                .orThrow();
        ctx.files()
                .write(
                        Optional.of(ctx.files().standby(Optional.of(source), ctx.useSlots())),
                        clusterParameters,
                        ctx.pgHba(),
                        ctx.usePgRewind());
        restoreSlots(dir, physicalSlots);
        LOG.info("rewound {} onto the history of {}", dir.path(), source.member());
    }

    private static SortedMap<String, byte[]> readSlots(DataDirectory dir) throws PostgresException {
        try {
            return SlotFiles.readPhysical(dir);
        } catch (IOException e) {
            throw new PostgresException("reading the replication slots in " + dir.path() + ": " + e.getMessage(), e);
        }
    }

    private static void restoreSlots(DataDirectory dir, SortedMap<String, byte[]> slots) throws PostgresException {
        SortedMap<String, byte[]> missing = new java.util.TreeMap<>(slots);
        missing.keySet()
                .removeIf(name ->
                        java.nio.file.Files.exists(dir.resolve("pg_replslot").resolve(name)));
        if (missing.isEmpty()) {
            return;
        }
        try {
            SlotFiles.write(dir, missing);
            LOG.info("put back the physical replication slots {} that pg_rewind removed", missing.keySet());
        } catch (IOException e) {
            throw new PostgresException(
                    "putting back the replication slots " + missing.keySet() + " in " + dir.path() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Stops PostgreSQL if it runs, removes the data directory, and clones it again from {@code source}. */
    void reinitialize(Upstream source, Map<String, Object> clusterParameters) throws PostgresException {
        DataDirectory dir = ctx.dir();
        ctx.tools().stop(dir, StopMode.IMMEDIATE, ctx.options().stopTimeout());
        try {
            dir.delete();
        } catch (IOException e) {
            throw new PostgresException("reinitialize: removing " + dir.path() + ": " + e.getMessage(), e);
        }
        LOG.warn("removed the data directory {} to clone it again from {}", dir.path(), source.member());
        new Clone(ctx).run(source, clusterParameters);
    }

    /**
     * Patroni's {@code --source-server}: the rewind user's login and options (the superuser's without a rewind
     * user).
     */
    private List<String> pgRewind(Upstream source, ToolLogin login) throws PostgresException {
        ConnInfo conninfo = login.conninfo()
                .with("host", source.address().host())
                .with("port", Integer.toString(source.address().port()))
                .with("dbname", "postgres")
                // Rewinding from a node that is no longer the primary would copy a history that is not the cluster's.
                .with("target_session_attrs", "read-write")
                .inPatroniOrder(ctx.versionNum());
        List<String> args = new ArrayList<>(List.of(
                ctx.tools().program("pg_rewind"),
                "-D",
                ctx.dir().path().toString(),
                "--source-server=" + conninfo.render()));
        return args;
    }
}
