package org.bellwether.agent;

import java.util.Optional;
import org.bellwether.core.Member;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;

/**
 * Writes this node's member key: each cycle from the loop, and once from the thread about to stop PostgreSQL when a
 * synchronous standby releases itself. While it does, every key published carries {@code nosync} on top of the
 * configured tags; the configuration itself is not touched. One lock orders the two writers, so a cycle cannot
 * overwrite the tag with a key it built before the release began.
 */
final class MemberPublisher {
    private final Dcs dcs;
    private Optional<Member> last = Optional.empty();
    private boolean releasing;

    MemberPublisher(Dcs dcs) {
        this.dcs = dcs;
    }

    synchronized void publish(Member member) throws DcsException {
        last = Optional.of(member);
        dcs.publishMember(releasing ? member.withTags(member.tags().withNoSync()) : member);
    }

    /** Publishes the last key again with {@code nosync}, and adds it to every key until {@link #endRelease()}. */
    synchronized void beginRelease() throws DcsException {
        releasing = true;
        if (last.isPresent()) {
            publish(last.get());
        }
    }

    /** The keys published from now on carry the configured tags again (the loop's next cycle writes one). */
    synchronized void endRelease() {
        releasing = false;
    }
}
