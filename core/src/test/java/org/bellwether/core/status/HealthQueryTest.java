package org.bellwether.core.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HealthQueryTest {

    @ParameterizedTest(name = "lag={0} reads as {1} bytes")
    @CsvSource({
        "0, 0",
        "1048576, 1048576",
        "100B, 100",
        "16kB, 16384",
        "64MB, 67108864",
        "1GB, 1073741824",
        "2TB, 2199023255552",
        "1.5GB, 1610612736",
        "' 8 MB ', 8388608"
    })
    void lagWithOrWithoutUnit_readsAsBytes(String text, long bytes) {
        HealthQuery query = HealthQuery.parse(HealthEndpoint.REPLICA, Map.of("lag", List.of(text)));

        assertThat(query.maxLag()).hasValue(bytes);
    }

    @ParameterizedTest(name = "lag={0} is rejected")
    @ValueSource(strings = {"abc", "-1", "16kb", "16 XB", "1e3", "99999999999TB", "0x10"})
    void malformedLag_isRejectedNamingTheParameter(String text) {
        assertThatThrownBy(() -> HealthQuery.parse(HealthEndpoint.REPLICA, Map.of("lag", List.of(text))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lag");
    }

    @Test
    void emptyLag_meansNoLimit() {
        HealthQuery query = HealthQuery.parse(HealthEndpoint.REPLICA, Map.of("lag", List.of("")));

        assertThat(query.maxLag()).isEqualTo(OptionalLong.empty());
    }

    @Test
    void repeatedParameter_countsWithItsFirstValue() {
        HealthQuery query = HealthQuery.parse(HealthEndpoint.REPLICA, Map.of("lag", List.of("1kB", "junk")));

        assertThat(query.maxLag()).hasValue(1024);
    }

    @Test
    void tagParameters_becomeTagFiltersAndOthersAreIgnored() {
        HealthQuery query = HealthQuery.parse(
                HealthEndpoint.REPLICA,
                Map.of(
                        "tag_zone", List.of("a"),
                        "tag_rack", List.of("7"),
                        "replication_state", List.of("streaming"),
                        "unrelated", List.of("x")));

        assertThat(query.tags()).containsExactly(Map.entry("rack", "7"), Map.entry("zone", "a"));
        assertThat(query.replicationState()).hasValue("streaming");
    }

    @Test
    void unknownReadinessMode_isRejectedNamingTheParameter() {
        assertThatThrownBy(() -> HealthQuery.parse(HealthEndpoint.READINESS, Map.of("mode", List.of("fast"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode")
                .hasMessageContaining("fast");
    }

    @ParameterizedTest(name = "{0} is a health check")
    @ValueSource(
            strings = {
                "/",
                "/primary",
                "/read-write",
                "/master",
                "/standby-leader",
                "/standby_leader",
                "/leader",
                "/replica",
                "/read-only",
                "/synchronous",
                "/sync",
                "/asynchronous",
                "/async",
                "/read-only-sync",
                "/read-only-synchronous",
                "/quorum",
                "/read-only-quorum",
                "/health",
                "/liveness",
                "/readiness"
            })
    void everyPatroniHealthPath_isKnown(String path) {
        assertThat(HealthEndpoint.fromPath(path)).isPresent();
    }

    @Test
    void otherPath_isNotAHealthCheck() {
        assertThat(HealthEndpoint.fromPath("/patroni")).isEmpty();
    }
}
