package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.agent.rest.Snapshots.NOW;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.bellwether.agent.FailsafeInbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FailsafeEndpointsTest {
    private static final String FROM_NODE1 =
            "{\"name\": \"node1\", \"conn_url\": \"postgres://127.0.0.1:5432/postgres\","
                    + " \"api_url\": \"http://127.0.0.1:8008/patroni\"}";
    private static final Duration TTL = Duration.ofSeconds(30);

    private final FailsafeInbox inbox = new FailsafeInbox(Duration.ZERO);
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(new FailsafeResource(inbox)::register);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void replica_acknowledgesWithItsPosition_andWillNotRaceForTtl() throws Exception {
        server.serve(() -> Snapshots.failsafeMode(Snapshots.streamingReplica()));

        HttpResponse<String> answer = server.send("POST", "/failsafe", FROM_NODE1, Optional.of(TestServer.ADMIN));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("Accepted");
        assertThat(answer.headers().firstValue("lsn"))
                .hasValueSatisfying(l -> assertThat(Long.parseLong(l)).isPositive());
        assertThat(inbox.heardWithin(NOW.plusSeconds(29), TTL)).hasValue("node1");
        assertThat(inbox.heardWithin(NOW.plusSeconds(30), TTL)).isEmpty();
    }

    @Test
    void nodeRunningAsPrimary_refusesSoTheSenderDemotes() throws Exception {
        server.serve(() -> Snapshots.failsafeMode(Snapshots.primaryWithLock()));

        HttpResponse<String> answer = server.send("POST", "/failsafe", FROM_NODE1, Optional.of(TestServer.ADMIN));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(inbox.heardWithin(NOW, TTL)).isEmpty();
    }

    @Test
    void failsafeModeOff_isAnswered502() throws Exception {
        server.serve("replica");
        assertThat(server.send("POST", "/failsafe", FROM_NODE1, Optional.of(TestServer.ADMIN))
                        .statusCode())
                .isEqualTo(502);
        assertThat(server.send("GET", "/failsafe").statusCode()).isEqualTo(502);
        assertThat(inbox.heardWithin(NOW, TTL)).isEmpty();
    }

    @Test
    void withoutCredentials_isRefusedAndNothingIsRecorded() throws Exception {
        server.serve(() -> Snapshots.failsafeMode(Snapshots.streamingReplica()));
        assertThat(server.send("POST", "/failsafe", FROM_NODE1, Optional.empty())
                        .statusCode())
                .isEqualTo(401);
        assertThat(inbox.heardWithin(NOW, TTL)).isEmpty();
    }

    @Test
    void bodyWithoutTheSendersName_isABadRequest() throws Exception {
        server.serve(() -> Snapshots.failsafeMode(Snapshots.streamingReplica()));
        HttpResponse<String> answer = server.send("POST", "/failsafe", "{}", Optional.of(TestServer.ADMIN));
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("name");
    }

    @Test
    void get_showsTheFailsafeKeyWhenEnabled() throws Exception {
        server.serve(() -> Snapshots.failsafeMode(Snapshots.streamingReplica()));
        HttpResponse<String> answer = server.send("GET", "/failsafe");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{}");
    }
}
