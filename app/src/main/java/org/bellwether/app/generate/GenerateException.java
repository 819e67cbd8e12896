package org.bellwether.app.generate;

/** Why a configuration could not be generated, in one sentence for the operator. */
public final class GenerateException extends Exception {
    private static final long serialVersionUID = 1L;

    GenerateException(String message) {
        super(message);
    }

    GenerateException(String message, Throwable cause) {
        super(message, cause);
    }
}
