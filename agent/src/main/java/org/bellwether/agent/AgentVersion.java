package org.bellwether.agent;

/**
 * Versions this agent publishes. Patroni peers compare the member key's {@code version} numerically and change
 * behaviour for old ones (below 2.1.0 they also write the legacy {@code optime/leader} key), so members publish the
 * Patroni version whose behaviour Bellwether implements. Bellwether's own version is for people: {@code --version}
 * and the REST API's {@code Server} header.
 */
public final class AgentVersion {
    public static final String PATRONI_COMPATIBLE = "4.0.0";
    public static final String PRODUCT = "Bellwether";
    public static final String BELLWETHER = "0.1.0";

    private AgentVersion() {}
}
