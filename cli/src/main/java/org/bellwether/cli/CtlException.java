package org.bellwether.cli;

/**
 * What the operator is told when a command cannot do what was asked: one sentence, printed as {@code Error: ...} on
 * standard error with exit code 1 (as patronictl's {@code PatroniCtlException}), never with a stack trace.
 */
public final class CtlException extends Exception {
    private static final long serialVersionUID = 1L;

    public CtlException(String message) {
        super(message);
    }

    public CtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
