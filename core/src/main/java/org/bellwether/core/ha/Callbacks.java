package org.bellwether.core.ha;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bellwether.core.MemberRole;

/**
 * Which of the operator's scripts ({@code postgresql.callbacks}) an action that succeeded calls, with which role:
 * Patroni's {@code call_nowait} rules. A role change (promote, demote) calls {@code on_role_change} instead of
 * {@code on_start}; a restart calls {@code on_restart} instead of {@code on_stop} and {@code on_start}. A demotion
 * still calls {@code on_stop} first, as Patroni's {@code demote} does, because its stop is an ordinary one.
 */
public final class Callbacks {
    private Callbacks() {}

    /** The callbacks Patroni knows, spelled as in the configuration and as the script's first argument. */
    public enum Event {
        ON_START,
        ON_STOP,
        ON_RESTART,
        ON_RELOAD,
        ON_ROLE_CHANGE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One call of a script: Patroni passes {@code <action> <role> <scope>}. The role is {@code primary} as Patroni 4
     * spells it; Patroni 3 passed {@code master}.
     */
    public record Call(Event event, MemberRole role) {
        public List<String> arguments(String scope) {
            return List.of(event.wire(), role.wire(), scope);
        }
    }

    /**
     * The calls due once {@code action} succeeded; {@code before} is PostgreSQL as observed when it was planned, and
     * {@code lastRole} the role of the last start, stop, restart or role-change call. A start in another role than
     * that one (a former primary stopped for a switchover, started again as a replica) is a role change, as in
     * Patroni's {@code follow}.
     */
    public static List<Call> after(Action action, LocalPostgres before, Optional<MemberRole> lastRole) {
        boolean wasRunning = before.runState() != LocalPostgres.RunState.STOPPED;
        MemberRole roleBefore = before.inRecovery() || !wasRunning ? MemberRole.REPLICA : MemberRole.PRIMARY;
        return switch (action.kind()) {
            case BOOTSTRAP -> List.of(new Call(Event.ON_START, MemberRole.PRIMARY));
            case START -> {
                MemberRole role = role(((Action.Start) action).asReplica());
                boolean changed = lastRole.isPresent() && lastRole.get() != role;
                yield List.of(new Call(changed ? Event.ON_ROLE_CHANGE : Event.ON_START, role));
            }
            case RESTART -> List.of(new Call(Event.ON_RESTART, role(((Action.Restart) action).asReplica())));
            // Copying logical slots stops and starts the replica: a restart to the scripts.
            case COPY_LOGICAL_SLOTS -> List.of(new Call(Event.ON_RESTART, MemberRole.REPLICA));
            case RELOAD -> List.of(new Call(Event.ON_RELOAD, roleBefore));
            case PROMOTE -> List.of(new Call(Event.ON_ROLE_CHANGE, MemberRole.PRIMARY));
            case DEMOTE ->
                wasRunning
                        ? List.of(
                                new Call(Event.ON_STOP, MemberRole.PRIMARY),
                                new Call(Event.ON_ROLE_CHANGE, MemberRole.REPLICA))
                        : List.of(new Call(Event.ON_ROLE_CHANGE, MemberRole.REPLICA));
            // Patroni calls on_stop only when pg_ctl stop signalled a running server.
            case STOP, REWIND, REINITIALIZE -> wasRunning ? List.of(new Call(Event.ON_STOP, roleBefore)) : List.of();
            case TAKE_INITIALIZE_KEY,
                    WRITE_INITIALIZE,
                    REPAIR_INITIALIZE,
                    CANCEL_INITIALIZE,
                    WRITE_CONFIG,
                    CLEAR_FAILOVER,
                    ACQUIRE_LEADER_LOCK,
                    RENEW_LEADER_LOCK,
                    RELEASE_LEADER_LOCK,
                    DELETE_INVALID_LEADER_KEY,
                    APPEND_HISTORY,
                    WRITE_FAILSAFE,
                    SYNC_REPLICATION_SLOTS,
                    WRITE_SYNC,
                    SET_SYNCHRONOUS_STANDBY_NAMES,
                    FOLLOW,
                    CHECKPOINT,
                    CLONE,
                    CRASH_RECOVERY -> List.of();
        };
    }

    /**
     * The {@code on_start} of an agent that found PostgreSQL already running: Patroni calls it on the first cycle in
     * which nothing else called a start, stop, restart or role-change script and no operation is running.
     */
    public static Optional<Call> onAgentStart(LocalPostgres local, boolean calledBefore, boolean operationRunning) {
        if (calledBefore || operationRunning || !local.isRunning()) {
            return Optional.empty();
        }
        return Optional.of(new Call(Event.ON_START, local.inRecovery() ? MemberRole.REPLICA : MemberRole.PRIMARY));
    }

    /** A call that counts as "called" for {@link #onAgentStart}: every one but {@code on_reload}, as in Patroni. */
    public static boolean marksStarted(Call call) {
        return call.event() != Event.ON_RELOAD;
    }

    private static MemberRole role(boolean asReplica) {
        return asReplica ? MemberRole.REPLICA : MemberRole.PRIMARY;
    }
}
