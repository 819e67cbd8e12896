package org.bellwether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.bellwether.agent.rest.Snapshots;
import org.bellwether.core.status.NodeStatus;
import org.junit.jupiter.api.Test;

class IsolationMonitorTest {
    private Duration now = Snapshots.NOW;
    private boolean dcsAnswers;
    private OptionalInt replicasHeard = OptionalInt.of(0);
    private NodeStatus status = Snapshots.primaryWithLock();
    private final List<Duration> fencedAt = new ArrayList<>();
    private int lockDropped;

    private final WriteFence fence = new WriteFence() {
        @Override
        public void holdUntil(Duration deadline) {
            fencedAt.add(deadline);
        }

        @Override
        public void release() {}

        @Override
        public void close() {}
    };

    private final IsolationMonitor monitor = new IsolationMonitor(
            timeout -> dcsAnswers, window -> replicasHeard, () -> status, fence, () -> now, () -> lockDropped++);

    private void checkTwice() {
        monitor.check();
        now = now.plus(IsolationMonitor.CONFIRM);
        monitor.check();
    }

    @Test
    void leaderCutOffFromDcsAndReplicas_isFencedOnTheSecondCheck() {
        monitor.check();
        assertThat(fencedAt).isEmpty();
        now = now.plus(IsolationMonitor.CONFIRM);
        monitor.check();
        assertThat(fencedAt).containsExactly(now);
        assertThat(lockDropped).isEqualTo(1);
    }

    @Test
    void leaderThatStillReachesTheDcs_keepsRunning() {
        dcsAnswers = true;
        checkTwice();
        assertThat(fencedAt).isEmpty();
    }

    @Test
    void leaderThatStillHearsAReplica_keepsRunning() {
        replicasHeard = OptionalInt.of(1);
        checkTwice();
        assertThat(fencedAt).isEmpty();
    }

    @Test
    void postgresThatCannotBeAsked_isNotTakenForIsolation() {
        replicasHeard = OptionalInt.empty();
        checkTwice();
        assertThat(fencedAt).isEmpty();
    }

    @Test
    void contactBackBetweenChecks_startsTheCountAgain() {
        monitor.check();
        now = now.plus(IsolationMonitor.CONFIRM);
        dcsAnswers = true;
        monitor.check();
        dcsAnswers = false;
        now = now.plus(IsolationMonitor.CONFIRM);
        monitor.check();
        assertThat(fencedAt).isEmpty();
    }

    @Test
    void replica_isNeverFenced() {
        status = Snapshots.streamingReplica();
        checkTwice();
        assertThat(fencedAt).isEmpty();
    }

    @Test
    void leaderWhoseLockDeadlinePassed_isLeftToTheGuard() {
        now = Snapshots.LOCK_DEADLINE.plusSeconds(1);
        checkTwice();
        assertThat(fencedAt).isEmpty();
    }

    @Test
    void pausedCluster_isLeftAlone() {
        status = Snapshots.paused(Snapshots.primaryWithLock());
        checkTwice();
        assertThat(fencedAt).isEmpty();
    }
}
