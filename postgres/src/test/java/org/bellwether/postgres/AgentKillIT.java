package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.postgres.TestMembers.Member;
import org.bellwether.testkit.SystemUser;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL must outlive its agent: an agent SIGKILLed together with its whole process group (as a terminal or a
 * careless supervisor would do it) leaves a running primary that the next agent finds and observes.
 */
class AgentKillIT {
    static final String STARTED = "POSTGRES-STARTED";

    @Test
    void postgresStartedByAnAgent_keepsRunningWhenTheAgentsProcessGroupIsKilled() throws Exception {
        try (TestMembers members = new TestMembers("bellwether-kill-")) {
            Member m = members.create("survivor");
            m.node().bootstrap(new TreeMap<>());
            m.node().stop(StopMode.FAST);

            Process agent = startAgent(members.base, m);
            try {
                assertThat(awaitStarted(agent))
                        .as("the agent process reported a start")
                        .isTrue();
                long postmaster =
                        m.dataDirectory().livePostmaster().orElseThrow().pid();

                killProcessGroup(agent.pid());
                assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();

                assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive))
                        .isPresent();
                assertThat(m.node().observe().isPrimary()).isTrue();
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    /** A separate JVM in its own session (so its PID is its process group) that starts PostgreSQL and waits. */
    private static Process startAgent(Path base, Member m) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                "setsid",
                java,
                "-Xmx96m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                AgentMain.class.getName(),
                base.toString(),
                m.name(),
                Integer.toString(m.address().port()));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static boolean awaitStarted(Process agent) throws Exception {
        CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("[agent] " + line);
                    if (line.contains(STARTED)) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return started.get(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
    }

    private static void killProcessGroup(long pgid) throws Exception {
        new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
                .inheritIO()
                .start()
                .waitFor(10, TimeUnit.SECONDS);
    }

    /** The stand-in agent: starts the member's PostgreSQL as a primary, says so, and waits to be killed. */
    public static final class AgentMain {
        public static void main(String[] args) throws Exception {
            PostgresSetup setup = TestMembers.setup(
                    Path.of(args[0]), args[1], Integer.parseInt(args[2]), List.of(), Optional.empty());
            LocalPostgresNode node = LocalPostgresNode.create(
                    setup, () -> TestMembers.SETTINGS, NodeOptions.defaults(), SystemUser::asPostgres);
            node.start(false, Optional.empty(), new TreeMap<>());
            System.out.println(STARTED);
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
    }
}
