package org.bellwether.dcs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.KeyProblem;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.SyncState;

/**
 * Turns the raw keys of one read into a {@link ClusterView}. Shared by every DCS adapter, because the layout and the
 * values are Patroni's whatever the store. No stored value can fail the read: each key is decoded on its own, and a
 * value that cannot be used (wholly or in part) becomes a {@link KeyProblem} in the view, naming the key, its version
 * and what was wrong, next to whatever could be used (a peer with a broken member key must not stop this node from
 * seeing the leader). Pure: whoever reads in a loop logs the problems, once per change of a key.
 */
public final class ClusterAssembler {
    /** One stored key relative to the cluster prefix, its value, and its version for compare-and-set. */
    public record StoredKey(String relativeKey, String value, long version) {}

    private ClusterAssembler() {}

    /** What one read found so far; each key fills in its part. */
    private static final class Parts {
        Optional<String> initialize = Optional.empty();
        long initializeVersion;
        Optional<ClusterConfig> config = Optional.empty();
        Optional<ClusterView.LeaderKey> leader = Optional.empty();
        Optional<ClusterView.LeaderKey> invalidLeader = Optional.empty();
        final List<Member> members = new ArrayList<>();
        PatroniCodec.Status status = PatroniCodec.Status.EMPTY;
        Optional<Lsn> legacyOptime = Optional.empty();
        List<HistoryEntry> history = List.of();
        Optional<FailoverIntent> failover = Optional.empty();
        Optional<SyncState> sync = Optional.empty();
        Optional<SortedMap<String, String>> failsafe = Optional.empty();
        final List<KeyProblem> problems = new ArrayList<>();
    }

    /** @param prefix the cluster's key prefix, for the keys the problems name */
    public static ClusterView assemble(String prefix, List<StoredKey> keys) {
        Parts parts = new Parts();
        for (StoredKey key : keys) {
            try {
                List<String> problems = read(key, parts);
                if (!problems.isEmpty()) {
                    parts.problems.add(problem(prefix, key, String.join("; ", problems)));
                }
            } catch (RuntimeException | StackOverflowError e) {
                // The decoders never throw by design; should one do anyway, the key is skipped, not the read.
                parts.problems.add(problem(prefix, key, "could not be decoded, skipped: " + e));
            }
        }
        Optional<Lsn> legacy = parts.legacyOptime;
        return new ClusterView(
                parts.initialize,
                parts.config,
                parts.leader,
                parts.members,
                parts.status.optime().or(() -> legacy),
                new TreeMap<>(parts.status.slots()),
                parts.history,
                parts.failover,
                parts.sync,
                parts.failsafe,
                parts.initializeVersion,
                parts.invalidLeader,
                parts.problems,
                parts.status.retainSlots());
    }

    /** Decodes one key into {@code parts}; returns its problems. */
    private static List<String> read(StoredKey key, Parts parts) {
        String name = key.relativeKey();
        String value = key.value();
        long version = key.version();
        if (name.startsWith(PatroniKeys.MEMBERS)) {
            String member = name.substring(PatroniKeys.MEMBERS.length());
            // members/<a>/<b> is not a member key in Patroni's layout (a Citus group's, for one): not ours to read.
            return member.contains("/") ? List.of() : take(MemberDecoder.decode(member, value), parts.members::add);
        }
        return switch (name) {
            case PatroniKeys.INITIALIZE -> {
                parts.initializeVersion = version;
                yield take(KeyDecoders.initialize(value), v -> parts.initialize = Optional.of(v));
            }
            case PatroniKeys.CONFIG -> take(KeyDecoders.config(value, version), v -> parts.config = Optional.of(v));
            case PatroniKeys.LEADER -> readLeader(value, version, parts);
            case PatroniKeys.STATUS -> take(KeyDecoders.status(value), v -> parts.status = v);
            case PatroniKeys.LEGACY_OPTIME ->
                take(KeyDecoders.legacyOptime(value), v -> parts.legacyOptime = Optional.of(v));
            case PatroniKeys.HISTORY -> take(KeyDecoders.history(value), v -> parts.history = v);
            case PatroniKeys.FAILOVER ->
                take(KeyDecoders.failover(value, version), v -> parts.failover = Optional.of(v));
            case PatroniKeys.SYNC -> take(KeyDecoders.sync(value, version), v -> parts.sync = Optional.of(v));
            case PatroniKeys.FAILSAFE -> take(KeyDecoders.failsafe(value), v -> parts.failsafe = Optional.of(v));
            default -> List.of(); // keys of other tools or later versions: not ours to read
        };
    }

    /**
     * The leader key holds a member name, as Patroni writes it (exactly: the holder's renewal compares it byte for
     * byte, so a value with white space around a name is held by nobody either).
     */
    private static List<String> readLeader(String value, long version, Parts parts) {
        if (KeyDecoders.isHolder(value)) {
            parts.leader = Optional.of(new ClusterView.LeaderKey(value, version));
            return List.of();
        }
        parts.invalidLeader = Optional.of(new ClusterView.LeaderKey(value, version));
        return List.of(KeyDecoders.invalidLeaderProblem(value));
    }

    private static <T> List<String> take(Decoded<T> decoded, Consumer<T> into) {
        decoded.value().ifPresent(into);
        if (decoded.value().isEmpty() && decoded.problems().isEmpty()) {
            return List.of("unreadable, skipped");
        }
        return decoded.value().isPresent()
                ? decoded.problems()
                : List.of(String.join("; ", decoded.problems()) + "; skipped");
    }

    private static KeyProblem problem(String prefix, StoredKey key, String text) {
        return new KeyProblem(prefix + key.relativeKey(), key.version(), text);
    }
}
