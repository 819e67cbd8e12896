package org.bellwether.agent;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.Member;
import org.bellwether.core.PendingRestart;
import org.bellwether.core.ha.ScheduledRestart;

/**
 * What operating the node adds to its member key, in Patroni's fields: {@code pending_restart} with
 * {@code pending_restart_reason} ({@code {name: {old_value, new_value}}}), and {@code scheduled_restart}
 * ({@code schedule} and the request's filters).
 */
final class MemberOps {
    /** Python's {@code isoformat()} of an aware UTC datetime, which Patroni writes and reads. */
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

    private MemberOps() {}

    static Member decorate(Member m, PendingRestart pending, Optional<ScheduledRestart> scheduled) {
        SortedMap<String, Object> extra = new TreeMap<>(m.extra());
        if (pending.isPending()) {
            SortedMap<String, Object> reasons = new TreeMap<>();
            pending.parameters()
                    .forEach((name, change) -> reasons.put(
                            name,
                            new TreeMap<>(
                                    java.util.Map.of("old_value", change.oldValue(), "new_value", change.newValue()))));
            extra.put("pending_restart_reason", reasons);
        }
        scheduled.ifPresent(s -> extra.put("scheduled_restart", scheduledRestart(s)));
        return new Member(
                m.name(),
                m.apiUrl(),
                m.connUrl(),
                m.state(),
                m.role(),
                m.version(),
                m.xlogLocation(),
                m.receiveLsn(),
                m.replayLsn(),
                m.replicationState(),
                m.timeline(),
                m.tags(),
                pending.isPending(),
                m.paused(),
                m.checkpointAfterPromote(),
                extra);
    }

    private static SortedMap<String, Object> scheduledRestart(ScheduledRestart s) {
        SortedMap<String, Object> json = new TreeMap<>();
        json.put("schedule", s.at().atOffset(ZoneOffset.UTC).format(ISO));
        s.conditions().role().ifPresent(r -> json.put("role", r.wire()));
        s.conditions().belowVersion().ifPresent(v -> json.put("postgres_version", v));
        if (s.conditions().onlyIfPending()) {
            json.put("restart_pending", true);
        }
        s.conditions().timeout().ifPresent(t -> json.put("timeout", t.toSeconds()));
        s.postmasterStartTime()
                .ifPresent(t -> json.put(
                        "postmaster_start_time", t.atOffset(ZoneOffset.UTC).format(ISO)));
        return json;
    }
}
