package org.bellwether.core.ha;

import org.bellwether.core.HostPort;

/** The member a replica streams from (or clones from), and its PostgreSQL address. */
public record Upstream(String member, HostPort address) {}
