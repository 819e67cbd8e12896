package org.bellwether.postgres;

/** A PostgreSQL operation failed; the message names the operation and what went wrong. */
public final class PostgresException extends Exception {
    public PostgresException(String message) {
        super(message);
    }

    public PostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
