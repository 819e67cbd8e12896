package org.bellwether.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HistoryEntry;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.SyncState;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;
import org.junit.jupiter.api.Test;

/**
 * The {@link Dcs} contract, written once and run against every backend: a subclass provides adapters on one cluster
 * and the faults ({@link DcsContractSupport}). The clauses are the port's written contracts: the lock is exclusive,
 * ends within its ttl when nobody renews it and at once when released, survives short outages and not long ones;
 * compare-and-set refuses stale versions; a call that timed out is settled by the next read; watches wake for what
 * may change a decision and not for member churn; and what is stored is Patroni's format. The clauses for repairing
 * broken keys are in {@link DcsRepairContract}.
 */
public abstract class DcsContract extends DcsRepairContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acquire_isExclusive_whenSeveralNodesRaceConcurrently() throws Exception {
        List<Dcs> nodes = List.of(adapter("n1", ttl()), adapter("n2", ttl()), adapter("n3", ttl()));
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            for (int round = 0; round < 20; round++) {
                CyclicBarrier start = new CyclicBarrier(nodes.size());
                List<Future<Boolean>> tries = new ArrayList<>();
                for (Dcs node : nodes) {
                    tries.add(pool.submit(() -> {
                        start.await();
                        return node.acquireLeaderLock();
                    }));
                }
                List<Integer> winners = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    if (tries.get(i).get(10, TimeUnit.SECONDS)) {
                        winners.add(i);
                    }
                }

                assertThat(winners).as("exactly one winner in round %d", round).hasSize(1);
                int winner = winners.get(0);
                assertThat(nodes.get(0).read().leaderName()).contains("n" + (winner + 1));
                nodes.get(winner).releaseLeaderLock();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lock_isLostWithinTtl_whenItsHolderStopsRenewing() throws Exception {
        Dcs n1 = adapter("n1", shortTtl());
        Dcs n2 = adapter("n2", shortTtl());
        long sent = System.nanoTime();
        assertThat(n1.acquireLeaderLock()).isTrue();
        assertThat(n2.acquireLeaderLock()).isFalse();
        stopRenewing(n1);

        Duration gone = awaitCondition(() -> n2.read().leader().isEmpty(), sent);

        assertThat(gone)
                .as("not before the ttl, the agent's deadline counts on it")
                .isGreaterThan(shortTtl().minusMillis(300))
                .isLessThan(shortTtl().plus(expirySlack()));
        assertThat(n2.acquireLeaderLock()).isTrue();
    }

    @Test
    void renewal_keepsTheLockBeyondItsTtl() throws Exception {
        Dcs n1 = adapter("n1", shortTtl());
        Dcs n2 = adapter("n2", shortTtl());
        assertThat(n1.acquireLeaderLock()).isTrue();
        n1.publishMember(member("n1", MemberRole.PRIMARY));

        long end = System.nanoTime() + shortTtl().multipliedBy(3).dividedBy(2).toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(shortTtl().toMillis() / 4);
            assertThat(n1.renewLeaderLock()).isTrue();
        }

