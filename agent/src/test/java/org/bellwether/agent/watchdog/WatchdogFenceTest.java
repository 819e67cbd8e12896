package org.bellwether.agent.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.bellwether.config.WatchdogConfig;
import org.bellwether.core.HaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogFenceTest {
    private static final HaSettings DEFAULTS = HaSettings.from(Map.of("ttl", 30, "loop_wait", 10, "retry_timeout", 10));

    @TempDir
    Path dir;

    private Path device() throws IOException {
        return Files.createFile(dir.resolve("watchdog"));
    }

    private static WatchdogFence fence(WatchdogConfig.Mode mode, Path device, int margin, HaSettings settings) {
        WatchdogConfig config = new WatchdogConfig(mode, device, margin, "testing");
        return new WatchdogFence(config, WatchdogFence.deviceFor(config), () -> settings);
    }

    @Test
    void leader_armsWithTtlMinusSafetyMargin_feedsOnlyAfterRenewals_andDisarmsWhenItStopsLeading() throws Exception {
        Path device = device();
        WatchdogFence fence = fence(WatchdogConfig.Mode.AUTOMATIC, device, 5, DEFAULTS);

        fence.holdUntil(Duration.ofSeconds(27));
        fence.holdUntil(Duration.ofSeconds(27));
        fence.holdUntil(Duration.ofSeconds(37));
        fence.release();

        assertThat(Files.readString(device)).isEqualTo("Ctimeout=25\n1V");
        assertThat(fence.failed()).isFalse();
    }

    @Test
    void negativeSafetyMargin_firesAtHalfTheTtl() {
        assertThat(WatchdogFence.timeoutFor(30, -1)).isEqualTo(15);
        assertThat(WatchdogFence.timeoutFor(30, 5)).isEqualTo(25);
    }

    @Test
    void fencingAtOnceFromOutsideTheLoop_isNotARenewalToFeedOn() throws Exception {
        Path device = device();
        WatchdogFence fence = fence(WatchdogConfig.Mode.AUTOMATIC, device, 5, DEFAULTS);
        fence.holdUntil(Duration.ofSeconds(27));
        fence.holdUntil(Duration.ofSeconds(12)); // the isolation monitor: fence now
        fence.holdUntil(Duration.ofSeconds(27)); // the loop, still without a renewal
        assertThat(Files.readString(device)).isEqualTo("Ctimeout=25\n");
    }

    @Test
    void automaticModeWithoutDevice_carriesOnWithoutIt() {
        WatchdogFence fence = fence(WatchdogConfig.Mode.AUTOMATIC, dir.resolve("missing"), 5, DEFAULTS);
        fence.holdUntil(Duration.ofSeconds(27));
        assertThat(fence.failed()).isFalse();
    }

    @Test
    void requiredModeWithoutDevice_makesTheNodeUnfitToLead() {
        WatchdogFence fence = fence(WatchdogConfig.Mode.REQUIRED, dir.resolve("missing"), 5, DEFAULTS);
        assertThat(fence.failed()).isTrue();
    }

    @Test
    void requiredModeWithATimeoutShorterThanLoopWait_fails() throws Exception {
        Path device = device();
        WatchdogFence fence = fence(WatchdogConfig.Mode.REQUIRED, device, 25, DEFAULTS);
        assertThat(fence.failed()).isTrue();
        fence.holdUntil(Duration.ofSeconds(27));
        assertThat(Files.readString(device)).isEmpty();
    }

    @Test
    void offMode_neverTouchesTheDevice() throws Exception {
        Path device = device();
        WatchdogFence fence = fence(WatchdogConfig.Mode.OFF, device, 5, DEFAULTS);
        fence.holdUntil(Duration.ofSeconds(27));
        fence.release();
        assertThat(Files.readString(device)).isEmpty();
        assertThat(fence.failed()).isFalse();
    }

    @Test
    void requiredModeOnSomethingThatIsNoWatchdog_failsOnTheTimeoutIoctl() throws Exception {
        // A regular file opens like a device, but the kernel refuses the watchdog ioctl (ENOTTY).
        Path notADevice = device();
        WatchdogConfig config = new WatchdogConfig(WatchdogConfig.Mode.REQUIRED, notADevice, 5, "default");
        WatchdogFence fence = new WatchdogFence(config, new LinuxWatchdogDevice(notADevice), () -> DEFAULTS);
        assertThat(fence.failed()).isFalse();

        fence.holdUntil(Duration.ofSeconds(27));

        assertThat(fence.failed()).isTrue();
        // The failed arming is not repeated every cycle.
        long size = Files.size(notADevice);
        fence.holdUntil(Duration.ofSeconds(37));
        assertThat(Files.size(notADevice)).isEqualTo(size);
    }
}
