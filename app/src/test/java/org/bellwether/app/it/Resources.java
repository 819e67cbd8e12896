package org.bellwether.app.it;

/** Stops what a test started, in order, each even when an earlier one fails to close. */
final class Resources {
    private Resources() {}

    /** Closes each resource that is not null; a failure is reported and the rest are still closed. */
    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                System.err.println("closing " + r + ": " + e);
            }
        }
    }
}
