package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.agent.rest.TestServer.ADMIN;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.bellwether.agent.RequestQueue;
import org.bellwether.core.ha.Action;
import org.bellwether.core.ha.Decision;
import org.bellwether.core.ha.HaMemory;
import org.bellwether.core.ha.NodeRequest;
import org.bellwether.core.ha.Operation;
import org.bellwether.core.ha.Reason;
import org.bellwether.core.ha.RequestAnswer;
import org.bellwether.core.ha.RequestAnswer.Result;
import org.bellwether.core.ha.RestartConditions;
import org.bellwether.postgres.ParameterCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Restart, reload and reinitialize over real HTTP. A thread plays the loop: it takes each queued request, answers it
 * as the test says, and finishes a restart's operation a moment later.
 */
class NodeRequestEndpointsTest {
    private final RequestQueue requests = new RequestQueue();
    private final List<NodeRequest> seen = new CopyOnWriteArrayList<>();
    private volatile Function<NodeRequest, Result> answers = r -> Result.STARTED;
    private volatile boolean restartSucceeds = true;
    private volatile boolean running = true;
    private Thread loop;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        WriteApi api = new WriteApi(
                new FakeDcs(WriteEndpointsTest.cluster("n1", Map.of())),
                m -> new TreeMap<>(),
                requests,
                () -> {},
                InstantSource.fixed(WriteEndpointsTest.NOW),
                Duration.ofMillis(20),
                Duration.ofSeconds(5),
                ParameterCheck::inForm);
        server = new TestServer(api::register);
        loop = new Thread(this::playLoop, "test-loop");
        loop.setDaemon(true);
        loop.start();
    }

    @AfterEach
    void stop() throws Exception {
        running = false;
        loop.join(2000);
        server.close();
    }

    private void playLoop() {
        while (running) {
            Optional<NodeRequest> request = requests.peek();
            if (request.isPresent()) {
                NodeRequest r = request.get();
                seen.add(r);
                Result result = answers.apply(r);
                Decision decision = Decision.of(HaMemory.INITIAL, Reason.of(Reason.Code.REQUEST_ANSWERED, "test"))
                        .withAnswer(new RequestAnswer(r.id(), result, "answer " + result));
                requests.settle(request, decision, true);
                if (r.body() instanceof NodeRequest.Restart && result == Result.STARTED) {
                    pause(100);
                    requests.operationFinished(new Operation(
                            Action.Kind.RESTART,
                            restartSucceeds ? Operation.Phase.SUCCEEDED : Operation.Phase.FAILED,
                            Duration.ZERO,
                            restartSucceeds ? Optional.empty() : Optional.of("pg_ctl start failed")));
                }
            }
            pause(10);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return server.send(method, path, body, Optional.of(ADMIN));
    }

    @Test
    void restartNow_answers200OnceTheRestartFinished() throws Exception {
        HttpResponse<String> response = send("POST", "/restart", "{\"role\": \"primary\", \"timeout\": \"30s\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("restarted successfully");
        NodeRequest.Restart asked = (NodeRequest.Restart) seen.get(0).body();
        assertThat(asked.conditions().role()).contains(org.bellwether.core.MemberRole.PRIMARY);
        assertThat(asked.conditions().timeout()).contains(Duration.ofSeconds(30));
    }

    @Test
    void restartThatFails_is503WithTheError() throws Exception {
        restartSucceeds = false;
        HttpResponse<String> response = send("POST", "/restart", null);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("restart failed").contains("pg_ctl start failed");
    }

    @Test
    void restartRefusedByTheLoop_is503WithItsSentence() throws Exception {
        answers = r -> Result.REFUSED;
        HttpResponse<String> response = send("POST", "/restart", "{}");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("answer REFUSED");
    }

    @Test
    void scheduledRestart_is202_andASecondIs409() throws Exception {
        answers = r -> Result.SCHEDULED;
        HttpResponse<String> response = send(
                "POST", "/restart", "{\"schedule\": \"2026-03-01T13:00:00+00:00\", \"postgres_version\": \"16.2\"}");
        assertThat(response.statusCode()).isEqualTo(202);
        NodeRequest.ScheduleRestart asked =
                (NodeRequest.ScheduleRestart) seen.get(0).body();
        assertThat(asked.at()).isEqualTo(java.time.Instant.parse("2026-03-01T13:00:00Z"));
        assertThat(asked.conditions().belowVersion()).hasValue(160002);
        answers = r -> Result.CONFLICT;
        assertThat(send("POST", "/restart", "{\"schedule\": \"2026-03-01T14:00:00+00:00\"}")
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    void badRestartBodies_are400Or422WithoutReachingTheLoop() throws Exception {
        assertThat(send("POST", "/restart", "{\"role\": \"boss\"}").statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/restart", "{\"postgres_version\": \"new\"}").statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/restart", "{\"timeout\": -5}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/restart", "{\"when\": \"now\"}").body()).contains("Unknown filter");
        assertThat(send("POST", "/restart", "{\"schedule\": \"2026-03-01T13:00:00\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/restart", "{\"schedule\": \"2020-01-01T00:00:00Z\"}")
                        .statusCode())
                .isEqualTo(422);
        HttpResponse<String> farAway = send("POST", "/restart", "{\"schedule\": \"+10000-01-01T00:00:00Z\"}");
        assertThat(farAway.statusCode()).isEqualTo(400);
        assertThat(farAway.body()).contains("schedule");
        assertThat(seen).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} -> 400 naming {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/restart      | {\"timeout\": \"99999999999999999999\"}   | timeout: \"99999999999999999999\" is out of range",
                "/restart      | {\"timeout\": 99999999999999999999}       | timeout: 99999999999999999999 is out of range",
                "/restart      | {\"timeout\": \"9999999999999999d\"}       | out of range",
                "/restart      | {\"timeout\": \"0s\"}                     | timeout: should be a positive number",
                "/restart      | {\"timeout\": {\"s\": 5}}                  | timeout: should be a positive number",
                "/restart      | {\"role\": [\"primary\"]}                  | got an array",
                "/restart      | {\"schedule\": 1772370000}                | schedule: expected a timestamp",
                "/restart      | {\"postgres_version\": \"999999999.1\"}    | postgres_version",
                "/restart      | {\"postgres_version\": {}}               | postgres_version",
                "/restart      | {\"restart_pending\": \"maybe\"}           | restart_pending: expected true or false",
                "/reinitialize | {\"force\": {\"yes\": true}}              | force: expected true or false",
                "/reinitialize | {\"from_leader\": 2}                      | from_leader",
                "/restart      | {\"timeout\": \"30s\"} trailing              | more after its JSON value",
            })
    void malformedField_is400NamingIt_andNothingReachesTheLoop(String path, String body, String expected)
            throws Exception {
        HttpResponse<String> response = send("POST", path, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").asText()).contains(expected);
        assertThat(seen).isEmpty();
    }

    @Test
    void scheduleWhilePaused_is500() throws Exception {
        server.serve(() -> Snapshots.paused(Snapshots.primaryWithLock()));
        HttpResponse<String> response = send("POST", "/restart", "{\"schedule\": \"2026-03-01T13:00:00Z\"}");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("Can't schedule restart in the paused state");
    }

    @Test
    void deleteRestart_is200WhenOneWasScheduledElse404() throws Exception {
        answers = r -> Result.DONE;
        assertThat(send("DELETE", "/restart", null).statusCode()).isEqualTo(200);
        answers = r -> Result.NOT_FOUND;
        assertThat(send("DELETE", "/restart", null).statusCode()).isEqualTo(404);
        assertThat(seen).allMatch(r -> r.body() instanceof NodeRequest.CancelScheduledRestart);
    }

    @Test
    void reload_is202AtOnceAndQueuedForTheLoop() throws Exception {
        answers = r -> Result.DONE;
        HttpResponse<String> response = send("POST", "/reload", null);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("reload scheduled");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (seen.isEmpty() && System.nanoTime() < deadline) {
            pause(10);
        }
        assertThat(seen.get(0).body()).isInstanceOf(NodeRequest.Reload.class);
    }

    @Test
    void reinitialize_is200WhenStartedAnd503WhenRefused() throws Exception {
        HttpResponse<String> started = send("POST", "/reinitialize", "{\"force\": true, \"from_leader\": \"yes\"}");
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(seen.get(0).body()).isEqualTo(new NodeRequest.Reinitialize(true, true));
        answers = r -> Result.REFUSED;
        assertThat(send("POST", "/reinitialize", null).statusCode()).isEqualTo(503);
    }

    @Test
    void planThatStoppedBeforeTheRequest_isAnsweredAsNotDone() {
        RequestQueue queue = new RequestQueue();
        var answer = queue.submit(new NodeRequest.Restart(RestartConditions.NONE));
        NodeRequest r = queue.peek().orElseThrow();
        Decision decision = Decision.of(HaMemory.INITIAL, Reason.of(Reason.Code.RESTARTING, "x"))
                .withAnswer(new RequestAnswer(r.id(), Result.STARTED, "restart initiated"));
        queue.settle(Optional.of(r), decision, false);
        assertThat(queue.peek()).isEmpty();
        assertThat(answer.join().result()).isEqualTo(Result.REFUSED);
        assertThat(answer.join().message()).startsWith("not done");
    }
}
