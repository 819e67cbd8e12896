package org.bellwether.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimingTest {
    @ParameterizedTest(name = "ttl={0} loop_wait={1} retry_timeout={2} -> loop_wait={3} retry_timeout={4}")
    @CsvSource({
        // within the rule: unchanged
        "30, 10, 10, 10, 10",
        "10, 2, 4, 2, 4",
        "86400, 86400, 3, 86394, 3",
        // loop_wait lowered to ttl - 2*retry_timeout
        "10, 3, 4, 2, 4",
        "30, 11, 10, 10, 10",
        "10, 86400, 4, 2, 4",
        // even loop_wait 1 breaks it: loop_wait 1, retry_timeout (ttl - 1) / 2
        "10, 2, 9, 1, 4",
        "20, 10, 10, 1, 9",
        "30, 10, 15, 1, 14",
        "5, 1, 3, 1, 2",
        "5, 86400, 86400, 1, 2",
        "86400, 86400, 86400, 1, 43199",
    })
    void adjustsAsPatroniDoes(long ttl, long loopWait, long retry, long adjustedLoopWait, long adjustedRetry) {
        assertThat(new Timing(ttl, loopWait, retry).adjusted())
                .isEqualTo(new Timing(ttl, adjustedLoopWait, adjustedRetry));
    }

    /** Patroni's {@code _validate_and_adjust_timeouts} once minimums are met, written out as it is in Python. */
    private static long[] patroni(long ttl, long loopWait, long retry) {
        long minLoopWait = 1;
        if (minLoopWait + 2 * retry > ttl) {
            return new long[] {minLoopWait, Math.floorDiv(ttl - minLoopWait, 2)};
        } else if (loopWait + 2 * retry > ttl) {
            return new long[] {ttl - 2 * retry, retry};
        }
        return new long[] {loopWait, retry};
    }

    @Test
    void matchesPatroniOverEveryValueUpTo120_andAlwaysKeepsTheRule() {
        for (long ttl = ConfigRules.MIN_TTL; ttl <= 120; ttl++) {
            for (long loopWait = 1; loopWait <= 120; loopWait++) {
                for (long retry = ConfigRules.MIN_RETRY_TIMEOUT; retry <= 120; retry++) {
                    Timing adjusted = new Timing(ttl, loopWait, retry).adjusted();
                    long[] expected = patroni(ttl, loopWait, retry);
                    boolean same = adjusted.ttl() == ttl
                            && adjusted.loopWait() == expected[0]
                            && adjusted.retryTimeout() == expected[1];
                    if (!same || adjusted.loopWait() + 2 * adjusted.retryTimeout() > ttl) {
                        fail("ttl=%d loop_wait=%d retry_timeout=%d: got %s, Patroni gives loop_wait=%d retry_timeout=%d"
                                .formatted(ttl, loopWait, retry, adjusted, expected[0], expected[1]));
                    }
                }
            }
        }
    }

    @Test
    void describesTheAdjustment() {
        Timing given = new Timing(10, 2, 9);

        assertThat(given.describeAdjustment(given.adjusted(), Set.of("loop_wait")))
                .isEqualTo("loop_wait + 2*retry_timeout exceeds ttl (loop_wait=2 (default), retry_timeout=9, ttl=10:"
                        + " 2 + 2*9 = 20 > 10); lowering loop_wait from 2 to 1 and retry_timeout from 9 to 4, as"
                        + " Patroni does");
    }

    @Test
    void valuesOutsideOneSecondToOneDay_areRefused() {
        assertThatThrownBy(() -> new Timing(86_401, 1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Timing(30, 0, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofSettings_bringsValuesIntoRange() {
        HaSettings odd = HaSettings.defaults();
        odd = new HaSettings(
                Duration.ofMillis(500),
                Duration.ofDays(400),
                odd.retryTimeout(),
                odd.maximumLagOnFailover(),
                odd.primaryStartTimeout(),
                false,
                false,
                false,
                true,
                false,
                false,
                SynchronousMode.OFF,
                false,
                1,
                -1,
                false,
                new java.util.TreeMap<>(),
                org.bellwether.core.slots.SlotSettings.NONE,
                0,
                List.of());

        assertThat(Timing.of(odd)).isEqualTo(new Timing(1, 86_400, 10));
    }
}
