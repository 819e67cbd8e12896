package org.bellwether.dcs;

/** A DCS call failed or timed out; the message says what was being done ("renew leader lock for 'n1': ..."). */
public final class DcsException extends Exception {
    public DcsException(String message) {
        super(message);
    }

    public DcsException(String message, Throwable cause) {
        super(message, cause);
    }
}
