package org.bellwether.agent;

import java.time.Duration;
import java.util.Optional;

/**
 * On a replica: the last {@code POST /failsafe} a primary sent while it could not reach the DCS. For ttl after it,
 * that primary is known to be alive and writable, so this node must not race for its lock (Patroni's failsafe).
 *
 * <p>It lives as long as the agent. An agent that ran before may have acknowledged a primary just before it stopped,
 * so for ttl after this one started, nothing is known not to have been heard ({@link #startedWithin}).
 */
public final class FailsafeInbox {
    private record Heard(String primary, Duration at) {}

    private final Duration startedAt;
    private Optional<Heard> last = Optional.empty();

    /** @param startedAt when the agent started, on its monotonic clock */
    public FailsafeInbox(Duration startedAt) {
        this.startedAt = startedAt;
    }

    public synchronized void heard(String primary, Duration at) {
        last = Optional.of(new Heard(primary, at));
    }

    /** Whether the agent started less than {@code ttl} before {@code now}. */
    public boolean startedWithin(Duration now, Duration ttl) {
        return now.minus(startedAt).compareTo(ttl) < 0;
    }

    /** The primary heard within {@code ttl} before {@code now}, if any. */
    public synchronized Optional<String> heardWithin(Duration now, Duration ttl) {
        return last.filter(h -> now.minus(h.at()).compareTo(ttl) < 0).map(Heard::primary);
    }
}
