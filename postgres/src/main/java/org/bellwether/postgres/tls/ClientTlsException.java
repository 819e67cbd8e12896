package org.bellwether.postgres.tls;

import java.security.GeneralSecurityException;

/** A client TLS setting that cannot be used as it stands; the message names the setting and the file. */
public final class ClientTlsException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    ClientTlsException(String message) {
        super(message);
    }

    ClientTlsException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Why a connection failed, in one line: this exception's message when it is among the causes (the driver wraps
     * it in "could not be instantiated", which says nothing), else the failure's own message.
     */
    public static String reasonIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientTlsException) {
                return t.getMessage();
            }
        }
        return String.valueOf(failure.getMessage()).strip();
    }
}
