package org.bellwether.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A PostgreSQL role or REST user and its password. {@code toString} never shows the password.
 *
 * @param connectionOptions further libpq parameters Patroni allows next to a role ({@code sslmode}, {@code sslcert},
 *     {@code sslkey}, {@code sslpassword}, {@code sslrootcert}, {@code sslcrl}, {@code sslcrldir}, {@code gssencmode},
 *     {@code channel_binding}, {@code sslnegotiation}), applied to every connection made with the role;
 *     {@code toString} shows only their names
 */
public record Credentials(String username, Optional<String> password, SortedMap<String, String> connectionOptions) {
    /** The libpq options Patroni allows next to a role, in its documentation's order. */
    public static final List<String> LIBPQ_OPTIONS = List.of(
            "sslmode",
            "sslcert",
            "sslkey",
            "sslpassword",
            "sslrootcert",
            "sslcrl",
            "sslcrldir",
            "gssencmode",
            "channel_binding",
            "sslnegotiation");

    public Credentials {
        connectionOptions = Collections.unmodifiableSortedMap(new TreeMap<>(connectionOptions));
    }

    public Credentials(String username, Optional<String> password) {
        this(username, password, new TreeMap<>());
    }

    /** The {@code Authorization} header of HTTP basic authentication as this user. */
    public String basicAuthorization() {
        String pair = username + ":" + password.orElse("");
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=" + (password.isPresent() ? "***" : "none")
                + (connectionOptions.isEmpty() ? "" : ", options=" + connectionOptions.keySet()) + "]";
    }
}
