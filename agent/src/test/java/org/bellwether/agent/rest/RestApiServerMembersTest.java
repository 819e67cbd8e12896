package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.agent.rest.Snapshots.NOW;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.bellwether.config.RestApiConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code restapi.allowlist_include_members} on a real server: the fixture's members publish {@code api_url}s on
 * 127.0.0.1 to 127.0.0.5, and a client that connects from 127.0.0.9 is nobody's.
 */
class RestApiServerMembersTest {
    private static final String NODE2 = "127.0.0.2";
    private static final String STRANGER = "127.0.0.9";

    private RestApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void serve(RestApiConfig config) throws Exception {
        server = new RestApiServer(
                Snapshots::primaryWithLock, () -> NOW, config, new InetSocketAddress("127.0.0.1", 0), router -> {
                    router.post("/echo", r -> Response.text(200, "done"));
                    router.post("/failsafe", r -> Response.text(200, "Accepted"));
                });
    }

    private int post(String from, String path) throws Exception {
        try (RawHttp client = new RawHttp(server.port(), InetAddress.getByName(from))) {
            return client.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                    .read()
                    .status();
        }
    }

    @Test
    void withAnAllowlist_aMemberIsAdmittedToo_andAStrangerRefused() throws Exception {
        serve(new RestApiConfigBuilder()
                .allowlist("10.0.0.0/8")
                .allowlistIncludeMembers()
                .build());

        assertThat(post(NODE2, "/echo")).isEqualTo(200);
        assertThat(post(STRANGER, "/echo")).isEqualTo(403);
    }

    @Test
    void alone_itAdmitsMembersOnly() throws Exception {
        serve(new RestApiConfigBuilder().allowlistIncludeMembers().build());

        assertThat(post(NODE2, "/echo")).isEqualTo(200);
        assertThat(post(STRANGER, "/echo")).isEqualTo(403);
    }

    @Test
    void withoutIt_membersAreStrangersToTheAllowlist() throws Exception {
        serve(new RestApiConfigBuilder().allowlist("10.0.0.0/8").build());

        assertThat(post(NODE2, "/echo")).isEqualTo(403);
    }

    @Test
    void postFailsafe_isCheckedAgainstTheAllowlistAlone_asInPatroni() throws Exception {
        serve(new RestApiConfigBuilder()
                .allowlist("10.0.0.0/8")
                .allowlistIncludeMembers()
                .build());
        assertThat(post(NODE2, "/failsafe")).isEqualTo(403);
        server.close();

        serve(new RestApiConfigBuilder().allowlistIncludeMembers().build());
        assertThat(post(STRANGER, "/failsafe")).isEqualTo(200);
    }
}
