package org.bellwether.core.ha;

import org.bellwether.core.ClusterView;

/** The cluster as read from the DCS this cycle, or the fact that it could not be read. */
public sealed interface DcsView {
    record Available(ClusterView cluster) implements DcsView {}

    record Unavailable(String error) implements DcsView {}
}
