package org.bellwether.agent;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.PendingRestart;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.DcsView;
import org.bellwether.core.ha.Decision;
import org.bellwether.core.ha.FailsafeProbe;
import org.bellwether.core.ha.FailsafeView;
import org.bellwether.core.ha.HaDecider;
import org.bellwether.core.ha.HaMemory;
import org.bellwether.core.ha.LeaderTimeline;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.NodeIdentity;
import org.bellwether.core.ha.Observation;
import org.bellwether.core.ha.Operation;
import org.bellwether.core.ha.Ops;
import org.bellwether.core.ha.PeerProbe;
import org.bellwether.core.ha.PeerStatus;
import org.bellwether.core.ha.RejoinProbe;
import org.bellwether.core.ha.SlotProbe;
import org.bellwether.core.ha.SwitchoverPolicy;
import org.bellwether.core.ha.SyncStandbyRelease;
import org.bellwether.core.ha.Upstream;
import org.bellwether.core.slots.SlotHorizons;
import org.bellwether.core.status.NodeStatus;
import org.bellwether.core.status.PostgresStates;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;
import org.bellwether.postgres.PostgresNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HA cycle: observe (DCS, PostgreSQL, peers, operation, clock), decide (the pure core), act (the plan), publish
 * (member key and the status snapshot). Runs on one thread; everything it needs between cycles is in its fields.
 */
