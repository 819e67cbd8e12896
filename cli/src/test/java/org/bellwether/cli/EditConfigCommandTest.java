package org.bellwether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditConfigCommandTest {
    @TempDir
    Path dir;

    private Ctl ctl;

    @BeforeEach
    void cluster() throws Exception {
        ctl = new Ctl(dir).threeMembers("http://127.0.0.1:8008/patroni");
    }

    @Test
    void set_forced_showsTheDiff_andWritesWithCompareAndSet() throws Exception {
        long version = ctl.store.keys.get("config").version();

        Ctl.Result r = ctl.run("edit-config", "--force", "-s", "loop_wait=5");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                        ---\s
                        +++\s
                        @@ -1,4 +1,4 @@
                        -loop_wait: 10
                        +loop_wait: 5
                         postgresql:
                           parameters:
                             max_connections: 100
                        Configuration changed
                        """);
        assertThat(FakeStore.config(ctl.store)).containsEntry("loop_wait", 5);
        assertThat(ctl.store.keys.get("config").version()).isGreaterThan(version);
    }

    @Test
    void pgShorthand_andNullDeletes() throws Exception {
        Ctl.Result r = ctl.run(
                "edit-config",
                "--force",
                "-q",
                "-p",
                "max_connections=200",
                "-p",
                "auto_explain.log_min_duration=1s",
                "-s",
                "postgresql.use_pg_rewind=null",
                "-s",
                "retry_timeout=");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("Configuration changed\n");
        Map<String, Object> config = FakeStore.config(ctl.store);
        assertThat(config).doesNotContainKey("retry_timeout");
        assertThat(config.get("postgresql"))
                .isEqualTo(Map.of("parameters", Map.of("max_connections", 200, "auto_explain.log_min_duration", "1s")));
    }

    @Test
    void badValue_isRefusedNamingTheKey_andNothingIsWritten() {
        Ctl.Result r = ctl.run("edit-config", "--force", "-s", "loop_wait=soon");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("Error: the new configuration is refused, nothing was written: loop_wait: expected an"
                        + " integer between 1 and 86400, got 'soon'\n");
        assertThat(ctl.store.writes).isEmpty();

        Ctl.Result overflow = ctl.run("edit-config", "--force", "-s", "retry_timeout=9223372036854775807");
        assertThat(overflow.err()).contains("retry_timeout: expected an integer between 3 and 86400");
        assertThat(ctl.store.writes).isEmpty();
        assertThat(ctl.run("edit-config", "--force", "-s", "loop_wait").err())
                .isEqualTo("Error: Invalid parameter setting loop_wait\n");
    }

    @Test
    void brokenTiming_isWrittenWithAWarningOfPatronisAdjustment() throws Exception {
        Ctl.Result timing = ctl.run("edit-config", "--force", "-q", "-s", "ttl=15");

        assertThat(timing.exit()).isZero();
        assertThat(timing.err())
                .isEqualTo("Warning: loop_wait + 2*retry_timeout exceeds ttl (loop_wait=10, retry_timeout=10, ttl=15:"
                        + " 10 + 2*10 = 30 > 15); lowering loop_wait from 10 to 1 and retry_timeout from 10 to 7, as"
                        + " Patroni does\n");
        assertThat(FakeStore.config(ctl.store)).containsEntry("ttl", 15);
    }

    @Test
    void aBadValueWrittenStraightIntoTheDcs_doesNotBlockAnUnrelatedChange() throws Exception {
        ctl.store.put("config", "{\"ttl\":10,\"loop_wait\":9223372036854775807,\"retry_timeout\":4}");

        Ctl.Result pause = ctl.run("edit-config", "--force", "-q", "-s", "pause=true");

        assertThat(pause.exit()).isZero();
        assertThat(FakeStore.config(ctl.store)).containsEntry("pause", true);
        Ctl.Result repair = ctl.run("edit-config", "--force", "-q", "-s", "loop_wait=2");
        assertThat(repair.exit()).isZero();
        assertThat(FakeStore.config(ctl.store)).containsEntry("loop_wait", 2);
    }

    @Test
    void apply_mergesWithPatchConfig_nullsDelete() throws Exception {
        Path file = Files.writeString(
                dir.resolve("patch.yml"),
                "postgresql:\n  parameters:\n    work_mem: 8MB\n  use_pg_rewind: null\nmaximum_lag_on_failover: 0\n");

        Ctl.Result r = ctl.run("edit-config", "--force", "--apply", file.toString());

        assertThat(r.exit()).isZero();
        Map<String, Object> config = FakeStore.config(ctl.store);
        assertThat(config).containsEntry("maximum_lag_on_failover", 0).containsEntry("ttl", 30);
        assertThat(config.get("postgresql"))
                .isEqualTo(Map.of("parameters", Map.of("max_connections", 100, "work_mem", "8MB")));
    }

    @Test
    void replaceFromStandardInput_needsForce() throws Exception {
        ctl.stdin = "ttl: 30\nloop_wait: 10\nretry_timeout: 10\n";

        Ctl.Result r = ctl.run("edit-config", "--replace", "-");

        assertThat(r.out()).endsWith("Use --force option to apply changes\n").contains("-postgresql:");
        assertThat(ctl.store.writes).isEmpty();

        ctl.stdin = "ttl: 30\nloop_wait: 10\nretry_timeout: 10\n";
        assertThat(ctl.run("edit-config", "--replace", "-", "--force", "-q").out())
                .isEqualTo("Configuration changed\n");
        assertThat(FakeStore.config(ctl.store)).doesNotContainKey("postgresql");
    }

    @Test
    void concurrentChange_abortsWithoutOverwriting() throws Exception {
        ctl.store.beforeWrite = () -> {
            ctl.store.beforeWrite = () -> {};
            ctl.store.put("config", "{\"ttl\":40}");
        };

        Ctl.Result r = ctl.run("edit-config", "--force", "-s", "loop_wait=5");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error: Config modification aborted due to concurrent changes\n");
        assertThat(FakeStore.config(ctl.store)).containsExactly(Map.entry("ttl", 40));
    }

    @Test
    void noChange_andDeclined() {
        assertThat(ctl.run("edit-config", "-s", "loop_wait=10").out()).isEqualTo("Not changed\n");
        ctl.stdin = "n\n";
        Ctl.Result r = ctl.run("edit-config", "-s", "loop_wait=5");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).endsWith("Apply these changes? [y/N]: ");
        assertThat(ctl.store.writes).isEmpty();
    }

    @Test
    void editor_isRunOnTheYaml() throws Exception {
        Path editor = dir.resolve("fake-editor");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/ttl: 30/ttl: 60/' \"$1\"\n");
        editor.toFile().setExecutable(true);
        ctl.environment.put("EDITOR", editor.toString());

        Ctl.Result r = ctl.run("edit-config", "--force");

        assertThat(r.out()).contains("-ttl: 30\n+ttl: 60\n").endsWith("Configuration changed\n");
        assertThat(FakeStore.config(ctl.store)).containsEntry("ttl", 60);
    }
}
