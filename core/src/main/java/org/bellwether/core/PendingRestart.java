package org.bellwether.core;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Server parameters whose new value PostgreSQL has read but applies only after a restart ({@code pg_settings}'s
 * {@code pending_restart}), published in the member key as {@code pending_restart: true} and
 * {@code pending_restart_reason: {name: {old_value, new_value}}}, as Patroni does.
 */
public record PendingRestart(SortedMap<String, Change> parameters) {
    public static final PendingRestart NONE = new PendingRestart(new TreeMap<>());

    /** The value the server runs with and the one it will run with after a restart, as PostgreSQL prints them. */
    public record Change(String oldValue, String newValue) {}

    public PendingRestart {
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    public boolean isPending() {
        return !parameters.isEmpty();
    }
}
