package org.bellwether.core.ha;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.bellwether.core.MemberRole;

/**
 * The filters of a restart request ({@code POST /restart}): restart only in this role, only below this PostgreSQL
 * version, only with a pending restart. {@code timeout} is how long the start may take, as the operator asked.
 *
 * @param belowVersion {@code server_version_num} the running server must be below (Patroni's
 *     {@code postgres_version}: "restart only nodes older than 15.4")
 */
public record RestartConditions(
        Optional<MemberRole> role, OptionalInt belowVersion, boolean onlyIfPending, Optional<Duration> timeout) {

    public static final RestartConditions NONE =
            new RestartConditions(Optional.empty(), OptionalInt.empty(), false, Optional.empty());

    /**
     * Reads a version the way Patroni's {@code postgres_version_to_int} does: {@code 15.4} is 150004, {@code 9.6.3}
     * is 90603. Empty when the text is not such a version.
     */
    public static OptionalInt parseVersion(String text) {
        String[] parts = text.trim().split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            if (major >= 10 && parts.length == 2) {
                return OptionalInt.of(major * 10000 + Integer.parseInt(parts[1]));
            }
            if (major < 10 && parts.length == 3) {
                return OptionalInt.of(major * 10000 + Integer.parseInt(parts[1]) * 100 + Integer.parseInt(parts[2]));
            }
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
        return OptionalInt.empty();
    }
}
