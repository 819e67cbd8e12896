package org.bellwether.agent.sim;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.agent.PeerFetcher;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.PeerStatus;
import org.bellwether.core.status.NodeStatus;
import org.bellwether.core.status.StatusAt;

/**
 * {@code GET /patroni} on the peers, answered from each peer's published status snapshot (what its REST API serves)
 * without the JSON round trip. A peer behind a cut, frozen or dead does not answer; the caller waits out the 2 s cap.
 */
final class SimPeerFetcher implements PeerFetcher {
    /** The peer client's cap on one request, {@code PeerClient.DEFAULT_TIMEOUT}. */
    static final long TIMEOUT = 2 * SimTime.SECOND;

    private final SimWorld world;
    private final SimNode self;

    SimPeerFetcher(SimWorld world, SimNode self) {
        this.world = world;
        this.self = self;
    }

    @Override
    public SortedMap<String, PeerStatus> fetch(List<Member> members) {
        self.sync();
        SortedMap<String, PeerStatus> answers = new TreeMap<>();
        long slowest = 0;
        for (Member member : members) {
            SimNode peer = world.node(member.name());
            Optional<NodeStatus> status = peer == null || !world.network().connected(self.name(), peer.name())
                    ? Optional.empty()
                    : peer.answeringStatus();
            if (status.isEmpty()) {
                answers.put(member.name(), PeerStatus.unreachable(member.name()));
                slowest = TIMEOUT;
                continue;
            }
            answers.put(member.name(), of(status.get(), peer.clock().get()));
            slowest = Math.max(slowest, SimTime.between(self.rng(), SimTime.MS, 10 * SimTime.MS));
        }
        self.spend(slowest);
        return answers;
    }

    /**
     * What the peer's {@code GET /patroni} says and what {@code PeerClient} reads from it, without the JSON: the role
     * is the live one while PostgreSQL answers, else the one last published in the member key (a stopped former
     * primary still says "primary"); "in recovery" means no {@code xlog.location} and a role other than primary.
     */
    static PeerStatus of(NodeStatus status, Duration peerNow) {
        LocalPostgres local = status.local();
        MemberRole role = new StatusAt(status, peerNow).role();
        long location =
                local.inRecovery() ? 0 : local.writeLsn().orElse(Lsn.ZERO).value();
        boolean inRecovery = location == 0 && role != MemberRole.PRIMARY;
        long position = location;
        if (inRecovery) {
            Lsn replayed = local.replayLsn().orElse(Lsn.ZERO);
            position = Math.max(local.receiveLsn().orElse(replayed).value(), replayed.value());
        }
        return new PeerStatus(
                status.name(),
                true,
                role,
                inRecovery,
                position > 0 ? Optional.of(new Lsn(position)) : Optional.empty(),
                local.timeline(),
                status.tags(),
                false);
    }
}
