package org.bellwether.agent;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.Callbacks;
import org.bellwether.core.ha.LocalPostgres;

/**
 * Hands the callbacks the core says are due to whatever runs the scripts (nothing until {@link #sendTo} is called,
 * as in the simulator), and remembers the role of the last start-like call: a start in another role is a role change, and an
 * agent that found PostgreSQL already running calls {@code on_start} once, as Patroni does. Called from the loop and the operation thread.
 */
public final class CallbackDispatch {
    /** The role of the last start, stop, restart or role-change call: empty until one was made. */
    private final AtomicReference<Optional<MemberRole>> lastRole = new AtomicReference<>(Optional.empty());

    private volatile Consumer<Callbacks.Call> scripts = call -> {};

    public void sendTo(Consumer<Callbacks.Call> value) {
        this.scripts = value;
    }

    /** After {@code action} succeeded; {@code before} is PostgreSQL as observed when it was planned. */
    void after(Action action, LocalPostgres before) {
        Callbacks.after(action, before, lastRole.get()).forEach(this::call);
    }

    /** At the end of a cycle: the {@code on_start} of an agent that found PostgreSQL running, when due. */
    void afterCycle(LocalPostgres local, boolean operationRunning) {
        Callbacks.onAgentStart(local, lastRole.get().isPresent(), operationRunning)
                .ifPresent(this::call);
    }

    void call(Callbacks.Call call) {
        if (Callbacks.marksStarted(call)) {
            lastRole.set(Optional.of(call.role()));
        }
        scripts.accept(call);
    }
}
