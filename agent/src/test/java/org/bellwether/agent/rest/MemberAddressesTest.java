package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.status.NodeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Member addresses from the published cluster, with host names looked up by a resolver the test controls. */
class MemberAddressesTest {
    private final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();
    private final AtomicReference<NodeStatus> status = new AtomicReference<>();
    private final CountDownLatch lookupsAllowed = new CountDownLatch(1);
    private MemberAddresses members;

    @AfterEach
    void stop() {
        members.close();
    }

    private void start(String... apiUrls) {
        publish(apiUrls);
        members = new MemberAddresses(status::get, this::lookUp, Duration.ofMillis(50));
        members.start();
    }

    private List<InetAddress> lookUp(String host) throws UnknownHostException {
        try {
            lookupsAllowed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<InetAddress> addresses = dns.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    private void publish(String... apiUrls) {
        List<Member> list = new ArrayList<>();
        for (int i = 0; i < apiUrls.length; i++) {
            list.add(Member.of(
                    "node" + i, apiUrls[i], "postgres://10.9.9.9:5432/postgres", "running", MemberRole.REPLICA));
        }
        NodeStatus base = Snapshots.primaryWithLock();
        ClusterView c = base.cluster().orElseThrow();
        ClusterView cluster = new ClusterView(
                c.initialize(),
                c.config(),
                c.leader(),
                list,
                c.optime(),
                c.slots(),
                c.history(),
                c.failover(),
                c.sync(),
                c.failsafe(),
                c.initializeVersion(),
                c.invalidLeader(),
                c.problems(),
                c.retainSlots());
        status.set(Snapshots.withCluster(base, cluster));
    }

    private static InetAddress ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    private boolean eventually(InetAddress client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (members.test(client)) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void ipAddresses_countAtOnce_withoutALookup() throws Exception {
        start("http://10.0.0.7:8008/patroni", "https://[fd00::7]:8008/patroni");

        assertThat(members.test(ip("10.0.0.7"))).isTrue();
        assertThat(members.test(ip("fd00::7"))).isTrue();
        assertThat(members.test(ip("10.0.0.8"))).isFalse();
    }

    @Test
    void hostNames_countOnceResolved_andTheCheckNeverWaitsForTheLookup() throws Exception {
        dns.put("db2.example", List.of(ip("10.0.0.2"), ip("fd00::2")));
        start("http://db2.example:8008/patroni");

        // The lookup is held: the check answers at once, without the member.
        assertThat(members.test(ip("10.0.0.2"))).isFalse();
        lookupsAllowed.countDown();

        assertThat(eventually(ip("10.0.0.2"))).isTrue();
        assertThat(members.test(ip("fd00::2"))).isTrue();
        assertThat(members.test(ip("10.0.0.3"))).isFalse();
    }

    @Test
    void aMemberThatLeaves_orAHostThatStopsResolving_countsNoLonger() throws Exception {
        lookupsAllowed.countDown();
        dns.put("db2.example", List.of(ip("10.0.0.2")));
        dns.put("db3.example", List.of(ip("10.0.0.3")));
        start("http://db2.example:8008/patroni", "http://db3.example:8008/patroni", "http://10.0.0.4:8008/patroni");
        assertThat(eventually(ip("10.0.0.2"))).isTrue();
        assertThat(eventually(ip("10.0.0.3"))).isTrue();

        publish("http://db2.example:8008/patroni");
        dns.remove("db2.example");

        assertThat(members.test(ip("10.0.0.4"))).isFalse();
        assertThat(members.test(ip("10.0.0.3"))).isFalse();
        assertThat(eventuallyNot(ip("10.0.0.2"))).isTrue();
    }

    @Test
    void noPublishedStatusOrDcsView_meansNoMembers() throws Exception {
        lookupsAllowed.countDown();
        members = new MemberAddresses(() -> null, this::lookUp, Duration.ofMillis(50));
        members.start();
        assertThat(members.test(ip("127.0.0.1"))).isFalse();

        members.close();
        members = new MemberAddresses(
                () -> Snapshots.withoutDcs(Snapshots.primaryWithLock()), this::lookUp, Duration.ofMillis(50));
        members.start();
        assertThat(members.test(ip("127.0.0.1"))).isFalse();
    }

    private boolean eventuallyNot(InetAddress client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!members.test(client)) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
