package org.bellwether.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ttl}, {@code loop_wait} and {@code retry_timeout} in seconds, and the one rule between them:
 * {@code loop_wait + 2 * retry_timeout <= ttl}, so that a leader that cannot renew its lock gives up before the lock
 * can expire for the other nodes. Each value is between 1 and {@link ConfigRules#MAX_TIMING}, so the rule's arithmetic
 * cannot overflow.
 */
public record Timing(long ttl, long loopWait, long retryTimeout) {
    public static final Timing DEFAULTS =
            new Timing(HaSettings.DEFAULT_TTL, HaSettings.DEFAULT_LOOP_WAIT, HaSettings.DEFAULT_RETRY_TIMEOUT);

    public Timing {
        requireInRange("ttl", ttl);
        requireInRange("loop_wait", loopWait);
        requireInRange("retry_timeout", retryTimeout);
    }

    /** The timing of {@code settings}, each value brought within 1 and {@link ConfigRules#MAX_TIMING} seconds. */
    public static Timing of(HaSettings settings) {
        return new Timing(
                clamp(settings.ttl().toSeconds()),
                clamp(settings.loopWait().toSeconds()),
                clamp(settings.retryTimeout().toSeconds()));
    }

    /**
     * Patroni's adjustment ({@code Config._validate_and_adjust_timeouts} in {@code patroni/config.py}): when the rule
     * is broken, loop_wait is lowered to {@code ttl - 2 * retry_timeout}; when even a loop_wait of 1 would break it,
     * loop_wait becomes 1 and retry_timeout {@code (ttl - 1) / 2}. ttl is never changed.
     */
    public Timing adjusted() {
        if (ConfigRules.MIN_LOOP_WAIT + 2 * retryTimeout > ttl) {
            return new Timing(ttl, ConfigRules.MIN_LOOP_WAIT, Math.max(1, (ttl - ConfigRules.MIN_LOOP_WAIT) / 2));
        }
        if (loopWait + 2 * retryTimeout > ttl) {
            return new Timing(ttl, ttl - 2 * retryTimeout, retryTimeout);
        }
        return this;
    }

    /**
     * What {@link #adjusted} changed, for a warning: the three values (marking those in {@code defaulted} as defaults),
     * the broken sum, and the values used instead.
     */
    public String describeAdjustment(Timing adjusted, Set<String> defaulted) {
        List<String> lowered = new ArrayList<>();
        if (adjusted.loopWait != loopWait) {
            lowered.add("loop_wait from " + loopWait + " to " + adjusted.loopWait);
        }
        if (adjusted.retryTimeout != retryTimeout) {
            lowered.add("retry_timeout from " + retryTimeout + " to " + adjusted.retryTimeout);
        }
        return String.format(
                "loop_wait + 2*retry_timeout exceeds ttl (loop_wait=%d%s, retry_timeout=%d%s, ttl=%d%s:"
                        + " %d + 2*%d = %d > %d); lowering %s, as Patroni does",
                loopWait,
                defaulted.contains("loop_wait") ? " (default)" : "",
                retryTimeout,
                defaulted.contains("retry_timeout") ? " (default)" : "",
                ttl,
                defaulted.contains("ttl") ? " (default)" : "",
                loopWait,
                retryTimeout,
                loopWait + 2 * retryTimeout,
                ttl,
                String.join(" and ", lowered));
    }

    private static long clamp(long seconds) {
        return Math.max(1, Math.min(ConfigRules.MAX_TIMING, seconds));
    }

    private static void requireInRange(String name, long seconds) {
        if (seconds < 1 || seconds > ConfigRules.MAX_TIMING) {
            throw new IllegalArgumentException(
                    name + " must be between 1 and " + ConfigRules.MAX_TIMING + " seconds, got " + seconds);
        }
    }
}