public final class AgentLoop {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);
    private static final Duration QUICK_CYCLE = Duration.ofMillis(250);

    /** Where the node can be reached, for its member key and status. */
    public record Addresses(String scope, String apiUrl, String connUrl) {}

    private final NodeIdentity self;
    private final Addresses addresses;
    private final Dcs dcs;
    private final PostgresNode postgres;
    private final PeerFetcher peers;
    private final Operations operations;
    private final WriteFence fence;
    private final Supplier<Duration> clock;
    private final InstantSource wallClock;
    private final LeaseTracker lease = new LeaseTracker();
    private final PlanExecutor executor;
    private final AtomicReference<NodeStatus> status = new AtomicReference<>();
    private final RequestQueue requests = new RequestQueue();
    private final DynamicConfig dynamicConfig;
    private final ConfigKeyReader configKey;
    private final CallbackDispatch callbacks = new CallbackDispatch();
    private final MemberPublisher memberPublisher;
    private final SyncReleaseWait syncRelease;
    private final KeyProblemLog keyProblems = new KeyProblemLog();
    private final SlotReportLog slotReports = new SlotReportLog();

    private HaMemory memory = HaMemory.INITIAL;
    private volatile HaSettings settings;
    private Optional<ClusterView> lastCluster = Optional.empty();
    /** What the last cycle read: a shutdown decides from it whether to release a synchronous standby first. */
    private DcsView lastView = new DcsView.Unavailable("no cycle ran yet");

    private List<Member> lastMembersWithLeader = List.of();
    private Optional<java.time.Instant> dcsLastSeen = Optional.empty();
    private MemberRole lastRole = MemberRole.UNINITIALIZED;
    private Optional<Decision> lastDecision = Optional.empty();
    /** The members of the last {@code failsafe} write this node attempted, until a read shows the key as it is. */
    private Optional<SortedMap<String, String>> failsafeWritten = Optional.empty();

    private final FailsafeInbox failsafeInbox;
    private FailsafeCaller failsafeCaller = FailsafeCaller.NONE;
    private boolean failsafeActive;

    public AgentLoop(
            NodeIdentity self,
            Addresses addresses,
            Dcs dcs,
            PostgresNode postgres,
            PeerFetcher peers,
            Operations operations,
            WriteFence fence,
            Supplier<Duration> clock,
            InstantSource wallClock) {
        this.self = self;
        this.addresses = addresses;
        this.dcs = dcs;
        this.postgres = postgres;
        this.peers = peers;
        this.operations = operations;
        this.fence = fence;
        this.clock = clock;
        this.wallClock = wallClock;
        this.settings = HaSettings.from(self.bootstrapDcs());
        this.configKey = new ConfigKeyReader(new ParameterGate(postgres::checkParameters)::admit);
        this.failsafeInbox = new FailsafeInbox(clock.get());
        this.memberPublisher = new MemberPublisher(dcs);
        this.syncRelease = new SyncReleaseWait(
                self.name(),
                dcs,
                memberPublisher,
                clock,
                SyncReleaseWait.POLL,
                SyncStandbyRelease.SETTLE_AFTER_RELEASE);
        this.executor = new PlanExecutor(dcs, postgres, operations, lease, fence, clock, callbacks, syncRelease);
        this.dynamicConfig = new DynamicConfig(postgres, operations, callbacks);
        executor.onReload(dynamicConfig::reloadOnRequest);
        dcs.configure(settings.ttl(), settings.retryTimeout());
        publishStatus(LocalPostgres.emptyDataDirectory(), Optional.empty());
    }

    /** Runs one cycle and returns the decision taken. */
    public Decision runCycle(boolean shutdownRequested) {
        DcsView view = readDcs();
        lastView = view;
        LocalPostgres local = postgres.observe();
        Optional<Operation> operation = operations.observe();
        operation.ifPresent(requests::operationFinished);
        Ops ops = observeOps(local);
        SortedMap<String, PeerStatus> peerStatuses = new TreeMap<>();
        if (view instanceof DcsView.Available available) {
            List<Member> wanted = withSwitchoverPeers(
                    PeerProbe.wanted(available.cluster(), lastMembersWithLeader, self, local), available);
            if (!wanted.isEmpty()) {
                peerStatuses = peers.fetch(wanted);
            }
        }
        Optional<LeaderTimeline> leaderTimeline = Optional.empty();
        if (view instanceof DcsView.Available available) {
            Optional<Upstream> leader = RejoinProbe.wanted(available.cluster(), self, local, operation, memory);
            leaderTimeline = leader.map(postgres::leaderTimeline);
        }
        Optional<SlotHorizons> leaderSlots = Optional.empty();
        if (view instanceof DcsView.Available available) {
            leaderSlots = SlotProbe.wanted(available.cluster(), self, local, settings, memory.slots())
                    .flatMap(ask -> postgres.leaderSlotHorizons(ask.leader(), ask.ownSlot(), ask.logicalSlots()));
        }
        FailsafeView failsafe = observeFailsafe(view, local);
        Observation observation = new Observation(
                self,
                clock.get(),
                wallClock.instant(),
                view,
                local,
                operation,
                peerStatuses,
                lease.deadline(),
                settings,
                shutdownRequested,
                leaderTimeline,
                ops,
                fence.failed(),
                failsafe,
                leaderSlots);
        Decision decision = HaDecider.decide(observation, memory);
        memory = decision.next();
        logDecision(decision, local);
        slotReports.report(memory.slots().report());
        rememberFailsafeWrite(decision);
        boolean completed = executor.execute(decision.plan(), observation);
        boolean dcsStoppedAnswering = executor.dcsFailed();
        if (dcsStoppedAnswering) {
            failsafeAfterDcsError(local);
        }
        // Health checks see the outcome of the plan (a demotion gives up the lock, a stop is under way or already done)
        // before any slower work below.
        Optional<Operation> afterPlan = operations.current().or(() -> operation);
        publishStatus(local, afterPlan);
        requests.settle(ops.request(), decision, completed);
        feedFence(local);
        dynamicConfig.apply(settings.postgresqlParameters(), settings.pgHba(), local, decision.plan());
        if (view instanceof DcsView.Available && !dcsStoppedAnswering) {
            // After a DCS call just timed out, another would most likely wait out retry_timeout as well.
            if (!publishMember(local, afterPlan, ops.pendingRestart())) {
                // The DCS stopped answering after the plan: the round goes out now, not a read timeout later.
                failsafeAfterDcsError(local);
                feedFence(local);
            }
        }
        publishStatus(local, afterPlan);
        callbacks.afterCycle(local, operations.isBusy());
        lastDecision = Optional.of(decision);
        return decision;
    }

    /**
     * Arms the fence with the lock deadline while this node leads. Once the lock is gone the fence is released only
     * when PostgreSQL no longer runs as primary: until the demotion is done, the last deadline stands.
     */
    private void feedFence(LocalPostgres local) {
        Optional<Duration> deadline = lease.deadline();
        if (settings.pause()) {
            fence.release();
        } else if (deadline.isPresent()) {
            fence.holdUntil(deadline.get());
        } else if (!local.isPrimary() && !operations.isBusy()) {
            fence.release();
        }
    }

    /** How this node sends {@code POST /failsafe} when it is a primary cut off from the DCS. */
    public void useFailsafeCaller(FailsafeCaller caller) {
        this.failsafeCaller = caller;
    }

    /** Where the REST API records a primary's {@code POST /failsafe}. */
    public FailsafeInbox failsafeInbox() {
        return failsafeInbox;
    }

    /**
     * Failsafe mode: a primary that cannot read the DCS asks every other member listed in the {@code failsafe} key
     * to acknowledge it; when all do, its lock deadline moves on as a renewal would move it. A replica notes a
     * primary that did so within ttl.
     */
    private FailsafeView observeFailsafe(DcsView view, LocalPostgres local) {
        failsafeActive = false;
        if (!settings.failsafeMode()) {
            return FailsafeView.NONE;
        }
        Duration now = clock.get();
        Optional<String> heard = failsafeInbox.heardWithin(now, settings.ttl());
        Optional<FailsafeView.Round> round =
                view instanceof DcsView.Unavailable ? failsafeRound(local) : Optional.empty();
        failsafeActive = round.map(FailsafeView.Round::acknowledgedByAll).orElse(false)
                || (view instanceof DcsView.Unavailable && heard.isPresent());
        return new FailsafeView(round, heard, failsafeInbox.startedWithin(now, settings.ttl()));
    }

    /**
     * One {@code POST /failsafe} round from a primary listed in the {@code failsafe} key; when every other listed
     * member acknowledges, the lock deadline moves on. Empty when no round applies (failsafe off, not a primary, not
     * listed).
     */
    private Optional<FailsafeView.Round> failsafeRound(LocalPostgres local) {
        Optional<SortedMap<String, String>> toAsk =
                FailsafeProbe.membersToAsk(lastCluster, failsafeWritten, self.name(), settings, local);
        if (toAsk.isEmpty()) {
            return Optional.empty();
        }
        SortedMap<String, String> others = toAsk.get();
        Duration sentAt = clock.get();
        List<String> missing = others.isEmpty() ? List.of() : failsafeCaller.post(others, failsafeBody());
        if (missing.isEmpty()) {
            lease.heldByFailsafe(sentAt, settings.ttl());
        }
        return Optional.of(new FailsafeView.Round(sentAt, missing));
    }

    /**
     * The DCS stopped answering in the middle of a cycle (the renewal, a write after it, or the member key timed out):
     * in failsafe mode the round goes out now. Waiting for the next cycle's read to time out as well could let the lock deadline
     * pass first, and the guard would stop a primary that every member still acknowledges.
     */
    private void failsafeAfterDcsError(LocalPostgres local) {
        if (lease.deadline().isEmpty()) {
            return;
        }
        Optional<FailsafeView.Round> round = failsafeRound(local);
        round.ifPresent(r -> LOG.info(
                "{}: DCS stopped answering during the cycle; failsafe round: {}",
                self.name(),
                r.acknowledgedByAll() ? "every member acknowledged" : "not acknowledged by " + r.notAcknowledged()));
        failsafeActive |= round.map(FailsafeView.Round::acknowledgedByAll).orElse(false);
    }

    /**
     * A plan that writes the {@code failsafe} key may be applied by the DCS even when its answer never arrives, and the
     * DCS may stop answering before the next read shows it: until then the rounds ask those members as well.
     */
    private void rememberFailsafeWrite(Decision decision) {
        decision.plan().stream()
                .filter(Action.WriteFailsafe.class::isInstance)
                .map(a -> ((Action.WriteFailsafe) a).members())
                .findFirst()
                .ifPresent(members -> failsafeWritten = Optional.of(members));
    }

    /** What Patroni's {@code POST /failsafe} carries about the primary. */
    private String failsafeBody() {
        var body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.put("name", self.name());
        body.put("conn_url", addresses.connUrl());
        body.put("api_url", addresses.apiUrl());
        return body.toString();
    }

    private DcsView readDcs() {
        try {
            ClusterView cluster = dcs.read();
            keyProblems.report(cluster.problems());
            lastCluster = Optional.of(cluster);
            failsafeWritten = Optional.empty();
            if (cluster.leader().isPresent()) {
                lastMembersWithLeader = cluster.members();
            }
            dcsLastSeen = Optional.of(wallClock.instant());
            cluster.config().map(c -> configKey.settingsFor(c, settings)).ifPresent(this::applySettings);
            if (!cluster.isLeader(self.name())) {
                lease.lost();
            }
            return new DcsView.Available(cluster);
        } catch (DcsException e) {
            return new DcsView.Unavailable(e.getMessage());
        }
    }

    private void applySettings(HaSettings next) {
        if (!next.ttl().equals(settings.ttl()) || !next.retryTimeout().equals(settings.retryTimeout())) {
            dcs.configure(next.ttl(), next.retryTimeout());
        }
        settings = next;
    }

    /**
     * The operator's oldest request, and what operating needs from PostgreSQL: parameters pending a restart while it
     * runs, and the shutdown checkpoint while it is stopped for a switchover (pg_controldata, read only then).
     */
    private Ops observeOps(LocalPostgres local) {
        PendingRestart pending = local.isRunning() ? postgres.pendingRestart() : PendingRestart.NONE;
        Optional<Lsn> checkpoint =
                memory.ops().handover().isPresent() && local.runState() == LocalPostgres.RunState.STOPPED
                        ? postgres.checkpointLsn()
                        : Optional.empty();
        return new Ops(requests.peek(), pending, checkpoint);
    }

    /** The race's peers, plus the switchover candidates when this node leads and a switchover is due. */
    private List<Member> withSwitchoverPeers(List<Member> wanted, DcsView.Available view) {
        List<Member> forSwitchover =
                SwitchoverPolicy.peersForLeader(view.cluster(), self.name(), wallClock.instant(), settings.loopWait());
        if (forSwitchover.isEmpty()) {
            return wanted;
        }
        java.util.Map<String, Member> all = new java.util.TreeMap<>();
        wanted.forEach(m -> all.put(m.name(), m));
        forSwitchover.forEach(m -> all.put(m.name(), m));
        return List.copyOf(all.values());
    }

    /**
     * How long to sleep before the next cycle: loop_wait, or a quarter second while a switchover or a scheduled
     * restart is due or near, so it happens on time and the candidate publishes fresh WAL positions for the
     * hand-over instead of ones up to loop_wait old.
     */
    public Duration cycleInterval() {
        Duration loopWait = settings.loopWait();
        java.time.Instant now = wallClock.instant();
        boolean switchover = memory.ops().handover().isPresent()
                || lastCluster
                        .map(c -> SwitchoverPolicy.isUnderway(c, now, loopWait))
                        .orElse(false);
        boolean restart = memory.ops()
                .scheduledRestart()
                .map(r -> !r.at().isAfter(now.plus(loopWait)))
                .orElse(false);
        return (switchover || restart) && loopWait.compareTo(QUICK_CYCLE) > 0 ? QUICK_CYCLE : loopWait;
    }

    /** Where the callbacks due after actions go: give it the script runner ({@code postgresql.callbacks}). */
    public CallbackDispatch callbacks() {
        return callbacks;
    }

    /** Where the REST API queues restart, reload and reinitialize requests for this loop. */
    public RequestQueue requests() {
        return requests;
    }

    /** What re-reads the local configuration file on {@code POST /reload} (nothing by default). */
    public void onLocalReload(DynamicConfig.LocalReload reload) {
        dynamicConfig.onLocalReload(reload);
    }

    /** Returns whether the key was written (or needed no write); false when the DCS call failed. */
    private boolean publishMember(LocalPostgres local, Optional<Operation> operation, PendingRestart pending) {
        if (local.isRunning()) {
            lastRole = local.inRecovery() ? MemberRole.REPLICA : MemberRole.PRIMARY;
        }
        Member member = MemberStatus.of(
                self.name(),
                addresses.apiUrl(),
                addresses.connUrl(),
                PostgresStates.describe(local, operation),
                local,
                lastRole,
                self.tags(),
                settings.pause());
        member = MemberOps.decorate(member, pending, memory.ops().scheduledRestart());
        try {
            memberPublisher.publish(member);
            return true;
        } catch (DcsException e) {
            LOG.warn("could not publish member key: {}", e.getMessage());
            return false;
        }
    }

    private void publishStatus(LocalPostgres local, Optional<Operation> operation) {
        status.set(new NodeStatus(
                addresses.scope(),
                self.name(),
                addresses.apiUrl(),
                addresses.connUrl(),
                PostgresStates.describe(local, operation),
                local,
                lastCluster,
                dcsLastSeen,
                lease.deadline(),
                clock.get(),
                settings,
                self.tags(),
                lastDecision.map(Decision::reason),
                AgentVersion.PATRONI_COMPATIBLE,
                fence.failed(),
                failsafeActive,
                memory.slots().report()));
    }

    private void logDecision(Decision decision, LocalPostgres local) {
        String plan = decision.plan().isEmpty()
                ? "-"
                : String.join(
                        ",",
                        decision.plan().stream()
                                .map(a -> a.kind().name().toLowerCase(java.util.Locale.ROOT))
                                .toList());
        LOG.info(
                "{}: {} | plan={} lsn={} tl={}",
                self.name(),
                decision.reason(),
                plan,
                local.walPosition().map(Object::toString).orElse("-"),
                local.timeline().map(Object::toString).orElse("-"));
    }

    /**
     * PostgreSQL was stopped outside the loop (the isolation monitor fenced it): stop relying on the lock at once, so
     * that health checks answer 503 now rather than after a loop cycle that may be waiting out an unreachable DCS. The
     * next cycle that reads the DCS renews the lock if it is still this node's.
     */
    public void fencedOutsideTheLoop() {
        lease.lost();
        status.updateAndGet(s -> s == null ? null : s.withoutLock());
    }

    public NodeStatus status() {
        return status.get();
    }

    public HaSettings settings() {
        return settings;
    }

    public boolean holdsLock() {
        return lease.deadline().isPresent();
    }

    /**
     * Before a clean shutdown stops PostgreSQL: a synchronous standby asks the leader to let it go (at most 2 ×
     * loop_wait), so the primary's commits do not wait for a standby that is gone. Whether it is one is judged from
     * the last cycle's read, so a shutdown with the DCS out of reach does not wait for another read to fail.
     */
    void releaseSyncStandbyBeforeStop(LocalPostgres local) throws InterruptedException {
        if (lastView instanceof DcsView.Available seen
                && SyncStandbyRelease.isNeeded(seen.cluster(), local, self.name(), settings)) {
            syncRelease.await(settings);
        }
    }

    /** The leader's part of a clean shutdown: record the last position and release the lock. */
    void releaseLockOnShutdown() {
        if (!holdsLock()) {
            return;
        }
        try {
            executor.release(Optional.empty());
            LOG.info("{}: released the leader lock", self.name());
        } catch (DcsException e) {
            LOG.warn("could not release the leader lock: {}", e.getMessage());
        }
    }

    boolean isTerminal() {
        return memory.terminal();
    }

    Dcs dcs() {
        return dcs;
    }

    PostgresNode postgres() {
        return postgres;
    }

    WriteFence fence() {
        return fence;
    }

    Operations operations() {
        return operations;
    }
}
