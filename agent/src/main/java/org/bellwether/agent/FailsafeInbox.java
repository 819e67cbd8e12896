package org.bellwether.agent;

import java.time.Duration;
import java.util.Optional;

/**
 * On a replica: the last {@code POST /failsafe} a primary sent while it could not reach the DCS. For ttl after it,
 * that primary is known to be alive and writable, so this node must not race for its lock (Patroni's failsafe).
 */
public final class FailsafeInbox {
    private record Heard(String primary, Duration at) {}

    private Optional<Heard> last = Optional.empty();

    public synchronized void heard(String primary, Duration at) {
        last = Optional.of(new Heard(primary, at));
    }

    /** The primary heard within {@code ttl} before {@code now}, if any. */
    public synchronized Optional<String> heardWithin(Duration now, Duration ttl) {
        return last.filter(h -> now.minus(h.at()).compareTo(ttl) < 0).map(Heard::primary);
    }
}
