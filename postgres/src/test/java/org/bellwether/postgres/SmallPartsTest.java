package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.bellwether.config.Credentials;
import org.bellwether.core.HostPort;
import org.bellwether.core.Lsn;
import org.junit.jupiter.api.Test;

/**
 * The little renderers: pgpass lines, tool options, command splitting, SQL quoting, version numbers, the slot query.
 */
class SmallPartsTest {
    @Test
    void pgpass_hasOneWildcardLinePerUserWithAPassword_escapingColonsAndBackslashes() {
        String pgpass = PgPass.render(List.of(
                new Credentials("replicator", Optional.of("a:b\\c")),
                new Credentials("postgres", Optional.of("s3cret")),
                new Credentials("nopass", Optional.empty()),
                new Credentials("replicator", Optional.of("ignored"))));

        assertThat(pgpass).isEqualTo("*:*:*:replicator:a\\:b\\\\c\n*:*:*:postgres:s3cret\n");
    }

    @Test
    void toolOptions_plainAndKeyValue_becomeLongOptions() throws Exception {
        assertThat(LongOptions.render(
                        "initdb",
                        List.of("data-checksums", "encoding=UTF8", "--locale=C", " auth-host = scram-sha-256 "),
                        LongOptions.INITDB_RESERVED))
                .containsExactly("--data-checksums", "--encoding=UTF8", "--locale=C", "--auth-host=scram-sha-256");
    }

    @Test
    void toolOptions_theAgentSetsItself_areRefused() {
        assertThatThrownBy(() -> LongOptions.render("initdb", List.of("pgdata=/x"), LongOptions.INITDB_RESERVED))
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("'pgdata'");
        assertThatThrownBy(() -> LongOptions.render(
                        "pg_basebackup", List.of("wal-method=fetch"), LongOptions.BASEBACKUP_RESERVED))
                .hasMessageContaining("'wal-method'");
    }

    @Test
    void commands_splitLikeAShell() throws Exception {
        assertThat(CommandLine.split("/bin/setup.sh --name 'two words' \"say \\\"hi\\\"\" a\\ b"))
                .containsExactly("/bin/setup.sh", "--name", "two words", "say \"hi\"", "a b");
        assertThatThrownBy(() -> CommandLine.split("x 'open")).isInstanceOf(PostgresException.class);
        assertThatThrownBy(() -> CommandLine.split("   ")).isInstanceOf(PostgresException.class);
    }

    @Test
    void sqlQuoting_isSafeForQuotesAndBackslashes() {
        assertThat(Roles.quoteIdent("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(Roles.quoteLiteral("it's\\x")).isEqualTo("E'it''s\\\\x'");
    }

    @Test
    void pgVersion_becomesServerVersionNum() {
        assertThat(NodeFiles.versionNum("15")).isEqualTo(150000);
        assertThat(NodeFiles.versionNum("9.6")).isEqualTo(90600);
        assertThat(NodeFiles.versionNum("junk")).isZero();
    }

    @Test
    void slotQuery_readsWalStatusFrom13_andLeavesOutSyncedFailoverSlotsFrom17() {
        assertThat(SlotQuery.sql(120000))
                .contains("NULL::text")
                .doesNotContain("wal_status")
                .doesNotContain("failover");
        assertThat(SlotQuery.sql(150004)).contains("wal_status").contains("WHERE NOT temporary ORDER");
        assertThat(SlotQuery.sql(170002)).contains("WHERE NOT temporary AND (NOT failover OR NOT synced)");
    }

    @Test
    void slotHorizons_xidsAndLsnsReadAsText() {
        assertThat(SlotQuery.xid("4294967295")).contains(4294967295L);
        assertThat(SlotQuery.xid(null)).isEmpty();
        assertThat(SlotQuery.lsn("1/A0")).contains(new Lsn(0x1_0000_00A0L));
    }

    @Test
    void databaseNamesInTheDriverUrl_areEncoded() {
        assertThat(Jdbc.url(new HostPort("::1", 5432), "app db/ä"))
                .isEqualTo("jdbc:postgresql://[::1]:5432/app%20db%2F%C3%A4");
    }
}
