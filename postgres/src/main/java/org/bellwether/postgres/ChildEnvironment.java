package org.bellwether.postgres;

/**
 * The environment of the programs the agent runs (pg_ctl, and through it the PostgreSQL server; callbacks). Under
 * a {@code Type=notify} systemd unit the agent's {@code NOTIFY_SOCKET} must not reach them: a PostgreSQL built
 * with systemd support would announce its own start and stop on it, as if it were the service.
 */
final class ChildEnvironment {
    private ChildEnvironment() {}

    static ProcessBuilder of(ProcessBuilder builder) {
        builder.environment().remove("NOTIFY_SOCKET");
        return builder;
    }
}
