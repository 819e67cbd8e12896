package org.bellwether.agent.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.agent.Operations;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.Operation;

/**
 * The agent's operation thread, in simulated time. {@code submit} runs the body at once, which only records the
 * PostgreSQL calls as timed steps; the steps then play out as events. When the last step ends (or one fails) the
 * operation is reported once and the loop is woken, as {@code OperationRunner} does.
 *
 * <p>The thread belongs to the agent's process: a frozen agent's steps wait for the thaw; a killed agent's current
 * step still finishes (pg_ctl runs on as a child) but nothing after it.
 */
final class SimOperations implements Operations {
    private final SimNode node;
    private final ArrayDeque<OpStep> remaining = new ArrayDeque<>();
    private final List<Runnable> deferred = new ArrayList<>();
    private Operation current;
    private Optional<Operation> reported = Optional.empty();
    private boolean frozen;
    private boolean abandoned;
    private int token;

    SimOperations(SimNode node) {
        this.node = node;
    }

    @Override
    public boolean submit(Action.Kind kind, Body body) {
        if (isBusy()) {
            return false;
        }
        node.actingNow();
        node.sync();
        SimPostgres postgres = node.postgres();
        postgres.beginRecording();
        try {
            body.run();
        } catch (Exception e) {
            postgres.endRecording();
            current = new Operation(kind, Operation.Phase.FAILED, node.clock().get(), Optional.of(e.toString()));
            node.wake(node.localNow());
            return true;
        }
        remaining.addAll(postgres.endRecording());
        current = new Operation(kind, Operation.Phase.RUNNING, node.clock().get(), Optional.empty());
        node.world().trace().event(node.localNow(), node.name(), "operation " + kind + " started");
        int mine = token;
        long at = node.localNow();
        node.world().schedule(at, () -> guarded(mine, this::beginNext));
        return true;
    }

    private void guarded(int expected, Runnable action) {
        if (expected != token) {
            return;
        }
        if (frozen) {
            deferred.add(action);
            return;
        }
        action.run();
    }

    private void beginNext() {
        if (abandoned) {
            remaining.clear();
            return;
        }
        OpStep step = remaining.poll();
        if (step == null) {
            finish(Optional.empty());
            return;
        }
        step.begin();
        int mine = token;
        node.world().schedule(node.world().now() + step.duration, () -> guarded(mine, () -> endStep(step)));
    }

    private void endStep(OpStep step) {
        Optional<String> error = step.end();
        if (abandoned) {
            remaining.clear();
            return;
        }
        if (error.isPresent()) {
            remaining.clear();
            finish(error);
            return;
        }
        beginNext();
    }

    private void finish(Optional<String> error) {
        Operation.Phase phase = error.isPresent() ? Operation.Phase.FAILED : Operation.Phase.SUCCEEDED;
        current = new Operation(current.kind(), phase, current.startedAt(), error);
        node.world()
                .trace()
                .event(
                        node.world().now(),
                        node.name(),
                        "operation " + current.kind() + " " + phase
                                + error.map(e -> ": " + e).orElse(""));
        node.wake(node.world().now());
    }

    /** A finished operation is reported until a cycle that saw it completes (a preempted one did not count). */
    @Override
    public Optional<Operation> observe() {
        Optional<Operation> seen = Optional.ofNullable(current);
        reported = seen.filter(op -> !op.isRunning());
        return seen;
    }

    void cycleDone() {
        if (reported.isPresent() && reported.get().equals(current)) {
            current = null;
        }
        reported = Optional.empty();
    }

    @Override
    public boolean isBusy() {
        return current != null && current.isRunning();
    }

    @Override
    public Optional<Operation> current() {
        return Optional.ofNullable(current);
    }

    void freeze() {
        frozen = true;
    }

    void thaw() {
        frozen = false;
        List<Runnable> due = List.copyOf(deferred);
        deferred.clear();
        due.forEach(Runnable::run);
    }

    /** The agent was killed: the step under way finishes on its own, nothing else runs. */
    void abandon() {
        abandoned = true;
        thaw();
    }

    /** The machine went down with PostgreSQL: nothing of the operation survives. */
    void cancel() {
        token++;
        remaining.clear();
        deferred.clear();
    }
}
