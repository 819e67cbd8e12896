package org.bellwether.agent.sim;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.agent.FailsafeCaller;

/**
 * A primary's {@code POST /failsafe} round over the simulated network, sent as {@code PeerClient.postFailsafe} sends
 * it: to every member at the api_url the key gives, all at once, and once more to a member that did not answer 200. A
 * member behind a cut, frozen or dead does not answer, and the sender waits out the 2 s cap before its retry; one that
 * answers runs the real {@code FailsafeResource}, so it acknowledges exactly when a real member would.
 */
final class SimFailsafeCaller implements FailsafeCaller {
    private static final int ACKNOWLEDGED = 200;

    private final SimWorld world;
    private final SimNode self;

    SimFailsafeCaller(SimWorld world, SimNode self) {
        this.world = world;
        this.self = self;
    }

    @Override
    public List<String> post(Map<String, String> apiUrls, String body) {
        self.sync();
        long sentAt = self.localNow();
        TreeMap<String, String> answers = new TreeMap<>();
        TreeMap<String, Long> retryAt = new TreeMap<>();
        apiUrls.forEach((name, url) -> {
            Optional<Integer> status = deliver(url, body);
            answers.put(name, status.map(String::valueOf).orElse("no answer"));
            if (!status.equals(Optional.of(ACKNOWLEDGED))) {
                retryAt.put(name, sentAt + status.map(s -> latency()).orElse(SimPeerFetcher.TIMEOUT));
            }
        });
        long doneAt = sentAt + latency();
        List<String> missing = new ArrayList<>();
        // Retries in the order they fall due: one whose first try timed out goes out only after the cap.
        for (String name : byTime(retryAt)) {
            self.spendUntil(retryAt.get(name));
            self.sync();
            Optional<Integer> status = deliver(apiUrls.get(name), body);
            answers.put(
                    name,
                    answers.get(name) + ", then " + status.map(String::valueOf).orElse("no answer"));
            long answeredAt = self.localNow() + status.map(s -> latency()).orElse(SimPeerFetcher.TIMEOUT);
            doneAt = Math.max(doneAt, answeredAt);
            if (!status.equals(Optional.of(ACKNOWLEDGED))) {
                missing.add(name);
            }
        }
        self.spendUntil(doneAt);
        missing.sort(null);
        world.trace().event(sentAt, self.name(), "POST /failsafe " + answers);
        return missing;
    }

    /** What the member at {@code url} answers now, if it answers at all. */
    private Optional<Integer> deliver(String url, String body) {
        SimNode peer = world.node(URI.create(url).getHost());
        if (peer == null || !world.network().connected(self.name(), peer.name())) {
            return Optional.empty();
        }
        return peer.answerPost("/failsafe", body);
    }

    private long latency() {
        return SimTime.between(self.rng(), SimTime.MS, 10 * SimTime.MS);
    }

    private static List<String> byTime(TreeMap<String, Long> at) {
        return at.keySet().stream()
                .sorted(java.util.Comparator.comparingLong(at::get))
                .toList();
    }
}
