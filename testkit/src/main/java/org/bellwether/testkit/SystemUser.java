package org.bellwether.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL refuses to run as root, and CI runs as root. When the test JVM is root, commands that start agents or
 * PostgreSQL run as the {@code postgres} system user through {@code setpriv}, which execs (no extra process), so
 * the PID the test holds is the PID of the program itself and signals reach it directly. The environment is kept,
 * so callers set {@code HOME} for the postgres user where it matters.
 */
public final class SystemUser {
    public static final String POSTGRES = "postgres";

    private SystemUser() {}

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code command}, run as the postgres user when this JVM is root, else as it is. */
    public static List<String> asPostgres(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(
                List.of("setpriv", "--reuid=" + POSTGRES, "--regid=" + POSTGRES, "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }
}
