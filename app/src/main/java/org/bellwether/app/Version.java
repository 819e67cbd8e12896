package org.bellwether.app;

/** The product version, and the Patroni version Bellwether speaks for (peers gate behaviour on it). */
public final class Version {
    public static final String BELLWETHER = "0.1.0";

    private Version() {}
}
