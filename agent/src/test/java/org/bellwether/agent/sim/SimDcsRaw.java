package org.bellwether.agent.sim;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.dcs.PatroniCodec;
import org.bellwether.dcs.PatroniKeys;

/**
 * The simulated store as a plain client would see it, in Patroni's encoding. The store keeps typed values, so the
 * encoding happens here, with the same {@link PatroniCodec} the real adapters use: reading encodes what is stored,
 * writing decodes what Patroni would write and stores it as Patroni would (its leader and member keys on its lease).
 */
final class SimDcsRaw {
    private static final long PATRONI_TTL = SimTime.seconds(30);

    private final SimDcsServer server;
    private long patroniLease;

    SimDcsRaw(SimDcsServer server) {
        this.server = server;
    }

    /** The stored values by key relative to the cluster's prefix. */
    Map<String, String> values() {
        ClusterView view = server.apply(server.timeline().now(), server::view);
        Map<String, String> raw = new TreeMap<>();
        view.initialize().ifPresent(v -> raw.put(PatroniKeys.INITIALIZE, v));
        view.config().ifPresent(c -> raw.put(PatroniKeys.CONFIG, PatroniCodec.encodeConfig(c.raw())));
        view.leader().or(view::invalidLeader).ifPresent(l -> raw.put(PatroniKeys.LEADER, l.name()));
        for (Member member : view.members()) {
            raw.put(PatroniKeys.MEMBERS + member.name(), PatroniCodec.encodeMember(member));
        }
        view.optime()
                .ifPresent(o -> raw.put(
                        PatroniKeys.STATUS,
                        PatroniCodec.encodeStatus(new PatroniCodec.Status(view.optime(), view.slots(), List.of()))));
        if (!view.history().isEmpty()) {
            raw.put(PatroniKeys.HISTORY, PatroniCodec.encodeHistory(view.history()));
        }
        view.failover().ifPresent(f -> raw.put(PatroniKeys.FAILOVER, PatroniCodec.encodeFailover(f)));
        view.sync().ifPresent(s -> raw.put(PatroniKeys.SYNC, PatroniCodec.encodeSync(s)));
        view.failsafe().ifPresent(f -> raw.put(PatroniKeys.FAILSAFE, PatroniCodec.encodeFailsafe(f)));
        return raw;
    }

    /**
     * Stores {@code value} at {@code relative} as Patroni would write it. A value the codec cannot read (a corrupt
     * member key) cannot be stored in a typed store: it is dropped, which is what every adapter's read does with it.
     */
    void write(String relative, String value) {
        server.apply(server.timeline().now(), () -> {
            try {
                store(relative, value);
            } catch (IllegalArgumentException unreadable) {
                // Dropped, as explained above.
            }
            return null;
        });
    }

    private void store(String relative, String value) {
        if (relative.startsWith(PatroniKeys.MEMBERS)) {
            String name = relative.substring(PatroniKeys.MEMBERS.length());
            server.putMember(PatroniCodec.decodeMember(name, value), patroniLease());
            return;
        }
        switch (relative) {
            case PatroniKeys.INITIALIZE -> server.writeInitialize(value, null);
            case PatroniKeys.CONFIG ->
                server.writeConfig(PatroniCodec.decodeConfig(value, 0).raw(), OptionalLong.empty(), null);
            case PatroniKeys.LEADER -> writeLeader(value);
            case PatroniKeys.STATUS -> {
                PatroniCodec.Status status = PatroniCodec.decodeStatus(value);
                status.optime().ifPresent(o -> server.writeStatus(o, status.slots(), java.util.Optional.empty(), null));
            }
            case PatroniKeys.LEGACY_OPTIME ->
                server.writeStatus(
                        PatroniCodec.decodeLegacyOptime(value), new TreeMap<>(), java.util.Optional.empty(), null);
            case PatroniKeys.HISTORY -> server.writeHistory(PatroniCodec.decodeHistory(value), null);
            case PatroniKeys.FAILOVER ->
                server.writeFailover(PatroniCodec.decodeFailover(value, 0), OptionalLong.empty(), null);
            case PatroniKeys.SYNC -> server.writeSync(PatroniCodec.decodeSync(value, 0), OptionalLong.empty(), null);
            case PatroniKeys.FAILSAFE -> server.writeFailsafe(PatroniCodec.decodeFailsafe(value), null);
            default -> throw new IllegalArgumentException("no such key in the simulated store: " + relative);
        }
    }

    /**
     * Patroni takes the free lock on its lease; any other value (a name no node has, or over a held key) is a plain
     * client's put, which in etcd replaces the value and detaches the key from every lease.
     */
    private void writeLeader(String value) {
        if (Member.isValidName(value) && server.acquire(value, patroniLease(), null)) {
            return;
        }
        server.putLeader(value, 0);
    }

    /** Patroni's own session lease, on which its leader and member keys live. */
    private long patroniLease() {
        if (patroniLease == 0 || !server.hasLease(patroniLease)) {
            patroniLease = server.grant(PATRONI_TTL);
        }
        return patroniLease;
    }

    /** Whether the key at {@code relative} lives on {@code lease}, and so dies with it. */
    boolean livesOn(String relative, String owner, long lease) {
        return server.apply(server.timeline().now(), () -> {
            if (lease == 0) {
                return false;
            }
            if (relative.equals(PatroniKeys.LEADER)) {
                return server.leaderLeaseOf(owner) == lease;
            }
            if (relative.startsWith(PatroniKeys.MEMBERS)) {
                return server.memberLease(relative.substring(PatroniKeys.MEMBERS.length())) == lease;
            }
            return false;
        });
    }
}
