package org.bellwether.agent.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bellwether.core.Lsn;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.LocalPostgres.RunState;
import org.bellwether.core.ha.Upstream;
import org.bellwether.core.slots.ExistingSlot;
import org.bellwether.postgres.PostgresException;
import org.bellwether.postgres.PostgresNode;

/**
 * One PostgreSQL server and its data directory. It outlives agent restarts (a killed agent leaves it running) and
 * dies only with a crash. Long calls do not block: inside a {@link SimOperations} body they are recorded as timed
 * {@link OpStep}s that the operation plays out in simulated time.
 *
 * <p>WAL is a position on an {@link Incarnation} (a real history, finer than PostgreSQL's timeline numbers).
 * {@link #immediateShutdown} is what the fencing guard does to it.
 */
final class SimPostgres implements PostgresNode {
    static final long INITIAL_LSN = 0x3000028L;

    private final SimWorld world;
    private final String name;
    private final SplittableRandom rng;
    private SimNode node;

    private boolean initialized;
    private String systemId;
    private Incarnation history;
    private long flush;
    private long replay;
    private String controlState = "";

    private RunState runState = RunState.STOPPED;
    private boolean inRecovery;
    private boolean shuttingDown;
    private boolean promoting;
    private int epoch;
    private Optional<Upstream> upstream = Optional.empty();
    private boolean streaming;
    private long lastTickFlush;
    private List<OpStep> recording;
    /** synchronous_standby_names, kept in the data directory (postgresql.auto.conf) and copied by a clone. */
    private SyncStandbys syncStandbys = SyncStandbys.NONE;

    SimPostgres(SimWorld world, String name, SplittableRandom rng) {
        this.world = world;
        this.name = name;
        this.rng = rng;
    }

    void attach(SimNode owner) {
        this.node = owner;
    }

    /** The node's replication slots by name. */
    private final java.util.SortedMap<String, ExistingSlot> slots = new java.util.TreeMap<>();

    // ---- the PostgresNode port, as the agent sees it

    @Override
    public LocalPostgres observe() {
        node.sync();
        LocalPostgres seen = snapshot();
        node.spend(SimTime.between(rng, SimTime.MS, 4 * SimTime.MS));
        return seen;
    }

    private LocalPostgres snapshot() {
        if (!initialized) {
            return LocalPostgres.emptyDataDirectory();
        }
        // A postmaster that is shutting down refuses the agent's connection: observed as STARTING, as the port says.
        boolean running = runState == RunState.RUNNING && !shuttingDown;
        RunState seen = runState == RunState.RUNNING && shuttingDown ? RunState.STARTING : runState;
        boolean replica = running && inRecovery;
        LocalPostgres seenNow = new LocalPostgres(
                LocalPostgres.DataDirectory.INITIALIZED,
                seen,
                running && inRecovery,
                Optional.of(systemId),
                Optional.of(new Timeline(history.timeline())),
                running && !inRecovery ? Optional.of(new Lsn(flush)) : Optional.empty(),
                replica ? Optional.of(new Lsn(flush)) : Optional.empty(),
                replica ? Optional.of(new Lsn(replay)) : Optional.empty(),
                replica && streaming,
                replica ? upstream.map(Upstream::address) : Optional.empty(),
                running && !inRecovery ? syncStandbys.rows(this, world) : List.of(),
                Optional.of(controlState),
                Optional.of(160004),
                Optional.empty());
        return running
                ? seenNow.withStandbyNames(syncStandbys.observed()).withSlots(List.copyOf(slots.values()))
                : seenNow;
    }

    @Override
    public String bootstrap(SortedMap<String, Object> clusterParameters) {
        String id = "7" + String.format("%018d", rng.nextLong(1_000_000_000_000_000_000L));
        record("initdb", SimTime.between(rng, SimTime.seconds(1.5), SimTime.seconds(4)), () -> {}, () -> {
            if (initialized) {
                return fail("initdb: data directory is not empty");
            }
            initialized = true;
            systemId = id;
            history = Incarnation.first(world.nextIncarnationId(), id, INITIAL_LSN, name);
            flush = INITIAL_LSN;
            replay = INITIAL_LSN;
            lastTickFlush = INITIAL_LSN;
            becomeRunning(false, Optional.empty());
            return Optional.empty();
        });
        return id;
    }

    @Override
    public void cloneFrom(Upstream source) {
        record(
                "pg_basebackup from " + source.member(),
                SimTime.between(rng, SimTime.seconds(2), SimTime.seconds(6)),
                () -> {},
                () -> {
                    SimPostgres from = world.postgresOf(source.member());
                    if (from == null || !from.canServe(name)) {
                        return fail("pg_basebackup: could not connect to " + source.member());
                    }
                    if (initialized) {
                        return fail("pg_basebackup: data directory is not empty");
                    }
                    initialized = true;
                    systemId = from.systemId;
                    history = from.history;
                    flush = from.flush;
                    replay = from.flush;
                    lastTickFlush = from.flush;
                    syncStandbys = from.syncStandbys;
                    slots.clear(); // pg_basebackup copies no slots
                    inRecovery = true;
                    controlState = "in archive recovery";
                    return Optional.empty();
                });
    }

