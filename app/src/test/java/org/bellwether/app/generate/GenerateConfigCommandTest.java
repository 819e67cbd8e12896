package org.bellwether.app.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code generate-config} says when it cannot read an instance: one sentence, exit code 1, no file. */
class GenerateConfigCommandTest {
    private record Result(int exit, String out, String err) {}

    private static Result generate(String dsn) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GenerateConfigCommand.generate(
                dsn, null, Map.of(), Optional::empty, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void unreachableInstance_saysWhereItConnected_exitOne() throws Exception {
        int port = closedPort();

        Result r = generate("host=127.0.0.1 port=" + port + " user=admin password=s3cret connect_timeout=2");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        // A machine whose name does not resolve adds a warning line first, as Patroni does.
        String last = r.err().lines().reduce((a, b) -> b).orElse("");
        assertThat(last)
                .startsWith("bellwether: Failed to establish PostgreSQL connection to admin@127.0.0.1:" + port
                        + "/admin: ");
        assertThat(r.err()).doesNotContain("s3cret").doesNotContain("\tat ");
    }

    @Test
    void unparsableDsn_isPatronisSentence() {
        Result r = generate("host=a foo = '");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("bellwether: Failed to parse DSN string\n");
        assertThat(r.out()).isEmpty();
    }
}
