package org.bellwether.agent.watchdog;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.bellwether.agent.WriteFence;
import org.bellwether.config.WatchdogConfig;
import org.bellwether.core.HaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchdog as Patroni uses it: armed while this node leads, kept alive after every lock renewal, disarmed when it
 * stops leading. Should the agent freeze or die while leading, the machine is reset {@code ttl - safety_margin}
 * seconds after the last renewal, before the lock can expire elsewhere.
 *
 * <p>In {@code automatic} mode a watchdog that cannot be armed is reported once and done without; in
 * {@code required} mode it makes the node unfit to lead ({@link #failed()}). A failed arming is not retried until
 * the timeout it needs changes (ttl, loop_wait): retrying every cycle would only repeat the same error.
 */
public final class WatchdogFence implements WriteFence {
    private static final Logger LOG = LoggerFactory.getLogger(WatchdogFence.class);

    private final WatchdogConfig config;
    private final WatchdogDevice device;
    private final Supplier<HaSettings> settings;

    private Optional<Duration> lastDeadline = Optional.empty();
    private int armedTimeout;
    private Optional<Integer> failedFor = Optional.empty();

    public WatchdogFence(WatchdogConfig config, WatchdogDevice device, Supplier<HaSettings> settings) {
        this.config = config;
        this.device = device;
        this.settings = settings;
    }

    /** The device the configuration names: Patroni's {@code testing} driver, else the Linux device. */
    public static WatchdogDevice deviceFor(WatchdogConfig config) {
        return config.driver().equals("testing")
                ? new TestingWatchdogDevice(config.device())
                : new LinuxWatchdogDevice(config.device());
    }

    /** Seconds after the last keepalive at which the watchdog must fire. */
    static int timeoutFor(int ttlSeconds, int safetyMargin) {
        return safetyMargin == -1 ? ttlSeconds / 2 : ttlSeconds - safetyMargin;
    }

    @Override
    public synchronized void holdUntil(Duration deadline) {
        if (config.mode() == WatchdogConfig.Mode.OFF) {
            return;
        }
        int timeout = wantedTimeout();
        if (!device.isOpen()) {
            if (failedFor.equals(Optional.of(timeout))) {
                return;
            }
            arm(timeout);
        } else if (lastDeadline.map(last -> deadline.compareTo(last) > 0).orElse(true)) {
            // A later deadline means the lock was renewed: exactly then the watchdog may be fed.
            keepalive(timeout);
        }
        // Never lowered: an earlier deadline (the isolation monitor fencing at once) is no renewal to feed on later.
        lastDeadline = Optional.of(
                lastDeadline.filter(last -> last.compareTo(deadline) > 0).orElse(deadline));
    }

    @Override
    public synchronized void release() {
        lastDeadline = Optional.empty();
        if (!device.isOpen()) {
            return;
        }
        try {
            device.close();
            LOG.info("{} disarmed", device.describe());
        } catch (IOException e) {
            LOG.error("could not disarm {}: {}", device.describe(), e.getMessage());
        }
    }

    @Override
    public synchronized boolean failed() {
        if (config.mode() != WatchdogConfig.Mode.REQUIRED) {
            return false;
        }
        return slack(wantedTimeout()) < 0 || !device.usable() || failedFor.isPresent();
    }

    @Override
    public void close() {
        release();
    }

    private void arm(int timeout) {
        if (slack(timeout) < 0) {
            fail(
                    timeout,
                    "its timeout of " + timeout + " s would be shorter than loop_wait ("
                            + settings.get().loopWait().toSeconds() + " s): raise ttl or lower watchdog.safety_margin");
            return;
        }
        try {
            device.open();
            device.setTimeout(timeout);
            int actual = device.timeout();
            if (actual > timeout) {
                device.close();
                fail(timeout, "it fires after " + actual + " s, later than the " + timeout + " s needed");
                return;
            }
            armedTimeout = actual;
            failedFor = Optional.empty();
            LOG.info("{} armed with a {} s timeout", device.describe(), actual);
        } catch (IOException e) {
            closeQuietly();
            fail(timeout, e.getMessage());
        }
    }

    private void keepalive(int timeout) {
        try {
            device.keepalive();
            if (timeout != armedTimeout) {
                // ttl changed in the dynamic configuration: applied right after a keepalive, as Patroni does.
                device.setTimeout(timeout);
                armedTimeout = device.timeout();
            }
        } catch (IOException e) {
            LOG.error("keepalive to {} failed: {}", device.describe(), e.getMessage());
        }
    }

    private void fail(int timeout, String why) {
        failedFor = Optional.of(timeout);
        if (config.mode() == WatchdogConfig.Mode.REQUIRED) {
            LOG.error(
                    "watchdog.mode is required but {} cannot be used: {}; this node will not lead",
                    device.describe(),
                    why);
        } else {
            LOG.warn("{} not used: {}", device.describe(), why);
        }
    }

    private void closeQuietly() {
        try {
            device.close();
        } catch (IOException e) {
            LOG.debug("closing {} after a failed arming: {}", device.describe(), e.getMessage());
        }
    }

    private int wantedTimeout() {
        return timeoutFor((int) settings.get().ttl().toSeconds(), config.safetyMargin());
    }

    private long slack(int timeout) {
        return timeout - settings.get().loopWait().toSeconds();
    }
}
