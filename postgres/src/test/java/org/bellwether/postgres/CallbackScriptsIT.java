package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.Callbacks.Call;
import org.bellwether.core.ha.Callbacks.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spawns small shell scripts (no PostgreSQL) as callbacks: arguments, never waiting, one at a time, time limit. */
class CallbackScriptsIT {
    @TempDir
    Path dir;

    private Path log;
    private CallbackScripts scripts;

    @BeforeEach
    void writeScripts() throws IOException {
        log = dir.resolve("calls.log");
        script("record.sh", "echo \"$@\" >> '" + log + "'");
        // Writes its PID, then sleeps in a child: killing the script must kill the child too.
        script(
                "slow.sh",
                "echo $$ > '" + dir.resolve("slow.pid") + "'; sleep 60 & echo $! > '" + dir.resolve("child.pid")
                        + "'; wait");
    }

    /** The runner leaves a script it did not have to kill running: the test stops the ones it caused, by PID. */
    @AfterEach
    void close() throws IOException {
        if (scripts != null) {
            scripts.close();
        }
        for (String file : List.of("child.pid", "slow.pid")) {
            if (Files.exists(dir.resolve(file))) {
                ProcessHandle.of(pid(file)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private void script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        file.toFile().setExecutable(true);
    }

    private CallbackScripts scripts(Duration limit, String... eventAndScript) {
        TreeMap<String, String> commands = new TreeMap<>();
        for (int i = 0; i < eventAndScript.length; i += 2) {
            commands.put(eventAndScript[i], dir.resolve(eventAndScript[i + 1]) + " --flag");
        }
        scripts = new CallbackScripts(commands, "demo", limit);
        return scripts;
    }

    @Test
    void script_getsItsOwnArgumentsThenActionRoleAndScope() throws Exception {
        scripts(Duration.ofSeconds(30), "on_role_change", "record.sh", "on_start", "record.sh");

        scripts.call(new Call(Event.ON_ROLE_CHANGE, MemberRole.PRIMARY));
        awaitTrue(() -> lines().size() == 1);
        scripts.call(new Call(Event.ON_START, MemberRole.REPLICA));
        awaitTrue(() -> lines().size() == 2);
        scripts.call(new Call(Event.ON_STOP, MemberRole.REPLICA)); // not configured: nothing runs

        Thread.sleep(300);
        assertThat(lines()).containsExactly("--flag on_role_change primary demo", "--flag on_start replica demo");
    }

    @Test
    void slowScript_doesNotHoldTheCaller_andANewerCallKillsItWithItsChildren() throws Exception {
        scripts(Duration.ofSeconds(60), "on_stop", "slow.sh", "on_role_change", "record.sh");

        long started = System.nanoTime();
        scripts.call(new Call(Event.ON_STOP, MemberRole.PRIMARY));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
        awaitTrue(() -> Files.exists(dir.resolve("child.pid")));
        long script = pid("slow.pid");
        long child = pid("child.pid");

        scripts.call(new Call(Event.ON_ROLE_CHANGE, MemberRole.REPLICA));

        awaitTrue(() -> !alive(script) && !alive(child));
        awaitTrue(() -> lines().contains("--flag on_role_change replica demo"));
    }

    @Test
    void scriptOverTheTimeLimit_isKilled() throws Exception {
        scripts(Duration.ofMillis(500), "on_start", "slow.sh");

        scripts.call(new Call(Event.ON_START, MemberRole.REPLICA));
        awaitTrue(() -> Files.exists(dir.resolve("child.pid")));
        long script = pid("slow.pid");
        long child = pid("child.pid");

        awaitTrue(() -> !alive(script) && !alive(child));
    }

    @Test
    void onReload_runsBesideALifecycleScriptWithoutKillingIt() throws Exception {
        scripts(Duration.ofSeconds(60), "on_start", "slow.sh", "on_reload", "record.sh");

        scripts.call(new Call(Event.ON_START, MemberRole.PRIMARY));
        awaitTrue(() -> Files.exists(dir.resolve("child.pid")));
        scripts.call(new Call(Event.ON_RELOAD, MemberRole.PRIMARY));

        awaitTrue(() -> lines().contains("--flag on_reload primary demo"));
        assertThat(alive(pid("slow.pid"))).isTrue();
    }

    private List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private long pid(String file) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(file)).trim());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition not met within 10 s");
    }
}
