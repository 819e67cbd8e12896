package org.bellwether.dcs;

import java.time.Duration;

/**
 * A quick, side-effect-free check that the DCS answers with a quorum behind it, for a primary that must notice within
 * a second that it is cut off. Safe to call from another thread while the loop uses the adapter.
 */
public interface DcsProbe {
    /** Whether a quorum read answered within {@code timeout}. */
    boolean answers(Duration timeout);
}