    @Override
    public void start(boolean asReplica, Optional<Upstream> upstreamToFollow, SortedMap<String, Object> parameters) {
        boolean unclean = controlState.equals("in production") || controlState.equals("in archive recovery");
        long recovery = unclean ? SimTime.between(rng, SimTime.seconds(0.5), SimTime.seconds(3)) : 0;
        long duration = SimTime.between(rng, SimTime.seconds(0.5), SimTime.seconds(2)) + recovery;
        record(
                asReplica ? "start as replica" : "start as primary",
                duration,
                () -> {
                    if (initialized && runState == RunState.STOPPED) {
                        runState = RunState.STARTING;
                    }
                },
                () -> {
                    if (!initialized) {
                        return fail("pg_ctl start: no data directory");
                    }
                    if (runState == RunState.RUNNING) {
                        return fail("pg_ctl start: another server might be running");
                    }
                    if (runState != RunState.STARTING) {
                        return fail("pg_ctl start: the server was stopped while starting");
                    }
                    becomeRunning(asReplica, upstreamToFollow);
                    return Optional.empty();
                });
    }

    @Override
    public void stop(StopMode mode) {
        long duration = mode == StopMode.FAST
                ? SimTime.between(rng, SimTime.seconds(0.3), SimTime.seconds(1.5))
                : SimTime.between(rng, 50 * SimTime.MS, 300 * SimTime.MS);
        OpStep step = new OpStep(
                this,
                "stop " + mode.name().toLowerCase(java.util.Locale.ROOT),
                duration,
                () -> shuttingDown = runState != RunState.STOPPED,
                () -> {
                    if (runState != RunState.STOPPED) {
                        boolean clean = mode == StopMode.FAST;
                        controlState = inRecovery
                                ? (clean ? "shut down in recovery" : "in archive recovery")
                                : (clean ? "shut down" : "in production");
                        halt();
                    }
                    return Optional.empty();
                },
                false);
        record(step);
    }

    @Override
    public void promote() {
        record(
                "promote",
                SimTime.between(rng, SimTime.seconds(0.3), SimTime.seconds(1.5)),
                () -> promoting = true,
                () -> {
                    promoting = false;
                    if (runState != RunState.RUNNING || !inRecovery || shuttingDown) {
                        return fail("pg_ctl promote: not a running replica");
                    }
                    replay = flush;
                    Incarnation before = history;
                    history = history.branch(world.nextIncarnationId(), flush, name);
                    inRecovery = false;
                    upstream = Optional.empty();
                    streaming = false;
                    controlState = "in production";
                    world.checkers().promoted(this, before);
                    return Optional.empty();
                });
    }

    @Override
    public void follow(Upstream target) throws PostgresException {
        node.actingNow();
        node.sync();
        node.spend(SimTime.between(rng, 2 * SimTime.MS, 10 * SimTime.MS));
        if (runState != RunState.RUNNING || !inRecovery) {
            throw new PostgresException("follow " + target.member() + ": not a running replica");
        }
        upstream = Optional.of(target);
        streaming = false;
    }

    @Override
    public void changeSlots(List<org.bellwether.core.slots.SlotChange> changes) throws PostgresException {
        node.actingNow();
        node.sync();
        node.spend(SimTime.MS);
        if (runState != RunState.RUNNING || shuttingDown) {
            throw new PostgresException("replication slots: PostgreSQL is not running");
        }
        // Physical slots only, as the simulated clusters configure no logical ones: made at the current position,
        // advanced by hand, dropped when asked; promotion and restarts keep them, a new clone has none.
        Lsn here = new Lsn(inRecovery ? replay : flush);
        for (var change : changes) {
            if (change instanceof org.bellwether.core.slots.SlotChange.Create create) {
                slots.putIfAbsent(create.name(), ExistingSlot.physical(create.name(), false, Optional.of(here)));
            } else if (change instanceof org.bellwether.core.slots.SlotChange.Drop drop) {
                slots.remove(drop.name());
            } else if (change instanceof org.bellwether.core.slots.SlotChange.Advance advance) {
                Lsn to = advance.to().isAfter(here) ? here : advance.to();
                slots.computeIfPresent(advance.name(), (n, s) -> ExistingSlot.physical(n, false, Optional.of(to)));
            }
        }
    }

    @Override
    public void setSynchronousStandbyNames(Optional<String> value) throws PostgresException {
        node.actingNow();
        node.sync();
        node.spend(SimTime.between(rng, 2 * SimTime.MS, 10 * SimTime.MS));
        if (runState != RunState.RUNNING || shuttingDown) {
            throw new PostgresException("ALTER SYSTEM: PostgreSQL is not running");
        }
        syncStandbys = SyncStandbys.of(value);
    }

    @Override
    public Optional<Lsn> checkpointLsn() {
        return initialized ? Optional.of(new Lsn(flush)) : Optional.empty();
    }

    // ---- recording long calls as timed steps

    void beginRecording() {
        recording = new ArrayList<>();
    }

