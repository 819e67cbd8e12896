package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bellwether.postgres.ProcessRunner.Command;
import org.bellwether.postgres.ProcessRunner.Result;
import org.junit.jupiter.api.Test;

/** Spawns small shell commands (no PostgreSQL) to check time limits, output capture and the command wrapper. */
class ProcessRunnerIT {
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @Test
    void failingCommand_returnsItsExitCodeAndOutput_andOrThrowQuotesThem() throws Exception {
        Result result = ProcessRunner.direct()
                .run(Command.of("failing tool", TEN_SECONDS, List.of("sh", "-c", "echo out; echo err >&2; exit 3")));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("out").contains("err");
        assertThatThrownBy(result::orThrow)
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("failing tool failed with exit code 3")
                .hasMessageContaining("err");
    }

    @Test
    void commandOverItsTimeLimit_isKilledAndReported() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> ProcessRunner.direct()
                        .run(Command.of(
                                "sleeper", Duration.ofMillis(300), List.of("sh", "-c", "echo going; sleep 30"))))
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("sleeper did not finish within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void environment_reachesTheToolThroughAWrapperThatClearsTheEnvironment() throws Exception {
        ProcessRunner runner = new ProcessRunner(command -> {
            List<String> wrapped = new ArrayList<>(List.of("env", "-i"));
            wrapped.addAll(command);
            return wrapped;
        });

        Result result = runner.run(Command.of("printer", TEN_SECONDS, List.of("sh", "-c", "echo \"[$LC_ALL]\""))
                .withEnv("LC_ALL", "C"));

        assertThat(result.output().trim()).isEqualTo("[C]");
    }

    @Test
    void daemonKeepingThePipeOpen_doesNotHoldTheCallerBeyondAShortGrace() throws Exception {
        long started = System.nanoTime();

        Result result = ProcessRunner.direct()
                .run(Command.of("daemonizer", TEN_SECONDS, List.of("sh", "-c", "sleep 5 & echo forked")));

        assertThat(result.succeeded()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void passwordsInTheEnvironment_areRefused() {
        assertThatThrownBy(() -> Command.of("x", TEN_SECONDS, List.of("true")).withEnv("PGPASSWORD", "secret"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
