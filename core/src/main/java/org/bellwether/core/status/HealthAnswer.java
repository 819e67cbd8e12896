package org.bellwether.core.status;

/**
 * The status a health check answers (200 or 503) and why, in words an operator reading a debug log understands.
 */
public record HealthAnswer(int status, String detail) {
    public static final int OK = 200;
    public static final int UNAVAILABLE = 503;

    public static HealthAnswer ok(String detail) {
        return new HealthAnswer(OK, detail);
    }

    public static HealthAnswer unavailable(String detail) {
        return new HealthAnswer(UNAVAILABLE, detail);
    }

    public boolean isOk() {
        return status == OK;
    }
}
