package org.bellwether.agent;

import java.util.Optional;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.Operation;

/**
 * Where long PostgreSQL operations run: a thread in production ({@link OperationRunner}), simulated time in the
 * simulator. One at a time; a finished one is reported to exactly one observation.
 */
public interface Operations {
    /** A long operation's body; its exception message becomes the operation's error. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** Starts {@code body}; refused (false) while another operation runs. */
    boolean submit(Action.Kind kind, Body body);

    /** The running operation, or the one that just finished (reported once). */
    Optional<Operation> observe();

    /**
     * The operation under way, or the one that finished and was not reported yet; unlike {@link #observe()} it
     * reports nothing as seen.
     */
    Optional<Operation> current();

    boolean isBusy();
}
