package org.bellwether.postgres.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bellwether.testkit.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard against a stand-in postmaster (a sleeping process named in a postmaster.pid file). */
class FenceGuardIT {
    private Path dir;
    private Process postmaster;
    private FenceGuardProcess guard;

    @BeforeEach
    void startStandIn() throws IOException {
        dir = TestDirs.create("fence-guard");
        postmaster = new ProcessBuilder("sleep", "600").start();
        Files.writeString(dir.resolve("postmaster.pid"), postmaster.pid() + "\n" + dir + "\n");
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        if (guard != null) {
            guard.close();
            ProcessHandle.of(guard.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        postmaster.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        TestDirs.delete(dir);
    }

    private void startGuard() throws Exception {
        guard = FenceGuardProcess.start(dir, dir.resolve("guard.log"));
    }

    private static long inMillis(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void deadlinePassesWithoutRenewal_postgresIsStopped() throws Exception {
        startGuard();
        guard.arm(inMillis(1500));
        assertThat(postmaster.waitFor(1000, TimeUnit.MILLISECONDS))
                .as("alive before the deadline")
                .isFalse();
        assertThat(postmaster.waitFor(3000, TimeUnit.MILLISECONDS))
                .as("stopped after the deadline")
                .isTrue();
        assertThat(Files.readString(dir.resolve("guard.log"))).contains("lock deadline passed without renewal");
    }

    @Test
    void renewedDeadlines_keepPostgresRunning() throws Exception {
        startGuard();
        for (int i = 0; i < 10; i++) {
            guard.arm(inMillis(800));
            Thread.sleep(300);
        }
        assertThat(postmaster.isAlive()).isTrue();
    }

    @Test
    void disarmedGuard_neverFences() throws Exception {
        startGuard();
        guard.arm(inMillis(500));
        guard.disarm();
        assertThat(postmaster.waitFor(1500, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void agentGoneWhileArmed_guardStillFencesAtTheDeadlineThenExits() throws Exception {
        startGuard();
        guard.arm(inMillis(1500));
        ProcessHandle guardHandle = ProcessHandle.of(guard.pid()).orElseThrow();
        guard.abandon();
        assertThat(postmaster.waitFor(4, TimeUnit.SECONDS)).isTrue();
        assertThat(guardHandle.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void cleanExit_leavesPostgresAlone() throws Exception {
        startGuard();
        guard.arm(inMillis(500));
        guard.close();
        ProcessHandle guardHandle = ProcessHandle.of(guard.pid()).orElse(null);
        if (guardHandle != null) {
            guardHandle.onExit().get(5, TimeUnit.SECONDS);
        }
        assertThat(postmaster.waitFor(Duration.ofMillis(1500).toMillis(), TimeUnit.MILLISECONDS))
                .isFalse();
    }
}
