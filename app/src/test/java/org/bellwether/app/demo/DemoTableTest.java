package org.bellwether.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When the demo calls its cluster healthy ('w' waits for it, DemoIT relies on it), and what its table shows. */
class DemoTableTest {
    private static DemoTable.Row row(String member, String role, String state, String timeline) {
        return new DemoTable.Row(member, "127.0.0.1:5432", role, state, timeline, "");
    }

    @Test
    void oneLeaderAndReplicasStreamingOnItsTimeline_isHealthy() {
        assertThat(DemoTable.isHealthy(List.of(
                        row("n1", "Leader", "running", "2"),
                        row("n2", "Replica", "streaming", "2"),
                        row("n3", "-", "down", ""))))
                .isTrue();
    }

    @Test
    void replicaStillStreamingOnTheKilledPrimarysTimeline_isNotHealthyYet() {
        assertThat(DemoTable.isHealthy(List.of(
                        row("n1", "-", "down", ""),
                        row("n2", "Leader", "running", "2"),
                        row("n3", "Replica", "streaming", "1"))))
                .isFalse();
    }

    @Test
    void noLeader_orAReplicaNotStreaming_isNotHealthy() {
        assertThat(DemoTable.isHealthy(List.of(row("n1", "-", "down", ""), row("n2", "Replica", "streaming", "1"))))
                .isFalse();
        assertThat(DemoTable.isHealthy(
                        List.of(row("n1", "Leader", "running", "1"), row("n2", "Replica", "starting", ""))))
                .isFalse();
    }

    @Test
    void maintenanceMode_isShownUnderTheTable() {
        List<DemoTable.Row> rows = List.of(row("n1", "Leader", "running", "1"));
        assertThat(DemoTable.render(new DemoTable.View(rows, true))).contains("Maintenance mode: on");
        assertThat(DemoTable.render(new DemoTable.View(rows, false))).doesNotContain("Maintenance mode");
    }
}
