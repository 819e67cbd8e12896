package org.bellwether.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.bellwether.config.PostgresConfig;
import org.bellwether.core.HaSettings;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.PendingRestart;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.LeaderTimeline;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.Upstream;
import org.bellwether.core.slots.SlotChange;
import org.bellwether.core.slots.SlotHorizons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's PostgreSQL, run with its own programs (pg_ctl, initdb, pg_basebackup) and observed over JDBC.
 *
 * <p>Cluster-wide settings that are not server parameters ({@code use_slots}, {@code use_pg_rewind}) are read from
 * {@code settings}, the latest dynamic configuration the agent knows. The configuration directory is the data
 * directory ({@code postgresql.config_dir} elsewhere is refused).
 */
public final class LocalPostgresNode implements PostgresNode, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgresNode.class);
    private static final Duration SETTING_TIMEOUT = Duration.ofSeconds(10);
    /** PostgreSQL 13 re-reads primary_conninfo and primary_slot_name on reload; older servers need a restart. */
    private static final int RELOADS_PRIMARY_CONNINFO = 130000;
    /** An immediate checkpoint writes every dirty buffer: allow it time on a busy server. */
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(10);

    /** Replaced whole when the local configuration is read again ({@link #useSetup}); everything else stays. */
    private volatile NodeContext ctx;

    private final ServerQuery query;
    private final PendingRestartQuery pendingQuery;
    /** The role the configuration files were last written for, so a reload rewrites them for the same role. */
    private volatile boolean lastAsReplica;

    private volatile Optional<Upstream> lastUpstream = Optional.empty();
    private volatile boolean roleWritten;
    /** The cluster parameters of the last start, so a later rewrite (follow) keeps them. */
    private volatile SortedMap<String, Object> lastClusterParameters;

    private final AtomicBoolean checkpointRunning = new AtomicBoolean();
    private final SlotAdvancer advancer;

    private LocalPostgresNode(NodeContext ctx) {
        this.ctx = ctx;
        this.query = new ServerQuery(ctx.jdbc());
        this.pendingQuery = new PendingRestartQuery(ctx.jdbc());
        this.advancer = new SlotAdvancer(ctx.jdbc());
    }

    /**
     * @param commandWrapper applied to every command line: identity in production; tests run PostgreSQL's programs as
     *     the postgres user with it
     */
    public static LocalPostgresNode create(
            PostgresSetup setup,
            Supplier<HaSettings> settings,
            NodeOptions options,
            UnaryOperator<List<String>> commandWrapper)
            throws PostgresException {
        PostgresConfig pg = setup.postgresql();
        DataDirectory dir = new DataDirectory(pg.dataDir());
        if (pg.configDir().isPresent()
                && !pg.configDir().get().toAbsolutePath().normalize().equals(dir.path())) {
            throw new PostgresException(
                    "postgresql.config_dir " + pg.configDir().get()
                            + " differs from the data directory; Bellwether keeps the configuration in the data directory");
        }
        PgTools tools = new PgTools(BinDirs.find(pg.binDir(), dir.majorVersion()), new ProcessRunner(commandWrapper));
        Jdbc jdbc = new Jdbc(pg.localAddress(), pg.superuser());
        return new LocalPostgresNode(
                new NodeContext(setup, dir, tools, new NodeFiles(setup, dir), jdbc, options, settings));
    }

    /** For production: commands run as they are, with default time limits. */
    public static LocalPostgresNode create(PostgresSetup setup, Supplier<HaSettings> settings)
            throws PostgresException {
        return create(setup, settings, NodeOptions.defaults(), UnaryOperator.identity());
    }

    @Override
    public LocalPostgres observe() {
        try {
            boolean initialized = ctx.dir().isInitialized();
            boolean alive = ctx.dir().livePostmaster().isPresent();
            Optional<ServerQuery.Snapshot> server = alive ? query.query() : Optional.empty();
            if (!alive) {
                query.close();
            }
            Optional<ControlData> control = initialized ? controlData() : Optional.empty();
            boolean backupLabel = Files.exists(ctx.dir().resolve("backup_label"));
            LocalPostgres local = Observations.compose(initialized, alive, control, backupLabel, server);
            if (local.isReplica() && server.get().receivedTimeline().isEmpty()) {
                local = local.withTimeline(replayTimeline().or(local::timeline));
            }
            return local.isPrimary() ? local.withTimelineHistory(timelineHistory(local)) : local;
        } catch (RuntimeException e) {
            // Unknown is reported as "starting": a decider never bootstraps or clones over a node in that state.
            LOG.warn("observing PostgreSQL in {} failed unexpectedly", ctx.dir().path(), e);
            return Observations.compose(true, true, Optional.empty(), Optional.empty());
        }
    }

    @Override
    public String bootstrap(SortedMap<String, Object> clusterParameters) throws PostgresException {
        lastClusterParameters = new TreeMap<>(clusterParameters);
        String systemId = new Bootstrap(ctx).run(clusterParameters);
        LOG.info(
                "bootstrapped a new cluster in {}, system identifier {}",
                ctx.dir().path(),
                systemId);
        return systemId;
    }

    @Override
    public void cloneFrom(Upstream source) throws PostgresException {
        new Clone(ctx).run(source, clusterParameters());
        LOG.info("cloned {} from {} at {}", ctx.dir().path(), source.member(), source.address());
    }

    @Override
    public void start(boolean asReplica, Optional<Upstream> upstream, SortedMap<String, Object> clusterParameters)
            throws PostgresException {
        if (!ctx.dir().isInitialized()) {
            throw new PostgresException("start: " + ctx.dir().path() + " holds no cluster (no PG_VERSION)");
        }
        Optional<ProcessHandle> running = ctx.dir().livePostmaster();
        if (running.isPresent()) {
            throw new PostgresException("start: PostgreSQL in " + ctx.dir().path() + " already runs (pid "
                    + running.get().pid() + ")");
        }
        lastClusterParameters = new TreeMap<>(clusterParameters);
        writeFiles(asReplica, upstream, clusterParameters);
        ctx.startAndWait();
        LOG.info("started PostgreSQL in {} as {}", ctx.dir().path(), describe(asReplica, upstream));
    }

    @Override
    public void start(
            boolean asReplica,
            Optional<Upstream> upstream,
            SortedMap<String, Object> clusterParameters,
            Duration waitAtMost)
            throws PostgresException {
        if (!ctx.dir().isInitialized() || ctx.dir().livePostmaster().isPresent()) {
            start(asReplica, upstream, clusterParameters);
            return;
        }
        lastClusterParameters = new TreeMap<>(clusterParameters);
        writeFiles(asReplica, upstream, clusterParameters);
        try {
            ctx.startAndWait(waitAtMost);
        } catch (PostgresException e) {
            // It may still be replaying WAL and come up later as a primary beside the one that replaces it.
            ctx.tools().stop(ctx.dir(), StopMode.IMMEDIATE, ctx.options().stopTimeout());
            throw new PostgresException(
                    "PostgreSQL in " + ctx.dir().path() + " did not start within " + waitAtMost.toSeconds()
                            + " s and was stopped: " + e.getMessage(),
                    e);
        }
        LOG.info("started PostgreSQL in {} as {}", ctx.dir().path(), describe(asReplica, upstream));
    }

    @Override
    public void stop(StopMode mode) throws PostgresException {
        advancer.clear();
        try {
            ctx.tools().stop(ctx.dir(), mode, ctx.options().stopTimeout());
        } finally {
            query.close();
        }
    }

    @Override
    public void promote() throws PostgresException {
        // Once promoted, the slots are the consumers' own: the old primary's positions no longer move them.
        advancer.clear();
        ctx.tools().promote(ctx.dir(), ctx.options().promoteTimeout());
        awaitPrimary();
        LOG.info("promoted PostgreSQL in {}", ctx.dir().path());
    }

    @Override
    public void follow(Upstream upstream) throws PostgresException {
        if (ctx.dir().livePostmaster().isEmpty()) {
            throw new PostgresException("follow " + upstream.member() + ": PostgreSQL in "
                    + ctx.dir().path() + " is not running; start it as a replica instead");
        }
        SortedMap<String, Object> parameters = clusterParameters();
        writeFiles(true, Optional.of(upstream), parameters);
        if (ctx.files().serverVersionNum() >= RELOADS_PRIMARY_CONNINFO) {
            ctx.tools().reload(ctx.dir());
        } else {
            stop(StopMode.FAST);
            ctx.startAndWait();
        }
        LOG.info("PostgreSQL in {} now follows {} at {}", ctx.dir().path(), upstream.member(), upstream.address());
    }

    @Override
    public void changeSlots(List<SlotChange> changes) throws PostgresException {
        if (changes.isEmpty()) {
            return;
        }
        try {
            List<String> failed = new ReplicationSlots(ctx.jdbc(), advancer).change(changes);
            if (!failed.isEmpty()) {
                LOG.warn(
                        "{} of {} replication slot changes failed: {}",
                        failed.size(),
                        changes.size(),
                        String.join("; ", failed));
            }
        } catch (SQLException e) {
            throw new PostgresException("changing replication slots: " + e.getMessage(), e);
        }
    }

    @Override
    public void copyLogicalSlots(Upstream source, List<String> names) throws PostgresException {
        LogicalSlotCopy copy = new LogicalSlotCopy(ctx);
        List<LogicalSlotCopy.Slot> found = copy.read(source, names);
        Optional<Lsn> oldest = copy.oldestLocalWal();
        List<LogicalSlotCopy.Slot> slots = found.stream()
                .filter(s -> oldest.map(o -> !o.isAfter(s.restart())).orElse(true))
                .toList();
        found.stream()
                .filter(s -> !slots.contains(s))
                .forEach(s -> LOG.info(
                        "logical slot {} not copied yet: it needs WAL from {}, and this replica's oldest is {}; it is"
                                + " copied once its consumer has moved it on",
                        s.name(),
                        s.restart(),
                        oldest.orElseThrow()));
        if (slots.isEmpty()) {
            LOG.info("{} has none of the logical slots {} to copy now", source.member(), names);
            return;
        }
        stop(StopMode.FAST);
        copy.write(slots);
        LOG.info(
                "copied logical slots {} from {}; starting PostgreSQL again",
                slots.stream().map(LogicalSlotCopy.Slot::describe).toList(),
                source.member());
        start(true, Optional.of(source), clusterParameters());
    }

    @Override
    public Optional<SlotHorizons> leaderSlotHorizons(Upstream leader, String ownSlot, List<String> logicalSlots) {
        return LeaderSlots.horizons(leader, ctx.leaderSlotUser(), ctx.files().database(), ownSlot, logicalSlots);
    }

    @Override
    public Optional<Lsn> checkpointLsn() {
        return controlData().map(ControlData::latestCheckpoint);
    }

    @Override
    public LeaderTimeline leaderTimeline(Upstream leader) {
        return LeaderTimelines.read(leader, ctx.setup().postgresql().replication());
    }

    @Override
    public void requestCheckpoint() {
        if (!checkpointRunning.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(
                () -> {
                    try (Connection c = ctx.jdbc().open(CHECKPOINT_TIMEOUT);
                            Statement st = c.createStatement()) {
                        st.execute("CHECKPOINT");
                        LOG.info(
                                "CHECKPOINT after promotion done in {}",
                                ctx.dir().path());
                    } catch (SQLException e) {
                        LOG.warn(
                                "CHECKPOINT in {} failed (will be asked again): {}",
                                ctx.dir().path(),
                                e.getMessage());
                    } finally {
                        checkpointRunning.set(false);
                    }
                },
                "postgres-checkpoint");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void crashRecovery() throws PostgresException {
        new Rejoins(ctx).crashRecovery();
    }

    @Override
    public void rewind(Upstream source) throws PostgresException {
        query.close();
        new Rejoins(ctx).rewind(source, clusterParameters());
    }

    @Override
    public void reinitialize(Upstream source) throws PostgresException {
        query.close();
        new Rejoins(ctx).reinitialize(source, clusterParameters());
    }

    /**
     * Without a WAL receiver, SQL only offers the last restartpoint's timeline, which lags after a timeline switch
     * (and after pg_rewind); a divergence check on it would see a fork that is not there. The server's own walsender
     * knows the timeline it replays; asked only while the replica does not stream.
     */
    private Optional<Timeline> replayTimeline() {
        try {
            Upstream self = new Upstream(ctx.setup().name(), ctx.jdbc().address());
            return Optional.of(
                    LeaderTimelines.timeline(self, ctx.setup().postgresql().replication()));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("asking the local walsender for the replayed timeline: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** This primary's timeline history from its history file; empty on timeline 1 or when it cannot be read. */
    private List<HistoryEntry> timelineHistory(LocalPostgres local) {
        if (local.timeline().isEmpty()) {
            return List.of();
        }
        try {
            return TimelineHistoryFile.read(ctx.dir(), local.timeline().get());
        } catch (IOException | RuntimeException e) {
            LOG.warn("reading the timeline history of {}: {}", ctx.dir().path(), e.getMessage());
            return List.of();
        }
    }

    /** pg_controldata of this data directory, or empty when it cannot be read. */
    public Optional<ControlData> controlData() {
        try {
            return Optional.of(ctx.tools().controlData(ctx.dir()));
        } catch (PostgresException e) {
            LOG.debug("{}", e.getMessage());
            return Optional.empty();
        }
    }

    /** The pgpass file the tools and the WAL receiver read. */
    public java.nio.file.Path pgpass() {
        return ctx.files().pgpass();
    }

    @Override
    public void reload(SortedMap<String, Object> clusterParameters) throws PostgresException {
        boolean asReplica = roleWritten ? lastAsReplica : Files.exists(ctx.dir().resolve(ConfigFiles.STANDBY_SIGNAL));
        Optional<Upstream> upstream =
                roleWritten ? lastUpstream : observe().upstream().map(address -> new Upstream("upstream", address));
        lastClusterParameters = new TreeMap<>(clusterParameters);
        writeFiles(asReplica, upstream, clusterParameters);
        if (ctx.dir().livePostmaster().isPresent()) {
            ctx.tools().reload(ctx.dir());
            LOG.info("reloaded the configuration of PostgreSQL in {}", ctx.dir().path());
        }
    }

    /**
     * ALTER SYSTEM rather than postgresql.conf: the agent rewrites that file on every start, follow and reload, and a
     * value lost there, even for a moment, would let the primary acknowledge commits no standby has.
     */
    @Override
    public void setSynchronousStandbyNames(Optional<String> value) throws PostgresException {
        String statement = value.map(
                        v -> "ALTER SYSTEM SET synchronous_standby_names TO '" + v.replace("'", "''") + "'")
                .orElse("ALTER SYSTEM RESET synchronous_standby_names");
        try (Connection c = ctx.jdbc().open(SETTING_TIMEOUT);
                Statement st = c.createStatement()) {
            st.execute(statement);
            st.execute("SELECT pg_catalog.pg_reload_conf()");
            LOG.info(
                    "synchronous_standby_names is now {}",
                    value.map(v -> "'" + v + "'").orElse("the configured value"));
            nudgeStandbys(c);
        } catch (SQLException e) {
            throw new PostgresException(
                    "setting synchronous_standby_names to "
                            + value.map(v -> "'" + v + "'").orElse("the configured value") + ": " + e.getMessage(),
                    e);
        }
    }

    /** The setting is in place either way: a nudge that fails only leaves waiting commits to the next WAL. */
    private static void nudgeStandbys(Connection c) {
        try {
            StandbyNudge.afterReload(c);
        } catch (SQLException e) {
            LOG.warn("could not write WAL for the standbys to acknowledge: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<ParameterCheck.Problem> checkParameters(Map<String, ?> parameters) throws PostgresException {
        return new ParameterCheck(ctx.tools().binDir(), ctx.tools().runner()).check(parameters);
    }

    @Override
    public PendingRestart pendingRestart() {
        if (ctx.dir().livePostmaster().isEmpty()) {
            pendingQuery.close();
            return PendingRestart.NONE;
        }
        return pendingQuery.query();
    }

    @Override
    public void removeDataDirectory() throws PostgresException {
        Optional<ProcessHandle> running = ctx.dir().livePostmaster();
        if (running.isPresent()) {
            throw new PostgresException("remove " + ctx.dir().path() + ": PostgreSQL still runs (pid "
                    + running.get().pid() + ")");
        }
        query.close();
        pendingQuery.close();
        try {
            ctx.dir().delete();
        } catch (IOException e) {
            throw new PostgresException("removing " + ctx.dir().path() + ": " + e.getMessage(), e);
        }
        LOG.info("removed the data directory {}", ctx.dir().path());
    }

    /**
     * Uses a newly read local configuration from now on (a reload): its parameters and pg_hba lines go into the next
     * files written. The data directory, programs and connection settings stay those of the start.
     */
    public void useSetup(PostgresSetup next) {
        NodeContext current = ctx;
        ctx = new NodeContext(
                next,
                current.dir(),
                current.tools(),
                new NodeFiles(next, current.dir()),
                current.jdbc(),
                current.options(),
                current.settings());
    }

    @Override
    public void close() {
        query.close();
        pendingQuery.close();
        advancer.close();
    }

    private void writeFiles(boolean asReplica, Optional<Upstream> upstream, Map<String, Object> clusterParameters)
            throws PostgresException {
        lastAsReplica = asReplica;
        lastUpstream = upstream;
        roleWritten = true;
        try {
            ctx.files().writePgpass();
        } catch (IOException e) {
            throw new PostgresException("writing " + ctx.files().pgpass() + ": " + e.getMessage(), e);
        }
        Optional<ConfigFiles.Standby> standby =
                asReplica ? Optional.of(ctx.files().standby(upstream, ctx.useSlots())) : Optional.empty();
        ctx.files().write(standby, clusterParameters, ctx.pgHba(), ctx.usePgRewind());
    }

    /** pg_ctl promote -w waits for the control file; wait until a session also sees the end of recovery. */
    private void awaitPrimary() throws PostgresException {
        long deadline = System.nanoTime() + ctx.options().promoteTimeout().toNanos();
        String last = "timed out";
        while (System.nanoTime() < deadline) {
            try (Connection c = ctx.jdbc().open();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_is_in_recovery()")) {
                if (rs.next() && !rs.getBoolean(1)) {
                    return;
                }
                last = "still in recovery";
            } catch (SQLException e) {
                last = e.getMessage();
            }
            NodeContext.sleep(Duration.ofMillis(100));
        }
        throw new PostgresException("promote: PostgreSQL in " + ctx.dir().path() + " did not leave recovery: " + last);
    }

    /** The parameters of the last start, else the cluster-wide ones the agent last read from the DCS. */
    private SortedMap<String, Object> clusterParameters() {
        SortedMap<String, Object> last = lastClusterParameters;
        return last != null ? last : new TreeMap<>(ctx.settings().get().postgresqlParameters());
    }

    private static String describe(boolean asReplica, Optional<Upstream> upstream) {
        if (!asReplica) {
            return "a primary";
        }
        return upstream.map(u -> "a replica of " + u.member() + " at " + u.address())
                .orElse("a replica without upstream");
    }
}
