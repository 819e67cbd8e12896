package org.bellwether.postgres;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bellwether.core.ha.Callbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator's {@code postgresql.callbacks} scripts as Patroni's {@code CallbackExecutor} does, without the
 * caller ever waiting: one script at a time, and a newer call kills a script still running (with its children), so a
 * slow {@code on_stop} never delays the {@code on_role_change} that follows it. {@code on_reload} has a slot of its
 * own. Unlike Patroni, a script is also killed once it has run for {@code timeLimit}: a hung script must not hold its
 * slot forever. A failing script is logged, never thrown; its output goes to the agent's own output.
 */
public final class CallbackScripts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackScripts.class);

    private final SortedMap<String, String> commands;
    private final String scope;
    private final Duration timeLimit;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "callbacks");
        t.setDaemon(true);
        return t;
    });
    private final Slot lifecycle = new Slot();
    private final Slot reload = new Slot();

    /**
     * @param commands command lines by callback name ({@code on_start: /usr/local/bin/notify.sh --quiet})
     * @param scope the cluster name, the script's third argument
     */
    public CallbackScripts(SortedMap<String, String> commands, String scope, Duration timeLimit) {
        this.commands = Collections.unmodifiableSortedMap(new TreeMap<>(commands));
        this.scope = scope;
        this.timeLimit = timeLimit;
    }

    /** Queues the script for {@code call}, if one is configured; returns at once. */
    public void call(Callbacks.Call call) {
        String command = commands.get(call.event().wire());
        if (command == null) {
            return;
        }
        List<String> args;
        try {
            args = new ArrayList<>(CommandLine.split(command));
        } catch (PostgresException e) {
            LOG.warn(
                    "callback {}: cannot read the command '{}': {}",
                    call.event().wire(),
                    command,
                    e.getMessage());
            return;
        }
        args.addAll(call.arguments(scope));
        Slot slot = call.event() == Callbacks.Event.ON_RELOAD ? reload : lifecycle;
        try {
            thread.execute(() -> slot.replace(args));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("callback {} not run: the agent is shutting down", args);
        }
    }

    /**
     * Lets queued scripts start, then stops taking new ones. Scripts already running go on after the agent exits,
     * as with Patroni: the {@code on_stop} of a shutdown is one of them.
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One script at a time; only touched from the callbacks thread. */
    private final class Slot {
        private Optional<Process> running = Optional.empty();
        private Optional<ScheduledFuture<?>> timeout = Optional.empty();

        void replace(List<String> args) {
            running.filter(Process::isAlive).ifPresent(p -> {
                LOG.info(
                        "callback {} still running: killed for a newer one",
                        p.info().commandLine().orElse("?"));
                kill(p);
            });
            timeout.ifPresent(t -> t.cancel(false));
            try {
                Process process = ChildEnvironment.of(new ProcessBuilder(args))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                LOG.info("callback started: {}", String.join(" ", args));
                running = Optional.of(process);
                timeout = Optional.of(thread.schedule(
                        () -> {
                            if (process.isAlive()) {
                                LOG.warn("callback {} ran longer than {}: killed", args, timeLimit);
                                kill(process);
                            }
                        },
                        timeLimit.toMillis(),
                        TimeUnit.MILLISECONDS));
                process.onExit().thenAccept(p -> {
                    if (p.exitValue() != 0) {
                        LOG.warn("callback {} exited with {}", args, p.exitValue());
                    }
                });
            } catch (IOException e) {
                LOG.warn("callback {} could not start: {}", args, e.getMessage());
                running = Optional.empty();
                timeout = Optional.empty();
            }
        }

        /** The script and everything it started: a shell script's sleep or curl must not outlive it. */
        private void kill(Process process) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
