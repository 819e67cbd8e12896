package org.bellwether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SyncState;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;
import org.junit.jupiter.api.Test;

/** n1 is a running standby of n2 in synchronous_mode on, loop_wait 2 s. */
class SyncReleaseWaitTest {
    private static final TreeMap<String, Object> CONFIG =
            new TreeMap<>(java.util.Map.of("synchronous_mode", "on", "loop_wait", 2, "ttl", 10, "retry_timeout", 4));
    private static final HaSettings SETTINGS = HaSettings.from(CONFIG);
    /** n1's member key as the loop builds it, with the configured tags (none). */
    private static final Member KEY =
            Member.of("n1", "http://n1/patroni", "postgres://n1/postgres", "running", MemberRole.REPLICA);

    /** Whether each member key written carried nosync, in order. */
    private final List<Boolean> publishedNoSync = new ArrayList<>();
    /** What the next reads return; the last one is repeated. */
    private final Deque<ClusterView> reads = new ArrayDeque<>();

    private Duration now = Duration.ZERO;
    private boolean dcsDown;
    private final Dcs dcs = fakeDcs();
    private final MemberPublisher publisher = new MemberPublisher(dcs);
    private final SyncReleaseWait wait =
            new SyncReleaseWait("n1", dcs, publisher, this::tick, Duration.ZERO, Duration.ZERO);

    @Test
    void listedStandby_advertisesNosyncUntilReleased_andDropsItAfterwards() throws Exception {
        publisher.publish(KEY);
        reads.add(syncKeyListing("n1"));
        reads.add(syncKeyListing());

        wait.await(SETTINGS);
        assertThat(reads).hasSize(1); // read until the key no longer listed n1

        publisher.publish(KEY);
        wait.end();
        publisher.publish(KEY);

        // Configured tags; nosync from the release on, on the loop's keys too; configured tags again after it.
        assertThat(publishedNoSync).containsExactly(false, true, true, false);
    }

    @Test
    void leaderThatNeverReleases_isWaitedForTwiceLoopWait() throws Exception {
        reads.add(syncKeyListing("n1"));

        wait.await(SETTINGS);

        // Each clock reading advances one second: the wait ends once four seconds have passed.
        assertThat(now).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
    }

    @Test
    void unreadableDcs_endsTheWaitAtOnce() throws Exception {
        dcsDown = true;

        wait.await(SETTINGS);

        assertThat(now).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    private Duration tick() {
        now = now.plusSeconds(1);
        return now;
    }

    private static ClusterView syncKeyListing(String... standbys) {
        return new ClusterView(
                Optional.of("7000000000000000001"),
                Optional.of(new ClusterConfig(CONFIG, 1)),
                Optional.of(new ClusterView.LeaderKey("n2", 7)),
                List.of(),
                Optional.empty(),
                new TreeMap<>(),
                List.of(),
                Optional.empty(),
                Optional.of(new SyncState(Optional.of("n2"), List.of(standbys), 0, 3)),
                Optional.empty());
    }

    private Dcs fakeDcs() {
        return (Dcs) Proxy.newProxyInstance(Dcs.class.getClassLoader(), new Class<?>[] {Dcs.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "read":
                    if (dcsDown) {
                        throw new DcsException("connection refused");
                    }
                    return reads.size() > 1 ? reads.poll() : reads.peek();
                case "publishMember":
                    publishedNoSync.add(((Member) a[0]).tags().noSync());
                    return null;
                default:
                    throw new AssertionError("unexpected call Dcs." + m.getName());
            }
        });
    }
}
