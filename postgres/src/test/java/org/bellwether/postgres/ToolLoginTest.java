package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.config.Credentials;
import org.bellwether.postgres.ProcessRunner.Command;
import org.junit.jupiter.api.Test;

/**
 * The connection strings PostgreSQL's programs get, as Patroni writes them: pg_rewind's {@code --source-server} with
 * the rewind user's options, pg_basebackup's with the replication user's, and an {@code sslpassword} kept off the
 * command line in the service file.
 */
class ToolLoginTest {
    private static final Path PGPASS = Path.of("/pg/pgpass");
    private static final Path SERVICES = Path.of("/pg/pgpass.service");

    private static Login rewinder(Map<String, String> options) {
        return new Login(
                new Credentials("rewinder", Optional.of("rewind-secret"), new TreeMap<>(options)),
                "postgresql.authentication.rewind");
    }

    private static final Map<String, String> CERTIFICATE = Map.of(
            "sslmode", "verify-full",
            "sslcert", "/tls/rewinder.crt",
            "sslkey", "/tls/rewinder.key",
            "sslrootcert", "/tls/ca.crt",
            "gssencmode", "disable");

    @Test
    void pgRewindSource_carriesTheRewindUsersOptions_inPatronisOrder() {
        ToolLogin login = new ToolLogin(rewinder(CERTIFICATE), PGPASS, SERVICES);

        String source = login.conninfo()
                .with("host", "10.0.0.1")
                .with("port", "5432")
                .with("dbname", "postgres")
                .with("target_session_attrs", "read-write")
                .inPatroniOrder(150000)
                .render();

        assertThat(source)
                .isEqualTo("dbname=postgres user=rewinder passfile=/pg/pgpass host=10.0.0.1 port=5432"
                        + " sslmode=verify-full sslcert=/tls/rewinder.crt sslkey=/tls/rewinder.key"
                        + " sslrootcert=/tls/ca.crt gssencmode=disable target_session_attrs=read-write");
        Command command = login.environment(Command.of("pg_rewind", Duration.ofSeconds(1), List.of("pg_rewind")));
        assertThat(command.env()).doesNotContainKey("PGSERVICEFILE");
    }

    @Test
    void sslpassword_goesThroughTheServiceFile_neverTheCommandLine() {
        Map<String, String> options = new TreeMap<>(CERTIFICATE);
        options.put("sslpassword", "key secret");
        ToolLogin login = new ToolLogin(rewinder(options), PGPASS, SERVICES);

        ConnInfo conninfo = login.conninfo().with("host", "h").inPatroniOrder(150000);
        Command command = login.environment(Command.of("pg_rewind", Duration.ofSeconds(1), List.of("pg_rewind")));

        assertThat(conninfo.render()).doesNotContain("key secret").endsWith(" service=bellwether_rewind");
        assertThat(command.env()).containsEntry("PGSERVICEFILE", "/pg/pgpass.service");
        assertThat(ServiceFile.render(new TreeMap<>(
                        Map.of(ToolLogin.service(login.login()), login.login().user()))))
                .isEqualTo("[bellwether_rewind]\nsslpassword=key secret\n");
    }

    @Test
    void beforePostgres13_neitherSslpasswordNorItsServiceIsWritten_asPatroniLeavesItOut() {
        Map<String, String> options = new TreeMap<>(CERTIFICATE);
        options.put("sslpassword", "key secret");
        ToolLogin login = new ToolLogin(rewinder(options), PGPASS, SERVICES);

        assertThat(login.conninfo().inPatroniOrder(120000).params()).doesNotContainKeys("service", "sslpassword");
    }

    @Test
    void withoutPassword_noPassfile() {
        Login login = new Login(new Credentials("rewinder", Optional.empty()), "postgresql.authentication.rewind");

        assertThat(new ToolLogin(login, PGPASS, SERVICES).conninfo().render()).isEqualTo("user=rewinder");
    }

    @Test
    void serviceFile_holdsOnlyRolesWithAnSslpassword_andRefusesWhatLibpqCannotRead() {
        Credentials plain = new Credentials("postgres", Optional.of("pw"));
        Credentials withKeyPassword =
                new Credentials("replicator", Optional.empty(), new TreeMap<>(Map.of("sslpassword", "k")));

        assertThat(ServiceFile.render(new TreeMap<>(Map.of("a", plain)))).isEmpty();
        assertThat(ServiceFile.render(new TreeMap<>(Map.of("a", plain, "b", withKeyPassword))))
                .isEqualTo("[b]\nsslpassword=k\n");
        assertThatThrownBy(() -> ServiceFile.render(Map.of(
                        "a", new Credentials("u", Optional.empty(), new TreeMap<>(Map.of("sslpassword", "k "))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("white space");
        assertThatThrownBy(() -> ServiceFile.render(Map.of(
                        "a", new Credentials("u", Optional.empty(), new TreeMap<>(Map.of("sslpassword", "a\nb"))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line break");
    }

    @Test
    void loginDescriptions_nameTheRoleAndUser() {
        assertThat(rewinder(Map.of()).describe()).isEqualTo("rewind login as rewinder");
        assertThat(rewinder(Map.of()).role()).isEqualTo("rewind");
    }

    @Test
    void programsVersion_isReadFromPgCtl() {
        assertThat(PgTools.parseVersionNum("pg_ctl (PostgreSQL) 15.14 (Debian 15.14-1.pgdg120+1)\n"))
                .isEqualTo(150000);
        assertThat(PgTools.parseVersionNum("pg_ctl (PostgreSQL) 17beta1")).isEqualTo(170000);
        assertThat(PgTools.parseVersionNum("pg_ctl (PostgreSQL) 9.6.24")).isEqualTo(90600);
        assertThat(PgTools.parseVersionNum("nonsense")).isZero();
    }
}
