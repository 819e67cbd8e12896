package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.agent.rest.Snapshots.NOW;

import java.net.InetSocketAddress;
import org.bellwether.config.RestApiConfig;
import org.junit.jupiter.api.Test;

/** {@code restapi.request_queue_size} becomes the listening socket's backlog. */
class RestApiServerListenBacklogTest {
    private static int backlogServedWith(RestApiConfig config) throws Exception {
        try (RestApiServer server = new RestApiServer(
                Snapshots::primaryWithLock, () -> NOW, config, new InetSocketAddress("127.0.0.1", 0), r -> {})) {
            return server.backlog();
        }
    }

    @Test
    void requestQueueSize_isTheBacklog() throws Exception {
        assertThat(backlogServedWith(
                        new RestApiConfigBuilder().requestQueueSize(42).build()))
                .isEqualTo(42);
        assertThat(backlogServedWith(new RestApiConfigBuilder().build()))
                .isEqualTo(RestApiConfig.DEFAULT_REQUEST_QUEUE_SIZE);
    }

    @Test
    void zero_becomesOne_becauseTheJdkWouldMakeIt50() {
        assertThat(RestApiServer.listenBacklog(0)).isEqualTo(1);
        assertThat(RestApiServer.listenBacklog(5)).isEqualTo(5);
    }
}
