package org.bellwether.agent;

import java.util.List;
import java.util.SortedMap;
import org.bellwether.core.Member;
import org.bellwether.core.ha.PeerStatus;

/** Asks other members for their status ({@code GET /patroni}) in parallel, with a cap per peer. */
@FunctionalInterface
public interface PeerFetcher {
    SortedMap<String, PeerStatus> fetch(List<Member> members);
}
