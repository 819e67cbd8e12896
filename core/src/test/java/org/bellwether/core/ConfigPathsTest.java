package org.bellwether.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigPathsTest {
    @Test
    void ofPatch_namesEveryLeaf_includingDeletions() {
        Map<String, Object> patch = new HashMap<>();
        patch.put("pause", true);
        patch.put("ttl", null);
        patch.put("postgresql", Map.of("parameters", Map.of("work_mem", "8MB", "auto_explain.log_min_duration", "1s")));

        assertThat(ConfigPaths.ofPatch(patch))
                .containsExactly(
                        "pause",
                        "postgresql.parameters.auto_explain.log_min_duration",
                        "postgresql.parameters.work_mem",
                        "ttl");
    }

    @Test
    void changed_namesWhatDiffers_numbersByValue() {
        Map<String, Object> before = Map.of("ttl", 30, "loop_wait", 10, "postgresql", Map.of("use_slots", true));
        Map<String, Object> after = Map.of("ttl", 30L, "pause", true, "postgresql", Map.of("use_slots", false));

        assertThat(ConfigPaths.changed(before, after)).containsExactly("loop_wait", "pause", "postgresql.use_slots");
    }

    @Test
    void touches_sameKey_enclosingSection_orSettingWithin() {
        assertThat(ConfigPaths.touches("loop_wait", List.of("loop_wait"))).isTrue();
        assertThat(ConfigPaths.touches("loop_wait", List.of("pause"))).isFalse();
        assertThat(ConfigPaths.touches("standby_cluster", List.of("standby_cluster.host")))
                .isTrue();
        assertThat(ConfigPaths.touches("postgresql.parameters.x", List.of("postgresql")))
                .isTrue();
        assertThat(ConfigPaths.touches("postgresql.parameters.x", List.of("postgresql.parameters.xy")))
                .isFalse();
    }
}
