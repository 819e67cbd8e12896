package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bellwether.core.HostPort;
import org.bellwether.core.ha.Action.StopMode;
import org.bellwether.core.ha.LocalPostgres;
import org.bellwether.core.ha.Upstream;
import org.bellwether.postgres.TestMembers.Member;
import org.bellwether.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single-node situations: failures that must leave the data directory usable, and the states observe() reports. */
class LocalPostgresNodeIT {
    private TestMembers members;

    @BeforeEach
    void createMembers() {
        members = new TestMembers("bellwether-node-");
    }

    @AfterEach
    void stopEverything() {
        members.close();
    }

    @Test
    void bootstrapWithBadInitdbOption_failsNamingInitdbAndMovesTheDataDirectoryAside() throws Exception {
        Member m = members.create("bad", List.of("no-such-initdb-option"), Optional.empty());

        assertThatThrownBy(() -> m.node().bootstrap(new TreeMap<>()))
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("bootstrap failed while initdb")
                .hasMessageContaining("no-such-initdb-option")
                .hasMessageContaining("moved to " + m.dataDirectory().path() + "_");

        assertThat(m.dataDirectory().path()).doesNotExist();
        assertThat(movedAside(m)).hasSize(1);
        assertThat(m.node().observe()).isEqualTo(LocalPostgres.emptyDataDirectory());
    }

    @Test
    void failingPostBootstrap_stopsPostgresAndMovesTheClusterAside() throws Exception {
        Member m = members.create("script", List.of("no-sync"), Optional.of("false"));

        assertThatThrownBy(() -> m.node().bootstrap(new TreeMap<>()))
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("bootstrap failed while post_bootstrap");

        List<Path> aside = movedAside(m);
        assertThat(aside).hasSize(1);
        assertThat(aside.get(0).resolve("PG_VERSION")).exists();
        assertThat(new DataDirectory(aside.get(0)).livePostmaster()).isEmpty();
        assertThat(m.dataDirectory().path()).doesNotExist();
    }

    @Test
    void postBootstrapScript_connectsWithTheConnectionStringAndPgpass_thenAReplicaWithoutUpstreamRuns()
            throws Exception {
        String psql = BinDirs.find(Optional.empty()).resolve("psql").toString();
        Member m = members.create(
                "scripted",
                List.of("no-sync"),
                Optional.of(psql + " -v ON_ERROR_STOP=1 -c 'CREATE TABLE made_by_script (id int)'"));

        m.node().bootstrap(new TreeMap<>());

        assertThat(ReplicationIT.query(m, "SELECT count(*)::text FROM made_by_script"))
                .containsExactly("0");

        m.node().stop(StopMode.FAST);
        m.node().start(true, Optional.empty(), new TreeMap<>());

        LocalPostgres local = m.node().observe();
        assertThat(local.isReplica()).isTrue();
        assertThat(local.upstream()).isEmpty();
        assertThat(local.streaming()).isFalse();
        assertThat(m.dataDirectory().resolve(ConfigFiles.STANDBY_SIGNAL)).exists();
        assertThat(Files.readString(m.dataDirectory().resolve(ConfigFiles.POSTGRESQL_CONF)))
                .doesNotContain("primary_conninfo");
        assertThatThrownBy(() -> m.node().start(false, Optional.empty(), new TreeMap<>()))
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("already runs");
    }

    @Test
    void cloneFromAnUnreachableMember_failsAndLeavesNoDataDirectory() throws Exception {
        Member m = members.create("orphan");
        Upstream nobody = new Upstream("nobody", new HostPort("127.0.0.1", FreePorts.next()));

        assertThatThrownBy(() -> m.node().cloneFrom(nobody))
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("clone from nobody failed")
                .hasMessageContaining("pg_basebackup");

        assertThat(m.dataDirectory().path()).doesNotExist();
    }

    @Test
    void observe_onMissingAndEmptyDirectories_reportsAnUninitializedStoppedNode() throws Exception {
        Member m = members.create("nothing");
        assertThat(m.node().observe()).isEqualTo(LocalPostgres.emptyDataDirectory());

        Files.createDirectories(m.dataDirectory().path());
        assertThat(m.node().observe()).isEqualTo(LocalPostgres.emptyDataDirectory());
        assertThat(m.node().checkpointLsn()).isEmpty();
        m.node().stop(StopMode.FAST);
    }

    private static List<Path> movedAside(Member m) throws IOException {
        Path data = m.dataDirectory().path();
        try (Stream<Path> siblings = Files.list(data.getParent())) {
            return siblings.filter(p -> p.getFileName()
                            .toString()
                            .matches(data.getFileName() + "_\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}"))
                    .toList();
        }
    }
}
