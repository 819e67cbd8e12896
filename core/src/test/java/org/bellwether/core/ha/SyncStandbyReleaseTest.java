package org.bellwether.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.ha.OpsFixtures.config;
import static org.bellwether.core.ha.OpsFixtures.threeNodes;
import static org.bellwether.core.ha.OpsFixtures.withSync;

import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.HostPort;
import org.bellwether.core.ha.SyncStandbyRelease.Progress;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** n1 is this node, a replica of n2; loop_wait is 10 s. */
class SyncStandbyReleaseTest {
    private static final LocalPostgres STANDBY = Fixtures.replica(1000, Optional.of(new HostPort("127.0.0.1", 542)));

    private static ClusterView ledByN2(SortedMap<String, Object> config, String... syncStandbys) {
        return withSync(threeNodes("n2", config).build(), "n2", syncStandbys);
    }

    private static boolean isNeeded(ClusterView cluster, LocalPostgres local) {
        return SyncStandbyRelease.isNeeded(cluster, local, "n1", settings(cluster));
    }

    private static HaSettings settings(ClusterView cluster) {
        return cluster.config().orElseThrow().settings();
    }

    @Nested
    class IsNeeded {
        @Test
        void forASynchronousStandbyListedInTheKey() {
            assertThat(isNeeded(ledByN2(config("synchronous_mode", "on"), "n1"), STANDBY))
                    .isTrue();
        }

        @Test
        void forAQuorumVoter() {
            assertThat(isNeeded(ledByN2(config("synchronous_mode", "quorum"), "n1", "n3"), STANDBY))
                    .isTrue();
        }

        @Test
        void inStrictMode_asWell() {
            var strict = config("synchronous_mode", "on", "synchronous_mode_strict", true);
            assertThat(isNeeded(ledByN2(strict, "n1"), STANDBY)).isTrue();
        }

        @Test
        void notForAStandbyTheKeyDoesNotList() {
            assertThat(isNeeded(ledByN2(config("synchronous_mode", "on"), "n3"), STANDBY))
                    .isFalse();
        }

        @Test
        void notOutsideSynchronousMode_evenWithAKeyLeftOver() {
            assertThat(isNeeded(ledByN2(config(), "n1"), STANDBY)).isFalse();
        }

        @Test
        void notWhilePaused() {
            var paused = config("synchronous_mode", "on", "pause", true);
            assertThat(isNeeded(ledByN2(paused, "n1"), STANDBY)).isFalse();
        }

        @Test
        void notForAKeyLeftByAnEarlierLeader() {
            var cluster =
                    withSync(threeNodes("n3", config("synchronous_mode", "on")).build(), "n2", "n1");
            assertThat(isNeeded(cluster, STANDBY)).isFalse();
        }

        @Test
        void notWithoutALeader() {
            var cluster = Fixtures.unlocked(ledByN2(config("synchronous_mode", "on"), "n1"));
            assertThat(isNeeded(cluster, STANDBY)).isFalse();
        }

        @Test
        void notWhenPostgresIsNotRunningAsAStandby() {
            var cluster = ledByN2(config("synchronous_mode", "on"), "n1");
            assertThat(isNeeded(cluster, Fixtures.stopped("shut down in recovery")))
                    .isFalse();
            assertThat(isNeeded(cluster, Fixtures.primary(1000, 1))).isFalse();
        }
    }

    @Nested
    class WhileWaiting {
        private final ClusterView listed = ledByN2(config("synchronous_mode", "on"), "n1");
        private final HaSettings settings = settings(listed);

        private Progress progress(DcsView view, long waitedSeconds) {
            return SyncStandbyRelease.progress(view, "n1", Duration.ofSeconds(waitedSeconds), settings);
        }

        @Test
        void stillListed_waitsUpToTwiceLoopWait() {
            assertThat(SyncStandbyRelease.longestWait(settings)).isEqualTo(Duration.ofSeconds(20));
            assertThat(progress(new DcsView.Available(listed), 19)).isEqualTo(Progress.WAITING);
            assertThat(progress(new DcsView.Available(listed), 20)).isEqualTo(Progress.TIMED_OUT);
            assertThat(Progress.WAITING.stopNow()).isFalse();
            assertThat(Progress.TIMED_OUT.stopNow()).isTrue();
        }

        @Test
        void keyShrunkByTheLeader_isReleased() {
            var shrunk = ledByN2(config("synchronous_mode", "on"));
            assertThat(progress(new DcsView.Available(shrunk), 1)).isEqualTo(Progress.RELEASED);
        }

        @Test
        void keyNamingAnotherStandby_isReleased() {
            var swapped = ledByN2(config("synchronous_mode", "on"), "n3");
            assertThat(progress(new DcsView.Available(swapped), 1)).isEqualTo(Progress.RELEASED);
        }

        @Test
        void leaderGone_isReleased() {
            // Nobody waits for this standby's acknowledgement without a primary holding the lock.
            assertThat(progress(new DcsView.Available(Fixtures.unlocked(listed)), 1))
                    .isEqualTo(Progress.RELEASED);
        }

        @Test
        void unreadableDcs_stopsWithoutWaiting() {
            Progress progress = progress(new DcsView.Unavailable("connection refused"), 1);
            assertThat(progress).isEqualTo(Progress.DCS_UNAVAILABLE);
            assertThat(progress.stopNow()).isTrue();
        }
    }
}
