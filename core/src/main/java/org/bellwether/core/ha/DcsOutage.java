package org.bellwether.core.ha;

import java.util.Optional;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.Reason.Code;

/**
 * The DCS cannot be read. Nobody can know who leads, so nobody may write: a primary demotes at once (its lock will
 * expire and another node may be promoted), replicas keep replaying what they receive.
 *
 * <p>The demotion is a fast shutdown, Patroni's {@code offline} demote: sessions end at once, as with an immediate
 * one, but the WAL senders hand every record written so far, the shutdown checkpoint included, to the replicas that
 * are still connected before the server exits. The replica that takes over then has all of it, so acknowledged
 * writes are not lost and the old primary can follow the new timeline without pg_rewind. An immediate shutdown
 * drops whatever the senders had not sent, which forks the old primary's history from the new leader's. Should the
 * shutdown hang (a replica that stopped reading), the fencing guard stops it at the lock deadline.
 */
final class DcsOutage {
    private DcsOutage() {}

    static Decision decide(Observation obs, HaMemory memory, String error) {
        boolean longOperationRunning = obs.operation().map(Operation::isRunning).orElse(false);
        if (obs.local().isPrimary() && !longOperationRunning) {
            return Decision.of(
                    memory,
                    Reason.of(Code.DCS_UNREACHABLE_DEMOTING, "DCS is not reachable (" + error + "), demoting"),
                    new Action.Demote(StopMode.FAST, Optional.empty()));
        }
        return Decision.of(memory, Reason.of(Code.DCS_UNREACHABLE_NOT_LEADER, "DCS is not reachable: " + error));
    }
}
