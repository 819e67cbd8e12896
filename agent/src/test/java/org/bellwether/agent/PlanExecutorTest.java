package org.bellwether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Lsn;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.DcsView;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.NodeIdentity;
import org.bellwether.core.ha.Observation;
import org.bellwether.core.ha.Operation;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;
import org.bellwether.postgres.PostgresNode;
import org.junit.jupiter.api.Test;

class PlanExecutorTest {
    /** Every call to PostgreSQL and to the fence, in order. */
    private final List<String> calls = new ArrayList<>();

    /** Whether the DCS stops answering before a status write. */
    private boolean statusWriteTimesOut;

    /** What the DCS answers to a compare-and-set of the sync key. */
    private boolean syncKeyAccepted = true;

    /** What the DCS answers to the repair of initialize (null: it times out) and to deleting a leader key. */
    private Boolean initializeRepaired = true;

    private boolean leaderKeyDeleted = true;

    private final LeaseTracker lease = new LeaseTracker();
    private final CallbackDispatch callbacks = new CallbackDispatch();
    private final Dcs dcs = stub(Dcs.class);
    private final PlanExecutor executor = new PlanExecutor(
            dcs,
            stub(PostgresNode.class),
            new RunAtOnce(),
            lease,
            new RecordingFence(),
            () -> Duration.ZERO,
            callbacks,
            new SyncReleaseWait(
                    "n1", dcs, new MemberPublisher(dcs), () -> Duration.ZERO, Duration.ZERO, Duration.ZERO));

    {
        callbacks.sendTo(call -> calls.add(String.join(" ", call.arguments("demo"))));
    }

    @Test
    void demoteWithTheDcsUnreachable_dropsTheLeaseAndDisarmsTheFenceOnceStoppedBeforeStartingAsReplica() {
        lease.renewed(Duration.ofSeconds(100), Duration.ofSeconds(10));

        boolean done = executor.execute(List.of(new Action.Demote(Action.StopMode.FAST, Optional.empty())), dcsDown());

        assertThat(done).isTrue();
        // No longer the leader for /primary although the lock cannot be released with the DCS down.
        assertThat(lease.deadline()).isEmpty();
        // The guard must not stop the replica the demotion starts when the old deadline passes.
        assertThat(calls)
                .containsExactly(
                        "PostgresNode.stop", "fence.release", "PostgresNode.start", "on_role_change replica demo");
    }

    @Test
    void startAsReplica_callsOnStartOnlyOnceTheServerStarted() {
        boolean done = executor.execute(List.of(new Action.Start(true, Optional.empty())), dcsDown());

        assertThat(done).isTrue();
        assertThat(calls).containsExactly("PostgresNode.start", "on_start replica demo");
    }

    @Test
    void refusedShrinkOfTheSyncKey_leavesPostgresWaitingForTheStandby() {
        syncKeyAccepted = false;
        List<Action> plan = List.of(
                new Action.WriteSync(Optional.of("n1"), List.of(), 7),
                new Action.SetSynchronousStandbyNames(Optional.of("")));

        assertThat(executor.execute(plan, dcsDown())).isFalse();
        // The key may still name n2: PostgreSQL must keep waiting for it, or n2 could be promoted without commits.
        assertThat(calls).containsExactly("Dcs.writeSync");
    }

    @Test
    void acceptedSyncKeyWrite_isFollowedByTheChangeInPostgres() {
        List<Action> plan = List.of(
                new Action.WriteSync(Optional.of("n1"), List.of(), 7),
                new Action.SetSynchronousStandbyNames(Optional.of("")));

        assertThat(executor.execute(plan, dcsDown())).isTrue();
        assertThat(calls).containsExactly("Dcs.writeSync", "PostgresNode.setSynchronousStandbyNames");
    }

    @Test
    void dcsStopsAnsweringRightAfterTheRenewal_endsThePlanAsADcsFailure() {
        statusWriteTimesOut = true;
        List<Action> plan = List.of(
                new Action.RenewLeaderLock(),
                new Action.SyncReplicationSlots(
                        List.of(new org.bellwether.core.slots.SlotChange.Drop("n2", "no longer wanted"))));

        assertThat(executor.execute(plan, leading())).isFalse();
        // The loop sends its failsafe round at once; the slots wait for a cycle with the DCS back.
        assertThat(executor.dcsFailed()).isTrue();
        assertThat(calls).containsExactly("Dcs.renewLeaderLock", "Dcs.writeStatus");
        // The renewal itself was answered: the deadline moved on.
        assertThat(lease.deadline()).isPresent();
    }

