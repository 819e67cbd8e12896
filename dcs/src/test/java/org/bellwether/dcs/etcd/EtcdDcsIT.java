package org.bellwether.dcs.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bellwether.core.ClusterView;
import org.bellwether.core.MemberRole;
import org.junit.jupiter.api.Test;

/**
 * What only etcd has: the lease that carries the leader and member keys, and how it is kept alive. The clauses every
 * backend keeps (the lock, compare-and-set, the watch, Patroni's formats, outages) are in {@code EtcdDcsContractIT}.
 */
class EtcdDcsIT extends EtcdItSupport {
    @Test
    void keysOnTheLease_disappearWithIt_whenNobodyKeepsItAlive() throws Exception {
        EtcdDcs replica = adapter("r1", SHORT_TTL);
        EtcdDcs leader = adapter("n1", SHORT_TTL);
        EtcdDcs observer = adapter("obs", TTL);
        replica.publishMember(member("r1", MemberRole.REPLICA));
        assertThat(leader.acquireLeaderLock()).isTrue();
        leader.publishMember(member("n1", MemberRole.PRIMARY));

        // A replica's publish keeps its lease alive; a leader's does not (only renewals extend the lock).
        long start = System.nanoTime();
        while (System.nanoTime() - start < SHORT_TTL.plus(EXPIRY_SLACK).toNanos()) {
            replica.publishMember(member("r1", MemberRole.REPLICA));
            leader.publishMember(member("n1", MemberRole.PRIMARY));
            Thread.sleep(300);
        }
        ClusterView view = observer.read();
        assertThat(view.member("r1")).isPresent();
        assertThat(view.leader()).isEmpty();
        assertThat(view.member("n1"))
                .as("the leader's member key went with its lock")
                .isEmpty();

        replica.close();
        long stopped = System.nanoTime();
        Duration gone = awaitCondition(() -> observer.read().member("r1").isEmpty(), stopped);
        assertThat(gone).isLessThan(SHORT_TTL.plus(EXPIRY_SLACK));
    }

    @Test
    void renew_movesTheLeaderKeyOntoTheCurrentLease_asPatroniDoes() throws Exception {
        EtcdDcs n1 = adapter("n1", TTL);
        try (Client plain = Client.builder()
                .endpoints(etcd.endpoints().toArray(String[]::new))
                .build()) {
            // A previous run of n1 left its leader key on a lease of its own.
            long previousRun =
                    plain.getLeaseClient().grant(30).get(5, TimeUnit.SECONDS).getID();
            plain.getKVClient()
                    .put(
                            bytes(prefix + "leader"),
                            bytes("n1"),
                            PutOption.builder().withLeaseId(previousRun).build())
                    .get(5, TimeUnit.SECONDS);
            n1.publishMember(member("n1", MemberRole.PRIMARY));

            assertThat(n1.renewLeaderLock()).isTrue();
            assertThat(rawKeys(plain).get("leader").getLease()).isEqualTo(n1.leaseId());

            // etcd forgets the lease, and both keys with it: renew takes a new lease and re-creates the free key.
            long revoked = n1.leaseId();
            plain.getLeaseClient().revoke(revoked).get(5, TimeUnit.SECONDS);

            assertThat(n1.renewLeaderLock()).isTrue();
            assertThat(n1.leaseId()).isNotEqualTo(revoked);
            assertThat(rawKeys(plain).get("leader").getLease()).isEqualTo(n1.leaseId());
            n1.publishMember(member("n1", MemberRole.PRIMARY));
            assertThat(rawKeys(plain).get("members/n1").getLease()).isEqualTo(n1.leaseId());
        }
    }
}
