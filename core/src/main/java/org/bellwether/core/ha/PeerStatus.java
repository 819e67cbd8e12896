package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.Lsn;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;

/**
 * What a peer answered to {@code GET /patroni} during a leader race (2 s cap), or that it did not answer. A peer "in
 * recovery" is one whose answer has no {@code xlog.location}, the way Patroni infers it.
 */
public record PeerStatus(
        String name,
        boolean reachable,
        MemberRole role,
        boolean inRecovery,
        Optional<Lsn> walPosition,
        Optional<Timeline> timeline,
        Tags tags,
        boolean watchdogFailed) {

    public static PeerStatus unreachable(String name) {
        return new PeerStatus(
                name, false, MemberRole.UNINITIALIZED, true, Optional.empty(), Optional.empty(), Tags.NONE, false);
    }
}