    List<OpStep> endRecording() {
        List<OpStep> steps = recording;
        recording = null;
        return steps;
    }

    private void record(String what, long duration, Runnable begin, java.util.function.Supplier<Optional<String>> end) {
        record(new OpStep(this, what, duration, begin, end, true));
    }

    private void record(OpStep step) {
        if (recording == null) {
            throw new IllegalStateException("long PostgreSQL call outside a simulated operation: " + step.what);
        }
        recording.add(step);
    }

    private static Optional<String> fail(String message) {
        return Optional.of(message);
    }

    // ---- state changes

    private void becomeRunning(boolean asReplica, Optional<Upstream> upstreamToFollow) {
        runState = RunState.RUNNING;
        shuttingDown = false;
        streaming = false;
        inRecovery = asReplica;
        if (asReplica) {
            upstream = upstreamToFollow;
            controlState = "in archive recovery";
            return;
        }
        upstream = Optional.empty();
        controlState = "in production";
        if (!history.writer().equals(name)) {
            // Ending recovery without a promotion keeps the timeline number: a second writer on one timeline.
            history = history.continueAs(world.nextIncarnationId(), flush, name);
            world.trace().event(world.now(), name, "started as primary on " + history + " written by another server");
        }
    }

    private void halt() {
        runState = RunState.STOPPED;
        shuttingDown = false;
        promoting = false;
        streaming = false;
    }

    /** PostgreSQL is killed (SIGKILL, OOM, power loss): no shutdown checkpoint, running steps fail. */
    void kill() {
        epoch++;
        halt();
    }

    int epoch() {
        return epoch;
    }

    /**
     * The fencing guard's SIGQUIT: every backend goes at once (no more writes), the postmaster exits a moment later
     * without a shutdown checkpoint, and any pg_ctl under way fails.
     */
    void immediateShutdown() {
        if (runState == RunState.STOPPED) {
            return;
        }
        epoch++;
        shuttingDown = true;
        int at = epoch;
        world.schedule(world.now() + SimTime.between(rng, 20 * SimTime.MS, 200 * SimTime.MS), () -> {
            if (epoch == at && runState != RunState.STOPPED) {
                controlState = inRecovery ? "in archive recovery" : "in production";
                halt();
            }
        });
    }

    boolean acceptsWrites() {
        return runState == RunState.RUNNING && !inRecovery && !shuttingDown;
    }

    /** A client's write: WAL grows and the commit is durable locally; {@link #acknowledges} says when it returns. */
    long write(int bytes) {
        flush += bytes;
        return flush;
    }

    /** Whether a commit at {@code lsn} returns to the client now: every standby it waits for has flushed it. */
    boolean acknowledges(long lsn) {
        return syncStandbys.satisfied(this, world, lsn);
    }

    /** A replica streaming from this server right now. */
    boolean streams(SimPostgres replica) {
        return replica != this
                && replica.isReceiving()
                && replica.isStreaming()
                && replica.upstream().map(u -> u.member().equals(name)).orElse(false);
    }

    // ---- replication, one tick at a time (see Replication)

    boolean canServe(String replica) {
        return initialized
                && runState == RunState.RUNNING
                && !shuttingDown
                && world.network().connected(name, replica);
    }

    boolean isReceiving() {
        return initialized && runState == RunState.RUNNING && inRecovery && !shuttingDown && !promoting;
    }

    void setStreaming(boolean value) {
        streaming = value;
    }

    void received(Incarnation from, long upTo) {
        history = from;
        flush = Math.max(flush, upTo);
    }

    void replayTick() {
        replay = Math.max(replay, Math.min(flush, lastTickFlush));
    }

    void endTick() {
        lastTickFlush = flush;
    }

    // ---- read access for the world, the checkers and the trace

    /** The names of the node's replication slots. */
    java.util.Set<String> slotNames() {
        return new java.util.TreeSet<>(slots.keySet());
    }

    String name() {
        return name;
    }

    boolean isInitialized() {
        return initialized;
    }

    String systemId() {
        return systemId;
    }

    Optional<Incarnation> history() {
        return initialized ? Optional.of(history) : Optional.empty();
    }

    Incarnation incarnation() {
        return history;
    }

    long flush() {
        return flush;
    }

    long lastTickFlush() {
        return lastTickFlush;
    }

    RunState runState() {
        return runState;
    }

    boolean isRunning() {
        return runState == RunState.RUNNING;
    }

    boolean inRecovery() {
        return inRecovery;
    }

    boolean isStreaming() {
        return streaming;
    }

    Optional<Upstream> upstream() {
        return upstream;
    }

    String describe() {
        if (!initialized) {
            return "empty";
        }
        String role = switch (runState) {
            case STOPPED -> "stopped";
            case STARTING -> "starting";
            case RUNNING -> shuttingDown ? "stopping" : inRecovery ? "replica" : "primary";
        };
        String up = inRecovery && runState == RunState.RUNNING
                ? upstream.map(u -> "<-" + u.member() + (streaming ? "" : "?")).orElse("<-none")
                : "";
        return role + up + " " + history + "@" + new Lsn(flush);
    }
}
