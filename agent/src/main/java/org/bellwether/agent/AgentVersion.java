package org.bellwether.agent;

/**
 * Versions this agent publishes. Patroni peers compare the member key's {@code version} numerically and change
 * behaviour for old ones (below 2.1.0 they also write the legacy {@code optime/leader} key), so members publish the
 * Patroni version whose behaviour Bellwether implements.
 */
public final class AgentVersion {
    public static final String PATRONI_COMPATIBLE = "4.0.0";

    private AgentVersion() {}
}
