package org.bellwether.agent.rest;

/**
 * A request the server refuses with a 4xx (or a deliberate 5xx) status and a short message naming the problem. Thrown
 * by handlers; the server turns it into {@code {"error": message}} and does not log a stack trace.
 */
public final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    public int status() {
        return status;
    }
}
