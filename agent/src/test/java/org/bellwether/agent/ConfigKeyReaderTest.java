package org.bellwether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.HaSettings;
import org.junit.jupiter.api.Test;

class ConfigKeyReaderTest {
    private final List<String> warnings = new ArrayList<>();
    private final ConfigKeyReader reader = new ConfigKeyReader(warnings::add, UnaryOperator.identity());

    private static ClusterConfig config(long version, Map<String, Object> raw) {
        return new ClusterConfig(new TreeMap<>(raw), version);
    }

    private static final HaSettings TUNED =
            HaSettings.from(Map.of("ttl", 10, "loop_wait", 2, "retry_timeout", 4, "pause", true));

    @Test
    void aBadValue_keepsTheLastGoodOne_andIsLoggedOncePerChange() {
        ClusterConfig bad =
                config(7, Map.of("ttl", 10, "loop_wait", Long.MAX_VALUE, "retry_timeout", 4, "pause", true));

        HaSettings first = reader.settingsFor(bad, TUNED);
        HaSettings second = reader.settingsFor(config(8, bad.raw()), first);

        assertThat(first.loopWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(second).isEqualTo(first);
        assertThat(warnings)
                .containsExactly("config key: loop_wait: expected an integer between 1 and 86400, got"
                        + " 9223372036854775807; keeping 2");
    }

    @Test
    void hugeTtl_doesNotReachTheSettings() {
        HaSettings s = reader.settingsFor(
                config(3, Map.of("ttl", 100_000_000_000L, "loop_wait", 2, "retry_timeout", 4)), TUNED);

        assertThat(s.ttl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.ttl().toMillis() + s.loopWait().toMillis()).isPositive();
        assertThat(warnings).singleElement().asString().startsWith("config key: ttl: expected an integer");
    }

    @Test
    void aRepairedKey_isReadAgain_andWrongTypesNameTheirKeys() {
        reader.settingsFor(
                config(
                        1,
                        Map.of(
                                "synchronous_mode",
                                "maybe",
                                "postgresql",
                                Map.of("parameters", Map.of("work_mem", Map.of())))),
                TUNED);
        HaSettings repaired =
                reader.settingsFor(config(2, Map.of("ttl", 10, "loop_wait", 3, "retry_timeout", 4)), TUNED);

        assertThat(repaired.loopWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(warnings)
                .containsExactly(
                        "config key: postgresql.parameters.work_mem: expected a single value (text, a number or a"
                                + " boolean), got a mapping; left out",
                        "config key: synchronous_mode: expected on, off or quorum (or true/false, yes/no, 1/0), got"
                                + " 'maybe'; keeping off",
                        "config key: loop_wait + 2*retry_timeout exceeds ttl (loop_wait=3, retry_timeout=4, ttl=10: 3 +"
                                + " 2*4 = 11 > 10); lowering loop_wait from 3 to 2, as Patroni does");
    }
}
