package org.bellwether.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.bellwether.core.ClusterView;
import org.junit.jupiter.api.Test;

/**
 * The clauses of the {@link Dcs} contract for repairing keys that hold values nobody can use, run with the rest of
 * {@link DcsContract} against every backend: a leader key naming no node can be neither renewed nor taken, and is
 * deleted only at the version it was seen at, never a lock taken since; the leader's repair of {@code initialize} is a
 * compare-and-set on the version read.
 */
public abstract class DcsRepairContract extends DcsContractSupport {
    @Test
    void leaderKeyNamingNoNode_canBeNeitherRenewedNorTaken_andIsDeletedOnlyAtTheVersionSeen() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        Dcs n2 = adapter("n2", ttl());
        assertThat(n1.acquireLeaderLock()).isTrue();
        writeRaw(prefix, "leader", "");

        ClusterView seen = n2.read();
        assertThat(seen.leader()).isEmpty();
        long version = seen.invalidLeader().orElseThrow().version();
        assertThat(n1.renewLeaderLock()).as("its holder cannot renew it").isFalse();
        assertThat(n2.acquireLeaderLock()).as("nobody can take it").isFalse();

        writeRaw(prefix, "leader", " ");
        assertThat(n2.deleteLeaderKey(version)).as("changed since: not deleted").isFalse();
        assertThat(n2.read().invalidLeader()).isPresent();

        deleteInvalidLeaderKey(n2);
        ClusterView after = n2.read();
        assertThat(after.leader()).isEmpty();
        assertThat(after.invalidLeader()).isEmpty();
        assertThat(n2.acquireLeaderLock()).isTrue();
    }

    @Test
    void deletingTheLeaderKeyAtAnOldVersion_neverRemovesALockTakenSince() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        Dcs n2 = adapter("n2", ttl());
        writeRaw(prefix, "leader", "");
        List<Long> versionsSeen = deleteInvalidLeaderKey(n1);

        assertThat(n2.acquireLeaderLock()).isTrue();
        for (long version : versionsSeen) {
            assertThat(n1.deleteLeaderKey(version)).isFalse();
        }

        assertThat(n1.read().leaderName()).contains("n2");
        assertThat(n2.renewLeaderLock()).isTrue();
    }

    /**
     * Deletes the leader key naming nobody at the version read, as the agent does; a backend may first give the key a
     * new version (ZooKeeper at data version 0) and delete it at that one. Returns the versions it read.
     */
    private static List<Long> deleteInvalidLeaderKey(Dcs node) throws Exception {
        List<Long> versions = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            long version = node.read().invalidLeader().orElseThrow().version();
            versions.add(version);
            if (node.deleteLeaderKey(version)) {
                return versions;
            }
        }
        throw new AssertionError("not deleted at the versions read: " + versions);
    }

    @Test
    void initializeRepair_isACompareAndSetOnTheVersionRead() throws Exception {
        Dcs n1 = adapter("n1", ttl());
        writeRaw(prefix, "initialize", "garbage");
        long stale = n1.read().initializeVersion();
        assertThat(stale).isNotZero();
        writeRaw(prefix, "initialize", "still garbage");

        assertThat(n1.replaceInitialize("7357872398432105723", stale)).isFalse();
        assertThat(n1.replaceInitialize("7357872398432105723", 0))
                .as("0: only if absent")
                .isFalse();
        ClusterView view = n1.read();
        assertThat(view.initialize()).contains("still garbage");
        assertThat(n1.replaceInitialize("7357872398432105723", view.initializeVersion()))
                .isTrue();

        assertThat(rawValues(prefix).get("initialize")).isEqualTo("7357872398432105723");
        assertThat(n1.read().initializeVersion()).isNotEqualTo(view.initializeVersion());
    }
}
