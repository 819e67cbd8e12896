package org.bellwether.postgres;

import java.util.Map;
import java.util.Optional;
import org.bellwether.config.Credentials;

/**
 * A libpq connection service file ({@code PGSERVICEFILE}) with one section per role that has an
 * {@code sslpassword}. libpq reads that password from a connection string or a service file only; a connection
 * string on a command line is visible to every local user and lands in logs, a service file is private (0600).
 */
final class ServiceFile {
    private ServiceFile() {}

    /** {@code [section]} and {@code sslpassword=...} per role with an sslpassword; empty when none has one. */
    static String render(Map<String, Credentials> roles) {
        StringBuilder out = new StringBuilder();
        roles.forEach((section, user) -> {
            Optional<String> password =
                    Optional.ofNullable(user.connectionOptions().get("sslpassword"));
            password.ifPresent(p -> out.append('[')
                    .append(section)
                    .append("]\nsslpassword=")
                    .append(checked(p))
                    .append('\n'));
        });
        return out.toString();
    }

    /** libpq trims white space around a service file's lines and cannot read a line break inside a value. */
    private static String checked(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an sslpassword cannot contain a line break");
        }
        if (!value.equals(value.strip())) {
            throw new IllegalArgumentException(
                    "an sslpassword that starts or ends with white space cannot be given to libpq's programs");
        }
        return value;
    }
}
