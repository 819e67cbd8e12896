package org.bellwether.agent.sim;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One timed step of a long PostgreSQL operation (initdb, pg_basebackup, pg_ctl start/stop/promote). What it does to
 * the server happens in two instants: {@code begin} (a stop refuses new writes at once) and {@code end} (the server is
 * down, up, promoted), with the step's duration between them. A step that needs the postmaster fails if PostgreSQL
 * was killed while it ran.
 */
final class OpStep {
    final String what;
    final long duration;
    private final Runnable begin;
    private final Supplier<Optional<String>> end;
    private final boolean failsIfKilled;
    private final SimPostgres postgres;
    private int epochAtBegin;

    OpStep(
            SimPostgres postgres,
            String what,
            long duration,
            Runnable begin,
            Supplier<Optional<String>> end,
            boolean failsIfKilled) {
        this.postgres = postgres;
        this.what = what;
        this.duration = duration;
        this.begin = begin;
        this.end = end;
        this.failsIfKilled = failsIfKilled;
    }

    void begin() {
        epochAtBegin = postgres.epoch();
        begin.run();
    }

    /** Finishes the step; an error message if it failed. */
    Optional<String> end() {
        if (failsIfKilled && postgres.epoch() != epochAtBegin) {
            return Optional.of(what + ": PostgreSQL was killed meanwhile");
        }
        return end.get();
    }
}
