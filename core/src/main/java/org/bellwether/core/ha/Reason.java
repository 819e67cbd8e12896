package org.bellwether.core.ha;

/**
 * Why a cycle decided what it did: a code that tests assert on and a detail that the one log line per cycle shows.
 * Codes are grouped by the sub-decision that produces them.
 */
public record Reason(Code code, String detail) {
    public enum Code {
        DCS_UNREACHABLE_NOT_LEADER,
        DCS_UNREACHABLE_DEMOTING,
        DCS_UNREACHABLE_FAILSAFE,
        OPERATION_IN_PROGRESS,
        OPERATION_FAILED,
        SHUTTING_DOWN,
        BOOTSTRAP_STARTED,
        BOOTSTRAP_FINISHING,
        BOOTSTRAP_FAILED,
        CLONING_FROM_LEADER,
        WAITING_FOR_LEADER_TO_BOOTSTRAP,
        ADOPTING_EXISTING_DATA,
        REPLICA_WITHOUT_INITIALIZE,
        SYSTEM_ID_MISMATCH,
        STARTING_POSTGRES,
        POSTGRES_STARTING,
        ACQUIRING_LOCK_AS_PRIMARY,
        STALE_PRIMARY_NOT_RACING,
        PROMOTING_AFTER_ACQUIRING_LOCK,
        NOT_ELIGIBLE_FOR_LEADERSHIP,
        WATCHDOG_FAILED,
        FAILSAFE_NOT_LISTED,
        FAILSAFE_PRIMARY_ALIVE,
        FAILSAFE_AGENT_JUST_STARTED,
        LAGGING_BEHIND_LEADER,
        PRIMARY_STILL_ALIVE,
        PEER_AHEAD,
        NOT_ENOUGH_VOTES,
        NO_WAL_POSITION,
        LEADER_KEY_NAMES_NOBODY,
        DELETING_INVALID_LEADER_KEY,
        LEADING,
        PROMOTING_AS_LEADER,
        FOLLOWING_LEADER,
        REFOLLOWING_LEADER,
        DEMOTING_OTHER_NODE_LEADS,
        PAUSED,
        PRIMARY_START_TIMEOUT,
        CHECKING_LEADER_HISTORY,
        LEADER_HISTORY_UNAVAILABLE,
        CRASH_RECOVERY,
        REWINDING,
        WAITING_FOR_LEADER_CHECKPOINT,
        REJOIN_FAILED,
        REINITIALIZING,
        DIVERGED_CANNOT_REJOIN,
        SWITCHOVER_SCHEDULED,
        SWITCHOVER_DEMOTING,
        SWITCHOVER_WAITING_FOR_CANDIDATE,
        SWITCHOVER_HANDING_OVER,
        SWITCHOVER_ABORTED,
        SWITCHOVER_CLEARED,
        SWITCHOVER_TO_OTHER_MEMBER,
        SWITCHOVER_TAKING_OVER,
        REQUEST_ANSWERED,
        RESTARTING,
        RESTART_SKIPPED,
        RELOADING,
        REINITIALIZING_ON_REQUEST,
        STANDBY_CLUSTER_NOT_RUN
    }

    public static Reason of(Code code, String detail) {
        return new Reason(code, detail);
    }

    @Override
    public String toString() {
        return code.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail;
    }
}
