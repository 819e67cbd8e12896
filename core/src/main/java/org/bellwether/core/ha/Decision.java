package org.bellwether.core.ha;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one cycle: the actions to take in order, the memory for the next cycle, why, and the answer to the
 * operator's request when the cycle answered one.
 *
 * <p>The plan is checked when it is made: at most one long PostgreSQL operation, and it comes last, so that every DCS
 * step it depends on (acquiring the lock before a promotion) has succeeded before it starts.
 */
public record Decision(List<Action> plan, HaMemory next, Reason reason, Optional<RequestAnswer> answer) {
    public Decision(List<Action> plan, HaMemory next, Reason reason) {
        this(plan, next, reason, Optional.empty());
    }

    public Decision {
        plan = List.copyOf(plan);
        long longOperations =
                plan.stream().filter(a -> a.kind().isLongOperation()).count();
        if (longOperations > 1) {
            throw new IllegalStateException("a plan may hold one PostgreSQL operation, got " + plan);
        }
        if (longOperations == 1 && !plan.get(plan.size() - 1).kind().isLongOperation()) {
            throw new IllegalStateException("the PostgreSQL operation must come last in " + plan);
        }
        boolean promotes = plan.stream().anyMatch(a -> a instanceof Action.Promote);
        boolean releases = plan.stream().anyMatch(a -> a instanceof Action.ReleaseLeaderLock);
        if (promotes && releases) {
            throw new IllegalStateException("a plan never promotes and releases the lock together: " + plan);
        }
    }

    public static Decision of(HaMemory next, Reason reason, Action... plan) {
        return new Decision(List.of(plan), next, reason);
    }

    public Decision withAnswer(RequestAnswer value) {
        return new Decision(plan, next, reason, Optional.of(value));
    }
}
