package org.bellwether.dcs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the raw keys of one read into a {@link ClusterView}. Shared by every DCS adapter, because the layout and the
 * values are Patroni's whatever the store. A value that cannot be read never fails the read: it is skipped with a
 * warning (a peer with a broken member key must not stop this node from seeing the leader), except where Patroni
 * reads garbage as "empty but present" ({@code config}, {@code sync}), which keeps the version for compare-and-set.
 */
public final class ClusterAssembler {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterAssembler.class);

    /** One stored key relative to the cluster prefix, its value, and its version for compare-and-set. */
    public record StoredKey(String relativeKey, String value, long version) {}

    private ClusterAssembler() {}

    /** @param prefix only for messages */
    public static ClusterView assemble(String prefix, List<StoredKey> keys) {
        Optional<String> initialize = Optional.empty();
        Optional<ClusterConfig> config = Optional.empty();
        Optional<ClusterView.LeaderKey> leader = Optional.empty();
        List<Member> members = new ArrayList<>();
        PatroniCodec.Status status = PatroniCodec.Status.EMPTY;
        Optional<Lsn> legacyOptime = Optional.empty();
        List<HistoryEntry> history = List.of();
        Optional<FailoverIntent> failover = Optional.empty();
        Optional<SyncState> sync = Optional.empty();
        Optional<SortedMap<String, String>> failsafe = Optional.empty();

        for (StoredKey key : keys) {
            String name = key.relativeKey();
            String value = key.value();
            try {
                if (name.startsWith(PatroniKeys.MEMBERS)) {
                    String member = name.substring(PatroniKeys.MEMBERS.length());
                    if (member.isEmpty() || member.contains("/")) {
                        LOG.debug("ignoring {}{}: not a member key", prefix, name);
                    } else {
                        members.add(PatroniCodec.decodeMember(member, value));
                    }
                    continue;
                }
                switch (name) {
                    case PatroniKeys.INITIALIZE -> initialize = Optional.of(value);
                    case PatroniKeys.CONFIG -> config = Optional.of(decodeConfig(prefix, value, key.version()));
                    case PatroniKeys.LEADER ->
                        leader = value.isBlank()
                                ? Optional.empty()
                                : Optional.of(new ClusterView.LeaderKey(value.strip(), key.version()));
                    case PatroniKeys.STATUS -> status = PatroniCodec.decodeStatus(value);
                    case PatroniKeys.LEGACY_OPTIME ->
                        legacyOptime = Optional.of(PatroniCodec.decodeLegacyOptime(value));
                    case PatroniKeys.HISTORY -> history = PatroniCodec.decodeHistory(value);
                    case PatroniKeys.FAILOVER ->
                        failover = Optional.of(PatroniCodec.decodeFailover(value, key.version()));
                    case PatroniKeys.SYNC -> sync = Optional.of(PatroniCodec.decodeSync(value, key.version()));
                    case PatroniKeys.FAILSAFE -> failsafe = Optional.of(PatroniCodec.decodeFailsafe(value));
                    default -> LOG.debug("ignoring unknown key {}{}", prefix, name);
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                LOG.warn("skipping unreadable key {}{}: {}", prefix, name, e.getMessage());
            }
        }
        Optional<Lsn> legacy = legacyOptime;
        Optional<Lsn> optime = status.optime().or(() -> legacy);
        return new ClusterView(
                initialize,
                config,
                leader,
                members,
                optime,
                new TreeMap<>(status.slots()),
                history,
                failover,
                sync,
                failsafe);
    }

    private static ClusterConfig decodeConfig(String prefix, String value, long version) {
        try {
            return PatroniCodec.decodeConfig(value, version);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "{}{} is unreadable, using an empty configuration: {}", prefix, PatroniKeys.CONFIG, e.getMessage());
            return new ClusterConfig(new TreeMap<>(Map.of()), version);
        }
    }
}
