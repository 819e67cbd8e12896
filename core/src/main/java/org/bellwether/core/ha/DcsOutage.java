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
 *
 * <p>Failsafe mode (Patroni's): a primary listed in the {@code failsafe} key stays primary while every other member
 * listed acknowledges its {@code POST /failsafe} each cycle. A member that acknowledged will not race for the lock for
 * ttl, so no other primary can appear while they all answer; one that does not answer could, so the primary demotes.
 */
final class DcsOutage {
    private DcsOutage() {}

    static Decision decide(Observation obs, HaMemory memory, String error) {
        boolean longOperationRunning = obs.operation().map(Operation::isRunning).orElse(false);
        if (obs.local().isPrimary() && !longOperationRunning) {
            Optional<FailsafeView.Round> round = obs.failsafe().round();
            if (round.isPresent() && round.get().acknowledgedByAll()) {
                return Decision.of(
                        memory,
                        Reason.of(
                                Code.DCS_UNREACHABLE_FAILSAFE,
                                "DCS is not reachable (" + error + "); failsafe: every member acknowledged, staying"
                                        + " primary"));
            }
            if (round.isPresent()) {
                return Decision.of(
                        memory,
                        Reason.of(
                                Code.DCS_UNREACHABLE_DEMOTING,
                                "DCS is not reachable (" + error + ") and failsafe was not acknowledged by "
                                        + String.join(", ", round.get().notAcknowledged()) + ", demoting"),
                        new Action.Demote(StopMode.FAST, Optional.empty()));
            }
            return Decision.of(
                    memory,
                    Reason.of(Code.DCS_UNREACHABLE_DEMOTING, "DCS is not reachable (" + error + "), demoting"),
                    new Action.Demote(StopMode.FAST, Optional.empty()));
        }
        return Decision.of(memory, Reason.of(Code.DCS_UNREACHABLE_NOT_LEADER, "DCS is not reachable: " + error));
    }
}
