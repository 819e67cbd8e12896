package org.bellwether.agent.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.Decision;

/**
 * What happened in a run, as a hash (always) and as text lines (when asked for, to explain a failing seed). Two runs
 * of the same seed must produce the same hash; the determinism check compares them.
 *
 * <p>One line per agent cycle, columns separated by {@code |}:
 *
 * <pre>
 *   12.345s n1   | primary tl2#3@0/3A1F208  agent=running leader=n1 | leading: no action, I am the leader | renew_leader_lock
 *   time   node  | PostgreSQL: role[<-upstream, ? if not streaming] history@flush LSN, agent state, DCS leader key
 *                                                                    | reason code: detail | the plan, in order
 * </pre>
 *
 * and one line per world event (fault, operation start and end, lock created, expired, released, fork, violation):
 * {@code   12.400s n1   * operation PROMOTE SUCCEEDED}.
 */
final class Trace {
    private final boolean keepLines;
    private final List<String> lines = new ArrayList<>();
    private long hash = 0xcbf29ce484222325L;

    Trace(boolean keepLines) {
        this.keepLines = keepLines;
    }

    private void mix(long value) {
        hash ^= value;
        hash *= 0x100000001b3L;
        hash ^= hash >>> 29;
    }

    void event(long at, String who, String what) {
        mix(at);
        mix(who.hashCode());
        mix(what.hashCode());
        if (keepLines) {
            lines.add(String.format(Locale.ROOT, "%10s %-4s * %s", SimTime.format(at), who, what));
        }
    }

    void cycle(SimNode node, long started, Decision decision) {
        mix(started);
        mix(node.index());
        mix(node.postgres().flush());
        if (decision == null) {
            mix(-1);
        } else {
            mix(decision.reason().code().ordinal());
            for (Action action : decision.plan()) {
                mix(action.kind().ordinal());
            }
        }
        if (keepLines) {
            lines.add(line(node, started, decision));
        }
    }

    private static String line(SimNode node, long started, Decision decision) {
        String reason =
                decision == null ? "agent loop threw" : decision.reason().toString();
        String plan = decision == null || decision.plan().isEmpty()
                ? "-"
                : String.join(
                        ",",
                        decision.plan().stream()
                                .map(a -> a.kind().name().toLowerCase(Locale.ROOT))
                                .toList());
        return String.format(
                Locale.ROOT,
                "%10s %-4s | %-36s agent=%s leader=%s | %s | %s",
                SimTime.format(started),
                node.name(),
                node.postgres().describe(),
                node.agent().name().toLowerCase(Locale.ROOT),
                node.world().dcs().leaderName().orElse("-"),
                reason,
                plan);
    }

    long hash() {
        return hash;
    }

    List<String> lines() {
        return lines;
    }
}
