package org.bellwether.config;

import java.nio.file.Path;

/**
 * {@code watchdog.*}: whether a leader arms the Linux watchdog, which device, and how many seconds before the leader
 * lock expires it must fire.
 *
 * @param safetyMargin seconds between the watchdog firing and the lock expiring; -1 fires at {@code ttl / 2}
 */
public record WatchdogConfig(Mode mode, Path device, int safetyMargin, String driver) {
    public static final Path DEFAULT_DEVICE = Path.of("/dev/watchdog");
    public static final int DEFAULT_SAFETY_MARGIN = 5;
    public static final WatchdogConfig DEFAULTS =
            new WatchdogConfig(Mode.AUTOMATIC, DEFAULT_DEVICE, DEFAULT_SAFETY_MARGIN, "default");

    public enum Mode {
        /** Never use a watchdog. */
        OFF,
        /** Use it when it can be opened, carry on without it otherwise. */
        AUTOMATIC,
        /** Never become leader without an armed watchdog. */
        REQUIRED
    }
}
