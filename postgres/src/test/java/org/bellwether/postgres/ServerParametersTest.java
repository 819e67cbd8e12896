package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class ServerParametersTest {
    private static final ServerParameters.Forced FORCED =
            new ServerParameters.Forced("batman", "127.0.0.1,10.0.0.5", 5433, false);

    @Test
    void localParameters_winOverClusterOnes() {
        SortedMap<String, String> merged = ServerParameters.merge(
                Map.of("work_mem", "4MB", "max_connections", 200), Map.of("work_mem", "64MB"), FORCED);

        assertThat(merged).containsEntry("work_mem", "64MB").containsEntry("max_connections", "200");
    }

    @Test
    void listenPortClusterNameAndHotStandby_areForced() {
        SortedMap<String, String> merged = ServerParameters.merge(
                Map.of("port", 1, "listen_addresses", "*", "cluster_name", "other", "hot_standby", "off"),
                Map.of(),
                FORCED);

        assertThat(merged)
                .containsEntry("listen_addresses", "127.0.0.1,10.0.0.5")
                .containsEntry("port", "5433")
                .containsEntry("cluster_name", "batman")
                .containsEntry("hot_standby", "on");
    }

    @Test
    void replicationDefaults_applyOnlyWhenUnset() {
        assertThat(ServerParameters.merge(Map.of(), Map.of(), FORCED))
                .containsEntry("max_wal_senders", "10")
                .containsEntry("max_replication_slots", "10")
                .containsEntry("wal_level", "replica")
                .containsEntry("wal_log_hints", "on");
        assertThat(ServerParameters.merge(Map.of("max_wal_senders", 5, "max_replication_slots", 20), Map.of(), FORCED))
                .containsEntry("max_wal_senders", "5")
                .containsEntry("max_replication_slots", "20");
    }

    @Test
    void walLevel_isAtLeastReplica_andLogicalStays() {
        assertThat(ServerParameters.merge(Map.of("wal_level", "minimal"), Map.of(), FORCED))
                .containsEntry("wal_level", "replica");
        assertThat(ServerParameters.merge(Map.of("wal_level", "hot_standby"), Map.of(), FORCED))
                .containsEntry("wal_level", "replica");
        assertThat(ServerParameters.merge(Map.of("wal_level", "LOGICAL"), Map.of(), FORCED))
                .containsEntry("wal_level", "logical");
    }

    @Test
    void walLogHints_isForcedOnWithPgRewind_andOtherwiseTheUsersChoice() {
        ServerParameters.Forced rewind = new ServerParameters.Forced("c", "*", 5432, true);

        assertThat(ServerParameters.merge(Map.of("wal_log_hints", false), Map.of(), rewind))
                .containsEntry("wal_log_hints", "on");
        assertThat(ServerParameters.merge(Map.of("wal_log_hints", false), Map.of(), FORCED))
                .containsEntry("wal_log_hints", "off");
    }

    @Test
    void managedRecoverySettings_areDropped_andBooleansBecomeOnOff() {
        SortedMap<String, String> merged = ServerParameters.merge(
                Map.of("primary_conninfo", "host=x", "Primary_Slot_Name", "s", "fsync", false, "ssl", true),
                Map.of(),
                FORCED);

        assertThat(merged).doesNotContainKeys("primary_conninfo", "primary_slot_name");
        assertThat(merged).containsEntry("fsync", "off").containsEntry("ssl", "on");
    }

    @Test
    void localNull_removesAClusterParameter() {
        Map<String, Object> local = new HashMap<>();
        local.put("work_mem", null);

        assertThat(ServerParameters.merge(Map.of("work_mem", "4MB"), local, FORCED))
                .doesNotContainKey("work_mem");
    }

    @Test
    void nameThatIsNotAParameter_isRejected() {
        assertThatThrownBy(() -> ServerParameters.merge(Map.of("work_mem = 1\nfsync", "off"), Map.of(), FORCED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PostgreSQL parameter name");
    }
}
