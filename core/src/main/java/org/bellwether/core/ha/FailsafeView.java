package org.bellwether.core.ha;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What failsafe mode ({@code failsafe_mode: true}) adds to an observation while the DCS cannot be read.
 *
 * @param round on a primary: the {@code POST /failsafe} it just sent to every other member of the {@code failsafe}
 *     key, and who did not acknowledge it; empty when no round was sent (failsafe off, DCS readable, not a primary,
 *     or this node not listed in the key)
 * @param primaryHeard on a replica: the member whose {@code POST /failsafe} arrived within ttl. It is alive and
 *     still primary, so nobody may race for its lock
 * @param agentStartedWithinTtl this agent started less than ttl ago. What the agent that ran before it acknowledged
 *     went with it, and may be less than ttl old: some primary may still count on this node not racing
 */
public record FailsafeView(Optional<Round> round, Optional<String> primaryHeard, boolean agentStartedWithinTtl) {
    public static final FailsafeView NONE = new FailsafeView(Optional.empty(), Optional.empty(), false);

    /**
     * One round of {@code POST /failsafe}.
     *
     * @param sentAt monotonic time the requests were sent: a member that acknowledged will not race for ttl from then
     * @param notAcknowledged members that did not answer 200 in time
     */
    public record Round(Duration sentAt, List<String> notAcknowledged) {
        public Round {
            notAcknowledged = List.copyOf(notAcknowledged);
        }

        public boolean acknowledgedByAll() {
            return notAcknowledged.isEmpty();
        }
    }
}
