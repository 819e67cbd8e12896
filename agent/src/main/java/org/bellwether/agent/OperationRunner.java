package org.bellwether.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one long PostgreSQL operation at a time on its own thread, so the HA loop keeps renewing the lock meanwhile
 * (Patroni's AsyncExecutor). A finished operation is reported to exactly one observation, then forgotten.
 */
public final class OperationRunner implements Operations, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "postgres-operation");
        thread.setDaemon(true);
        return thread;
    });
    private final Supplier<Duration> clock;
    private final Runnable onFinish;
    private Operation current;

    public OperationRunner(Supplier<Duration> clock, Runnable onFinish) {
        this.clock = clock;
        this.onFinish = onFinish;
    }

    @Override
    public synchronized boolean isBusy() {
        return current != null && current.isRunning();
    }

    @Override
    public synchronized boolean submit(Action.Kind kind, Body body) {
        if (isBusy()) {
            return false;
        }
        Operation started = new Operation(kind, Operation.Phase.RUNNING, clock.get(), Optional.empty());
        current = started;
        executor.execute(() -> {
            Operation finished;
            try {
                body.run();
                finished = new Operation(kind, Operation.Phase.SUCCEEDED, started.startedAt(), Optional.empty());
            } catch (Exception e) {
                LOG.warn("{} failed: {}", kind, e.getMessage());
                finished = new Operation(kind, Operation.Phase.FAILED, started.startedAt(), Optional.of(message(e)));
            }
            synchronized (this) {
                current = finished;
            }
            onFinish.run();
        });
        return true;
    }

    @Override
    public synchronized Optional<Operation> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized Optional<Operation> observe() {
        Optional<Operation> seen = Optional.ofNullable(current);
        if (current != null && !current.isRunning()) {
            current = null;
        }
        return seen;
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