    @Test
    void initializeRepairThatIsRefusedOrTimesOut_doesNotStopTheLeadersPlan() {
        List<Action> plan = List.of(
                new Action.RenewLeaderLock(),
                new Action.RepairInitialize("7000000000000000001", 42),
                new Action.SetSynchronousStandbyNames(Optional.empty()));

        initializeRepaired = false;
        assertThat(executor.execute(plan, leading())).isTrue();
        initializeRepaired = null;
        assertThat(executor.execute(plan, leading())).isTrue();

        assertThat(calls)
                .containsSubsequence(
                        "Dcs.renewLeaderLock",
                        "Dcs.replaceInitialize 7000000000000000001 42",
                        "PostgresNode.setSynchronousStandbyNames");
        assertThat(executor.dcsFailed())
                .as("the timed-out call is a DCS failure")
                .isTrue();
    }

    @Test
    void leaderKeyChangedSinceItWasSeen_isNotDeleted_andThePlanStops() {
        leaderKeyDeleted = false;
        List<Action> plan =
                List.of(new Action.DeleteInvalidLeaderKey(5), new Action.SetSynchronousStandbyNames(Optional.empty()));

        assertThat(executor.execute(plan, dcsDown())).isFalse();
        assertThat(calls).containsExactly("Dcs.deleteLeaderKey 5");
    }

    private static Observation leading() {
        LocalPostgres primary = new LocalPostgres(
                LocalPostgres.DataDirectory.INITIALIZED,
                LocalPostgres.RunState.RUNNING,
                false,
                Optional.of("7000000000000000001"),
                Optional.of(new Timeline(1)),
                Optional.of(new Lsn(0x3000000)),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.of(150000),
                Optional.empty());
        return dcsDown(primary);
    }

    private static Observation dcsDown() {
        return dcsDown(LocalPostgres.emptyDataDirectory());
    }

    /** The DCS unreadable when the cycle began: the plan's DCS steps answer as each test's stub says. */
    private static Observation dcsDown(LocalPostgres local) {
        return new Observation(
                new NodeIdentity("n1", Tags.NONE, new TreeMap<>()),
                Duration.ofSeconds(105),
                Instant.parse("2026-01-01T00:00:00Z"),
                new DcsView.Unavailable("deadline exceeded"),
                local,
                Optional.empty(),
                new TreeMap<>(),
                Optional.of(Duration.ofSeconds(109)),
                HaSettings.defaults(),
                false);
    }

    /** Records PostgreSQL's stop and start and the sync steps; any other call fails the test. */
    private <T> T stub(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (type == PostgresNode.class
                    && (m.getName().equals("stop") || m.getName().equals("start"))) {
                calls.add(type.getSimpleName() + "." + m.getName());
                return null;
            }
            if (m.getName().equals("renewLeaderLock")) {
                calls.add(type.getSimpleName() + "." + m.getName());
                return true;
            }
            if (m.getName().equals("writeStatus")) {
                calls.add(type.getSimpleName() + "." + m.getName());
                if (statusWriteTimesOut) {
                    throw new DcsException("write status at /service/demo/status: deadline exceeded");
                }
                return null;
            }
            if (m.getName().equals("replaceInitialize")) {
                calls.add("Dcs.replaceInitialize " + a[0] + " " + a[1]);
                if (initializeRepaired == null) {
                    throw new DcsException("write initialize key at /service/demo/initialize: deadline exceeded");
                }
                return initializeRepaired;
            }
            if (m.getName().equals("deleteLeaderKey")) {
                calls.add("Dcs.deleteLeaderKey " + a[0]);
                return leaderKeyDeleted;
            }
            if (m.getName().equals("writeSync") || m.getName().equals("setSynchronousStandbyNames")) {
                calls.add(type.getSimpleName() + "." + m.getName());
                return m.getName().equals("writeSync") ? syncKeyAccepted : null;
            }
            throw new AssertionError("unexpected call " + type.getSimpleName() + "." + m.getName());
        }));
    }

    /** Runs an operation's body on the caller's thread. */
    private static final class RunAtOnce implements Operations {
        @Override
        public boolean submit(Action.Kind kind, Body body) {
            try {
                body.run();
                return true;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public Optional<Operation> observe() {
            return Optional.empty();
        }

        @Override
        public Optional<Operation> current() {
            return Optional.empty();
        }

        @Override
        public boolean isBusy() {
            return false;
        }
    }

    private final class RecordingFence implements WriteFence {
        @Override
        public void holdUntil(Duration deadline) {
            calls.add("fence.holdUntil");
        }

        @Override
        public void release() {
            calls.add("fence.release");
        }

        @Override
        public void close() {}
    }
}
