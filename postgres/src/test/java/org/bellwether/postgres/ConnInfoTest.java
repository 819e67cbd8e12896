package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.config.Credentials;
import org.bellwether.core.HostPort;
import org.junit.jupiter.api.Test;

class ConnInfoTest {
    private static Credentials user(String name) {
        return new Credentials(name, Optional.empty());
    }

    private static Credentials user(String name, Map<String, String> options) {
        return new Credentials(name, Optional.of("secret"), new TreeMap<>(options));
    }

    @Test
    void replicationConninfo_onPg15_isWrittenInPatronisOrder() {
        ConnInfo c = ConnInfo.forReplication(
                new HostPort("10.0.0.1", 5432),
                user("replicator"),
                Optional.of(Path.of("/var/lib/pg/pgpass")),
                "node-1",
                150004);

        assertThat(c.render())
                .isEqualTo("user=replicator passfile=/var/lib/pg/pgpass host=10.0.0.1 port=5432 sslmode=prefer"
                        + " application_name=node-1 gssencmode=prefer channel_binding=prefer");
    }

    @Test
    void replicationConninfo_onPg17_namesTheDatabaseFirst_forTheSlotSyncWorker() {
        ConnInfo c = ConnInfo.forReplication(
                new HostPort("10.0.0.1", 5432), user("replicator"), Optional.empty(), "node-1", 170002, "app db");

        assertThat(c.render())
                .isEqualTo("dbname=app\\ db user=replicator host=10.0.0.1 port=5432 sslmode=prefer"
                        + " application_name=node-1 gssencmode=prefer channel_binding=prefer sslnegotiation=postgres");
        assertThat(ConnInfo.forReplication(
                                new HostPort("h", 5432), user("rep"), Optional.empty(), "n", 160004, "app db")
                        .get("dbname"))
                .isEmpty();
    }

    @Test
    void replicationConninfo_withoutPassword_hasNoPassfile_andOldServersGetNoNewKeywords() {
        ConnInfo c = ConnInfo.forReplication(new HostPort("h", 5433), user("rep"), Optional.empty(), "n", 110000);

        assertThat(c.render()).isEqualTo("user=rep host=h port=5433 sslmode=prefer application_name=n");
    }

    @Test
    void replicationConninfo_carriesTheReplicationUsersTlsOptions_inPatronisOrder() {
        ConnInfo c = ConnInfo.forReplication(
                new HostPort("10.0.0.1", 5432),
                user(
                        "replicator",
                        Map.of(
                                "sslmode", "verify-full",
                                "sslcert", "/tls/replicator.crt",
                                "sslkey", "/tls/replicator.key",
                                "sslpassword", "key secret",
                                "sslrootcert", "/tls/ca.crt",
                                "sslcrl", "/tls/ca.crl",
                                "sslcrldir", "/tls/crls",
                                "gssencmode", "disable",
                                "channel_binding", "require")),
                Optional.of(Path.of("/pg/pgpass")),
                "node-1",
                150000);

        assertThat(c.render())
                .isEqualTo("user=replicator passfile=/pg/pgpass host=10.0.0.1 port=5432 sslmode=verify-full"
                        + " sslcert=/tls/replicator.crt sslkey=/tls/replicator.key sslpassword=key\\ secret"
                        + " sslrootcert=/tls/ca.crt sslcrl=/tls/ca.crl sslcrldir=/tls/crls application_name=node-1"
                        + " gssencmode=disable channel_binding=require");
    }

    @Test
    void replicationConninfo_leavesOutWhatTheServersLibpqDoesNotKnow_asPatroniDoes() {
        Map<String, String> options =
                Map.of("sslmode", "require", "sslpassword", "p", "sslcrldir", "/crls", "sslnegotiation", "direct");

        ConnInfo on12 =
                ConnInfo.forReplication(new HostPort("h", 5432), user("rep", options), Optional.empty(), "n", 120000);
        ConnInfo on13 =
                ConnInfo.forReplication(new HostPort("h", 5432), user("rep", options), Optional.empty(), "n", 130000);
        ConnInfo on17 =
                ConnInfo.forReplication(new HostPort("h", 5432), user("rep", options), Optional.empty(), "n", 170000);

        assertThat(on12.params()).doesNotContainKeys("sslpassword", "sslcrldir", "sslnegotiation", "channel_binding");
        assertThat(on12.get("gssencmode")).contains("prefer");
        assertThat(on13.get("sslpassword")).contains("p");
        assertThat(on13.params()).doesNotContainKeys("sslcrldir", "sslnegotiation");
        assertThat(on17.get("sslcrldir")).contains("/crls");
        assertThat(on17.get("sslnegotiation")).contains("direct");
    }

    @Test
    void inPatroniOrder_dropsKeywordsPatroniDoesNotWrite() {
        ConnInfo c = new ConnInfo(Map.of("options", "-c x=1", "user", "u", "connect_timeout", "3"));

        assertThat(c.inPatroniOrder(150000).render()).isEqualTo("user=u");
    }

    @Test
    void valuesWithSpacesQuotesAndBackslashes_areBackslashEscaped() {
        assertThat(ConnInfo.quote("my app")).isEqualTo("my\\ app");
        assertThat(ConnInfo.quote("o'neil")).isEqualTo("o\\'neil");
        assertThat(ConnInfo.quote("c:\\dir")).isEqualTo("c:\\\\dir");
        assertThat(ConnInfo.quote("")).isEqualTo("''");
    }

    @Test
    void rendered_parsesBackToTheSameValues() {
        ConnInfo c = ConnInfo.forReplication(
                new HostPort("::1", 6000), user("rep user"), Optional.of(Path.of("/tmp/pass word's")), "a\\b", 150000);

        assertThat(ConnInfo.parse(c.render())).isEqualTo(c);
    }

    @Test
    void quotedValuesAndSpacesAroundEquals_areParsedAsLibpqDoes() {
        ConnInfo c = ConnInfo.parse("host = 'db one' port=5433  user='o\\'neil' application_name=''");

        assertThat(c.get("host")).contains("db one");
        assertThat(c.get("port")).contains("5433");
        assertThat(c.get("user")).contains("o'neil");
        assertThat(c.get("application_name")).contains("");
    }

    @Test
    void hostPort_takesTheFirstHost_andDefaultsThePort() {
        assertThat(ConnInfo.parse("host=a,b port=6000,6001").hostPort()).contains(new HostPort("a", 6000));
        assertThat(ConnInfo.parse("host=10.1.1.1 user=x").hostPort()).contains(new HostPort("10.1.1.1", 5432));
        assertThat(ConnInfo.parse("host=/var/run/postgresql").hostPort()).isEmpty();
        assertThat(ConnInfo.parse("user=x").hostPort()).isEmpty();
        assertThat(ConnInfo.parse("").hostPort()).isEmpty();
    }

    @Test
    void uri_yieldsHostAndPort() {
        assertThat(ConnInfo.parse("postgresql://rep@10.0.0.2:5434/postgres?application_name=x")
                        .hostPort())
                .contains(new HostPort("10.0.0.2", 5434));
    }

    @Test
    void malformed_isRejected() {
        assertThatThrownBy(() -> ConnInfo.parse("host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnInfo.parse("host='unterminated")).isInstanceOf(IllegalArgumentException.class);
    }
}