        assertThat(n2.acquireLeaderLock()).isFalse();
        ClusterView view = n2.read();
        assertThat(view.leaderName()).contains("n1");
        assertThat(view.member("n1")).isPresent();
    }

    @Test
    void releasedLock_isFreeAtOnce_andReleasingAnotherNodesLockLeavesItAlone() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        Dcs n2 = adapter("n2", ttl());
        assertThat(n1.acquireLeaderLock()).isTrue();

        n1.releaseLeaderLock();

        assertThat(n2.acquireLeaderLock()).isTrue();
        n1.releaseLeaderLock();
        assertThat(n1.read().leaderName()).contains("n2");
        assertThat(n1.renewLeaderLock()).isFalse();
        assertThat(n2.renewLeaderLock()).isTrue();
    }

    @Test
    void compareAndSetWrites_failOnAStaleVersion() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        TreeMap<String, Object> config = new TreeMap<>(Map.of("ttl", 30, "loop_wait", 10));

        assertThat(n1.writeConfig(config, OptionalLong.of(0)))
                .as("version 0: create when absent")
                .isTrue();
        long v1 = n1.read().config().orElseThrow().version();
        assertThat(v1).isNotZero();
        config.put("ttl", 20);
        assertThat(n1.writeConfig(config, OptionalLong.of(0)))
                .as("create when present")
                .isFalse();
        assertThat(n1.writeConfig(config, OptionalLong.of(v1))).isTrue();
        config.put("ttl", 40);
        assertThat(n1.writeConfig(config, OptionalLong.of(v1)))
                .as("stale config version")
                .isFalse();
        assertThat(n1.read().config().orElseThrow().raw()).containsEntry("ttl", 20);

        FailoverIntent intent = new FailoverIntent(Optional.of("n1"), Optional.of("n2"), Optional.empty(), 0);
        assertThat(n1.writeFailover(intent, OptionalLong.empty())).isTrue();
        long fv = n1.read().failover().orElseThrow().version();
        assertThat(n1.writeFailover(intent, OptionalLong.of(fv - 1)))
                .as("stale failover version")
                .isFalse();
        assertThat(n1.writeFailover(intent, OptionalLong.of(fv))).isTrue();
        n1.deleteFailover();
        assertThat(n1.read().failover()).isEmpty();
        assertThat(n1.writeFailover(intent, OptionalLong.of(fv)))
                .as("absent, not at that version")
                .isFalse();

        SyncState sync = new SyncState(Optional.of("n1"), List.of("n2"), 0, 0);
        assertThat(n1.writeSync(sync, OptionalLong.of(0))).isTrue();
        long sv = n1.read().sync().orElseThrow().version();
        assertThat(n1.writeSync(sync, OptionalLong.of(0)))
                .as("create when present")
                .isFalse();
        assertThat(n1.writeSync(new SyncState(Optional.of("n1"), List.of(), 0, 0), OptionalLong.of(sv)))
                .isTrue();
        assertThat(n1.read().sync().orElseThrow().syncStandbys()).isEmpty();

        assertThat(n1.takeInitializeKey("")).isTrue();
        assertThat(adapter("n2", ttl()).takeInitializeKey("")).isFalse();
        n1.cancelInitialize();
        assertThat(n1.read().initialize()).isEmpty();
    }

    @Test
    void watch_firesOnLeaderAndConfigChanges_butNotOnMemberUpdates() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        Dcs n2 = adapter("n2", ttl());
        Semaphore wakeups = new Semaphore(0);
        n2.onChange(wakeups::release);
        assertThat(wakeups.tryAcquire(5, TimeUnit.SECONDS))
                .as("a new watch wakes once")
                .isTrue();
        Thread.sleep(300);
        wakeups.drainPermits();

        n1.acquireLeaderLock();
        assertThat(wakeups.tryAcquire(3, TimeUnit.SECONDS)).as("leader change").isTrue();
        wakeups.drainPermits();

        n1.writeConfig(new TreeMap<>(Map.of("ttl", 30)), OptionalLong.empty());
        assertThat(wakeups.tryAcquire(3, TimeUnit.SECONDS)).as("config change").isTrue();
        wakeups.drainPermits();

        n1.publishMember(member("n1", MemberRole.PRIMARY));
        n1.publishMember(member("n1", MemberRole.REPLICA));
        assertThat(wakeups.tryAcquire(700, TimeUnit.MILLISECONDS))
                .as("member keys do not wake")
                .isFalse();

        n1.writeStatus(new Lsn(100), new TreeMap<>());
        assertThat(wakeups.tryAcquire(3, TimeUnit.SECONDS))
                .as("status wakes the others")
                .isTrue();
        wakeups.drainPermits();

        n1.releaseLeaderLock();
        assertThat(wakeups.tryAcquire(3, TimeUnit.SECONDS)).as("leader deleted").isTrue();
    }

    @Test
    void watch_doesNotWakeTheLeader_forTheStatusItWritesItself() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        Semaphore wakeups = new Semaphore(0);
        n1.onChange(wakeups::release);
        assertThat(n1.acquireLeaderLock()).isTrue();
        assertThat(wakeups.tryAcquire(3, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);
        wakeups.drainPermits();

        n1.writeStatus(new Lsn(200), new TreeMap<>());

        assertThat(wakeups.tryAcquire(700, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void timedOutWrite_thatWasApplied_isSeenByTheNextRead() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        n1.writeConfig(new TreeMap<>(Map.of("ttl", 30)), OptionalLong.empty());

        dropReplies(n1);
        timedFailure(() -> n1.writeConfig(new TreeMap<>(Map.of("ttl", 31)), OptionalLong.empty()));
        heal(n1);

        assertThat(eventually(n1::read).config().orElseThrow().raw()).containsEntry("ttl", 31);
    }

    @Test
    void timedOutWrite_thatNeverArrived_isAbsentFromTheNextRead() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        n1.writeConfig(new TreeMap<>(Map.of("ttl", 30)), OptionalLong.empty());
        long version = n1.read().config().orElseThrow().version();

        cut(n1);
        timedFailure(() -> n1.writeConfig(new TreeMap<>(Map.of("ttl", 31)), OptionalLong.of(version)));
        heal(n1);

        ClusterView view = eventually(n1::read);
        assertThat(view.config().orElseThrow().raw()).containsEntry("ttl", 30);
        assertThat(view.config().orElseThrow().version()).isEqualTo(version);
        assertThat(n1.writeConfig(new TreeMap<>(Map.of("ttl", 32)), OptionalLong.of(version)))
                .as("the version read is the one to compare with")
                .isTrue();
    }

    @Test
    void timedOutAcquire_isSettledByTheNextRead_andRenewAgreesWithIt() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        Dcs n2 = adapter("n2", ttl());

        dropReplies(n1);
        timedFailure(n1::acquireLeaderLock);
        heal(n1);

        ClusterView view = eventually(n1::read);
        if (view.isLeader("n1")) {
            assertThat(n1.renewLeaderLock()).as("the read said n1 holds it").isTrue();
            assertThat(n2.acquireLeaderLock()).isFalse();
        } else {
            assertThat(view.leader()).isEmpty();
            assertThat(n1.renewLeaderLock()).as("the read said nobody holds it").isFalse();
            assertThat(n2.acquireLeaderLock()).isTrue();
        }
    }

    @Test
    void serverRestart_shorterThanTtl_keepsTheLock() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        Dcs n2 = adapter("n2", ttl());
        assertThat(n1.acquireLeaderLock()).isTrue();
        long renewed = System.nanoTime();

        restartServers();
        assertThat(Duration.ofNanos(System.nanoTime() - renewed))
                .as("the restart is shorter than the ttl")
                .isLessThan(ttl().minus(retry()));

        assertThat(eventually(n1::renewLeaderLock)).isTrue();
        assertThat(n2.acquireLeaderLock()).isFalse();
        assertThat(n2.read().leaderName()).contains("n1");
    }

    @Test
    void connectionLoss_shorterThanTtl_keepsTheLock_butIsNoHeldLockWhileItLasts() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        Dcs n2 = adapter("n2", ttl());
        assertThat(n1.acquireLeaderLock()).isTrue();

        cut(n1);
        DcsException e = timedFailure(n1::renewLeaderLock);
        assertThat(e.getMessage()).startsWith("renew leader lock for 'n1' at " + prefix + "leader: ");
        assertThat(n2.acquireLeaderLock()).isFalse();
        heal(n1);

        assertThat(timed(n1::renewLeaderLock)).isTrue();
        assertThat(n2.acquireLeaderLock()).isFalse();
    }

    @Test
    void connectionLoss_longerThanTtl_losesTheLock_andTheHolderLearnsIt() throws Exception {
        Dcs n1 = adapter("n1", shortTtl());
        Dcs n2 = adapter("n2", shortTtl());
        assertThat(n1.acquireLeaderLock()).isTrue();
        n1.publishMember(member("n1", MemberRole.PRIMARY));

        long sent = System.nanoTime();
        cut(n1);
        awaitCondition(n2::acquireLeaderLock, sent);
        heal(n1);

        assertThat(eventually(n1::renewLeaderLock)).isFalse();
        assertThat(n1.read().leaderName()).contains("n2");
        n1.publishMember(member("n1", MemberRole.PRIMARY));
        assertThat(n2.read().member("n1"))
                .as("the member key comes back with the next publish")
                .isPresent();
    }

    @Test
    void closingAnAdapter_doesNotReleaseItsLock_beforeItsTtlEnds() throws Exception {
        Dcs n1 = adapter("n1", shortTtl());
        Dcs n2 = adapter("n2", shortTtl());
        long sent = System.nanoTime();
        assertThat(n1.acquireLeaderLock()).isTrue();

        n1.close();

        assertThat(n2.read().leaderName()).as("closing is not releasing").contains("n1");
        Duration gone = awaitCondition(() -> n2.read().leader().isEmpty(), sent);
        assertThat(gone)
                .isGreaterThan(shortTtl().minusMillis(300))
                .isLessThan(shortTtl().plus(expirySlack()));
    }

    @Test
    void calls_whileCutOff_throwWithinTheBudget_sayingWhatWasBeingDone() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        n1.read();

        cut(n1);

        assertThat(timedFailure(n1::read).getMessage()).startsWith("read cluster at " + prefix + ": ");
        assertThat(timedFailure(() -> {
                            n1.publishMember(member("n1", MemberRole.REPLICA));
                            return null;
                        })
                        .getMessage())
                .startsWith("publish member 'n1' at " + prefix + "members/n1: ");
    }

    @Test
    void valuesWritten_matchPatroniFormats_whenReadRaw() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        assertThat(n1.takeInitializeKey("")).isTrue();
        n1.writeInitialize("7357872398432105723");
        n1.writeConfig(
                new TreeMap<>(Map.of("ttl", 30, "postgresql", Map.of("use_pg_rewind", true))), OptionalLong.empty());
        assertThat(n1.acquireLeaderLock()).isTrue();
        n1.publishMember(new Member(
                "n1",
                Optional.of("http://127.0.0.1:8008/patroni"),
                Optional.of("postgres://127.0.0.1:5432/postgres"),
                "running",
                MemberRole.PRIMARY,
                Optional.of("4.0.4"),
                Optional.of(new Lsn(50331808)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new Timeline(2)),
                Tags.of(new TreeMap<>(Map.of("nofailover", false))),
                false,
                false,
                Optional.of(false),
                new TreeMap<>()));
        n1.writeStatus(new Lsn(67108960), new TreeMap<>(Map.of("n2", new Lsn(67108800))));
        n1.writeHistory(List.of(new HistoryEntry(
                new Timeline(1),
                new Lsn(50331808),
                "no recovery target specified",
                Optional.of("2024-05-01T10:00:00+00:00"),
                Optional.of("n1"))));
        n1.writeFailover(
                new FailoverIntent(
                        Optional.of("n1"), Optional.of("n2"), Optional.of(Instant.parse("2024-05-01T10:00:00Z")), 0),
                OptionalLong.empty());
        n1.writeSync(new SyncState(Optional.of("n1"), List.of("n3", "n2"), 1, 0), OptionalLong.empty());
        n1.writeFailsafe(
                new TreeMap<>(Map.of("n1", "http://127.0.0.1:8008/patroni", "n2", "http://127.0.0.1:8009/patroni")));

        Map<String, String> raw = rawValues(prefix);

        assertThat(raw.get("initialize")).isEqualTo("7357872398432105723");
        assertThat(raw.get("leader")).isEqualTo("n1");
        assertThat(livesWith(prefix, "leader", n1))
                .as("the leader key lives on n1's lease/session")
                .isTrue();
        assertThat(livesWith(prefix, "members/n1", n1))
                .as("so does its member key")
                .isTrue();
        assertThat(livesWith(prefix, "config", n1)).as("config is permanent").isFalse();
        assertThat(JSON.readTree(raw.get("config")))
                .isEqualTo(JSON.readTree("{\"postgresql\":{\"use_pg_rewind\":true},\"ttl\":30}"));

        JsonNode member = JSON.readTree(raw.get("members/n1"));
        assertThat(member.get("conn_url").asText()).isEqualTo("postgres://127.0.0.1:5432/postgres");
        assertThat(member.get("api_url").asText()).isEqualTo("http://127.0.0.1:8008/patroni");
        assertThat(member.get("state").asText()).isEqualTo("running");
        assertThat(member.get("role").asText()).isEqualTo("primary");
        assertThat(member.get("version").asText()).isEqualTo("4.0.4");
        assertThat(member.get("xlog_location").isIntegralNumber()).isTrue();
        assertThat(member.get("xlog_location").asLong()).isEqualTo(50331808);
        assertThat(member.get("timeline").isInt()).isTrue();
        assertThat(member.get("tags").get("nofailover").isBoolean()).isTrue();
        assertThat(member.get("checkpoint_after_promote").isBoolean()).isTrue();
        assertThat(member.has("pending_restart")).isFalse();
        assertThat(member.has("receive_lsn")).isFalse();

        assertThat(raw.get("status")).isEqualTo("{\"optime\":67108960,\"slots\":{\"n2\":67108800}}");
        assertThat(raw.get("history"))
                .isEqualTo("[[1,50331808,\"no recovery target specified\",\"2024-05-01T10:00:00+00:00\",\"n1\"]]");
        assertThat(raw.get("failover"))
                .isEqualTo("{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"2024-05-01T10:00:00+00:00\"}");
        assertThat(raw.get("sync")).isEqualTo("{\"leader\":\"n1\",\"sync_standby\":\"n2,n3\",\"quorum\":1}");
        assertThat(JSON.readTree(raw.get("failsafe")))
                .isEqualTo(JSON.readTree(
                        "{\"n1\":\"http://127.0.0.1:8008/patroni\",\"n2\":\"http://127.0.0.1:8009/patroni\"}"));
        assertThat(livesWith(prefix, "failsafe", n1))
                .as("failsafe outlives its writer's lease: replicas read it after the leader is gone")
                .isFalse();
        assertThat(n1.read().failsafe())
                .hasValue(new TreeMap<>(
                        Map.of("n1", "http://127.0.0.1:8008/patroni", "n2", "http://127.0.0.1:8009/patroni")));
    }

    @Test
    void valuesWrittenByPatroni_areReadByTheAdapter() throws Exception {
        writeRaw(prefix, "initialize", "7357872398432105723");
        writeRaw(prefix, "config", "{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10}");
        writeRaw(prefix, "leader", "p1");
        writeRaw(
                prefix,
                "members/p1",
                "{\"conn_url\":\"postgres://10.0.0.1:5432/postgres\",\"api_url\":"
                        + "\"http://10.0.0.1:8008/patroni\",\"state\":\"running\",\"role\":\"master\","
                        + "\"version\":\"3.0.2\",\"xlog_location\":67108960,\"timeline\":2}");
        writeRaw(prefix, "members/p2", "{corrupt");
        writeRaw(prefix, "optime/leader", "67108000");
        writeRaw(prefix, "history", "[[1,50331808,\"no recovery target specified\"]]");
        writeRaw(prefix, "failover", "p1:p3");
        writeRaw(prefix, "sync", "{\"leader\":\"p1\",\"sync_standby\":\"p3\",\"quorum\":0}");
        writeRaw(
                prefix,
                "failsafe",
                "{\"p1\":\"http://10.0.0.1:8008/patroni\",\"p3\":\"http://10.0.0.3:8008/patroni\"}");

        ClusterView view = adapter("n1", ttl()).read();

        assertThat(view.initialize()).contains("7357872398432105723");
        assertThat(view.leaderName()).contains("p1");
        assertThat(view.leaderMember().orElseThrow().role()).isEqualTo(MemberRole.PRIMARY);
        assertThat(view.leaderMember().orElseThrow().walPosition()).contains(new Lsn(67108960));
        assertThat(view.members()).hasSize(1);
        assertThat(view.optime()).contains(new Lsn(67108000));
        assertThat(view.failover().orElseThrow().candidate()).contains("p3");
        assertThat(view.sync().orElseThrow().syncStandbys()).containsExactly("p3");
        assertThat(view.failsafe().orElseThrow())
                .containsExactly(
                        Map.entry("p1", "http://10.0.0.1:8008/patroni"),
                        Map.entry("p3", "http://10.0.0.3:8008/patroni"));
        assertThat(view.config().orElseThrow().settings().loopWait()).hasSeconds(10);
    }
}
