package org.bellwether.core.status;

import java.util.List;
import java.util.Optional;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.Operation;

/** Patroni's PostgreSQL state strings, and which one describes a node right now. */
public final class PostgresStates {
    /** In Patroni's order: the index is the value of the {@code patroni_postgres_state} metric. */
    public static final List<String> ALL = List.of(
            "initializing new cluster",
            "initdb failed",
            "running custom bootstrap script",
            "custom bootstrap failed",
            "creating replica",
            "running",
            "starting",
            "starting after custom bootstrap",
            "start failed",
            "restarting",
            "restart failed",
            "stopping",
            "stopped",
            "stop failed",
            "crashed");

    private PostgresStates() {}

    public static String describe(LocalPostgres local, Optional<Operation> operation) {
        if (operation.isPresent()) {
            Operation op = operation.get();
            if (op.isRunning()) {
                return switch (op.kind()) {
                    case BOOTSTRAP -> "initializing new cluster";
                    case CLONE, REINITIALIZE -> "creating replica";
                    case START, PROMOTE -> local.isRunning() ? "running" : "starting";
                    case STOP -> "stopping";
                    case DEMOTE, RESTART -> "restarting";
                    default -> local.isRunning() ? "running" : "stopped";
                };
            }
            if (op.phase() == Operation.Phase.SUCCEEDED && op.kind() == Action.Kind.STOP) {
                // The observation of PostgreSQL may predate the stop it reports as done.
                return "stopped";
            }
            if (op.phase() == Operation.Phase.FAILED && !local.isRunning()) {
                if (op.kind() == Action.Kind.BOOTSTRAP) {
                    return "initdb failed";
                }
                if (op.kind() == Action.Kind.START) {
                    return "start failed";
                }
            }
        }
        return switch (local.runState()) {
            case RUNNING -> "running";
            case STARTING -> "starting";
            case STOPPED ->
                local.dataDirectory() == LocalPostgres.DataDirectory.MISSING_OR_EMPTY ? "uninitialized" : "stopped";
        };
    }
}
