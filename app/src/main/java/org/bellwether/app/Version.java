package org.bellwether.app;

import org.bellwether.agent.AgentVersion;

/** The product version; defined in the agent, whose REST API names it in its {@code Server} header. */
public final class Version {
    public static final String BELLWETHER = AgentVersion.BELLWETHER;

    private Version() {}
}
