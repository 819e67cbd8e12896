package org.bellwether.dcs.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bellwether.config.Credentials;
import org.bellwether.config.EtcdConfig;
import org.bellwether.core.HostPort;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.testkit.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * A real three-member etcd cluster per test class, a key prefix per test, and adapters that are closed after each
 * test.
 */
abstract class EtcdItSupport {
    static final Duration TTL = Duration.ofSeconds(10);
    static final Duration SHORT_TTL = Duration.ofSeconds(2);
    static final Duration RETRY = Duration.ofSeconds(5);
    /** etcd checks lease expiry every 500 ms and then needs a raft round to delete the keys. */
    static final Duration EXPIRY_SLACK = Duration.ofMillis(1500);

    static EtcdCluster etcd;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    String prefix;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.startCluster(3);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
            etcd = null;
        }
    }

    @BeforeEach
    void scope(TestInfo test) {
        prefix = "/service/" + test.getTestMethod().orElseThrow().getName() + "/";
    }

    @AfterEach
    void closeAdapters() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        closeAfter.clear();
    }

    EtcdDcs adapter(String name, Duration ttl) {
        return adapter(name, ttl, RETRY, etcd.hostPorts());
    }

    EtcdDcs adapter(String name, Duration ttl, Duration retry, List<String> hosts) {
        return adapter(name, ttl, retry, hosts, Optional.empty());
    }

    EtcdDcs adapter(String name, Duration ttl, Duration retry, List<String> hosts, Optional<Credentials> credentials) {
        EtcdConfig config = new EtcdConfig(
                hosts.stream().map(HostPort::parse).toList(),
                "http",
                credentials,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        EtcdDcs dcs = new EtcdDcs(prefix, name, config, ttl, retry);
        closeAfter.add(dcs);
        return dcs;
    }

    static Member member(String name, MemberRole role) {
        return Member.of(name, "http://127.0.0.1:8008/patroni", "postgres://127.0.0.1:5432/postgres", "running", role);
    }

    @FunctionalInterface
    interface DcsCall<T> {
        T call() throws Exception;
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Runs a call that must finish within the retry budget (plus scheduling slack). */
    static <T> T timed(DcsCall<T> call) throws Exception {
        long start = System.nanoTime();
        T result = call.call();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(RETRY.plusMillis(500));
        return result;
    }

    static Duration awaitCondition(Condition condition, long since) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("condition within 15 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    Map<String, KeyValue> rawKeys(Client plain) throws Exception {
        var response = plain.getKVClient()
                .get(bytes(prefix), GetOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS);
        Map<String, KeyValue> raw = new TreeMap<>();
        for (KeyValue kv : response.getKvs()) {
            raw.put(text(kv.getKey()).substring(prefix.length()), kv);
        }
        return raw;
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
