package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.agent.rest.TestServer.ADMIN;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bellwether.agent.RequestQueue;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Lsn;
import org.bellwether.core.Member;
import org.bellwether.core.MemberRole;
import org.bellwether.core.Tags;
import org.bellwether.core.Timeline;
import org.bellwether.core.ha.PeerStatus;
import org.bellwether.postgres.ParameterCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The switchover, failover and configuration endpoints over real HTTP, against an in-memory DCS and peers that answer
 * as the test says. The loop's part (a new leader appearing) is played by {@link FakeDcs#afterFailoverWrite}.
 */
class WriteEndpointsTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private FakeDcs dcs;
    private final Map<String, PeerStatus> peerAnswers = new TreeMap<>();
    private final AtomicInteger wakes = new AtomicInteger();
    private final RequestQueue requests = new RequestQueue();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        dcs = new FakeDcs(cluster("n1", Map.of("ttl", 30, "loop_wait", 10, "retry_timeout", 10)));
        peerAnswers.put("n2", replica("n2", Tags.NONE));
        peerAnswers.put("n3", replica("n3", Tags.NONE));
        WriteApi api = new WriteApi(
                dcs,
                members -> {
                    SortedMap<String, PeerStatus> answers = new TreeMap<>();
                    members.forEach(m -> answers.put(
                            m.name(), peerAnswers.getOrDefault(m.name(), PeerStatus.unreachable(m.name()))));
                    return answers;
                },
                requests,
                wakes::incrementAndGet,
                InstantSource.fixed(NOW),
                Duration.ofMillis(20),
                Duration.ofSeconds(5),
                WriteEndpointsTest::postgresJudges);
        server = new TestServer(api::register);
    }

    /** Stands in for PostgreSQL's server program: refuses a work_mem that is not a size. */
    static List<ParameterCheck.Problem> postgresJudges(Map<String, ?> parameters) {
        List<ParameterCheck.Problem> problems = new ArrayList<>(ParameterCheck.inForm(parameters));
        Object workMem = parameters.get("work_mem");
        if (workMem != null && !workMem.toString().matches("[0-9]+[kMG]B")) {
            problems.add(new ParameterCheck.Problem(
                    "work_mem", "invalid value for parameter \"work_mem\": \"" + workMem + "\""));
        }
        return problems;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static ClusterView cluster(String leader, Map<String, Object> config) {
        List<Member> members = List.of(member("n1"), member("n2"), member("n3"));
        return new ClusterView(
                Optional.of("7000000000000000001"),
                Optional.of(new ClusterConfig(new TreeMap<>(config), 5)),
                Optional.ofNullable(leader).map(l -> new ClusterView.LeaderKey(l, 7)),
                members,
                Optional.of(new Lsn(5000)),
                new TreeMap<>(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    private static Member member(String name) {
        return Member.of(
                name,
                "http://127.0.0.1:1/" + name + "/patroni",
                "postgres://127.0.0.1:5432/postgres",
                "running",
                name.equals("n1") ? MemberRole.PRIMARY : MemberRole.REPLICA);
    }

    static PeerStatus replica(String name, Tags tags) {
        return new PeerStatus(
                name,
                true,
                MemberRole.REPLICA,
                true,
                Optional.of(new Lsn(5000)),
                Optional.of(Timeline.FIRST),
                tags,
                false);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return server.send("POST", path, body, Optional.of(ADMIN));
    }

    @Test
    void switchoverToNamedCandidate_writesTheKeyWakesTheLoopAndAnswersWithTheNewLeader() throws Exception {
        dcs.afterFailoverWrite = FakeDcs.newLeader("n2");
        HttpResponse<String> response = post("/switchover", "{\"leader\": \"n1\", \"candidate\": \"n2\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Successfully switched over to \"n2\"");
        assertThat(dcs.failoverWrites).hasSize(1);
        assertThat(dcs.failoverWrites.get(0).leader()).contains("n1");
        assertThat(dcs.failoverWrites.get(0).candidate()).contains("n2");
        assertThat(wakes.get()).isEqualTo(1);
    }

    @Test
    void switchoverToAnyMember_answersWithWhoeverTookOver() throws Exception {
        dcs.afterFailoverWrite = FakeDcs.newLeader("n3");
        HttpResponse<String> response = post("/switchover", "{\"leader\": \"n1\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Successfully switched over to \"n3\"");
    }

    @Test
    void requestWithdrawnWithoutNewLeader_is503Failed() throws Exception {
        dcs.afterFailoverWrite = FakeDcs.withdrawn();
        HttpResponse<String> response = post("/switchover", "{\"leader\": \"n1\", \"candidate\": \"n2\"}");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).startsWith("Switchover failed");
    }

    @Test
    void failoverWithoutLeader_promotesTheNamedCandidate() throws Exception {
        dcs.set(cluster(null, Map.of("loop_wait", 10)));
        dcs.afterFailoverWrite = FakeDcs.newLeader("n3");
        HttpResponse<String> response = post("/failover", "{\"candidate\": \"n3\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Successfully failed over to \"n3\"");
        assertThat(dcs.failoverWrites.get(0).leader()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/switchover | {\"leader\": \"n1\", \"candidate\": \"n9\"}               | 412 | n9 is not a member",
                "/switchover | {\"leader\": \"n1\", \"candidate\": \"n1\"}               | 400 | same member",
                "/failover   | {\"candidate\": \"n1\"}                                   | 400 | already the leader",
                "/switchover | {\"leader\": \"n2\", \"candidate\": \"n3\"}               | 412 | n2 is not the leader",
                "/switchover | {\"candidate\": \"n2\"}                                   | 400 | needs the name of the current leader",
                "/failover   | {\"leader\": \"n1\"}                                      | 400 | needs a candidate",
                "/switchover | {\"leader\": \"n1\", \"scheduled_at\": \"2026-03-01T13:00:00\"} | 400 | time zone",
                "/switchover | {\"leader\": \"n1\", \"scheduled_at\": \"2026-03-01T11:00:00+00:00\"} | 422 | past",
                "/switchover | {\"leader\": \"n1\", \"scheduled_at\": \"soon\"}          | 422 | cannot read",
                "/switchover | {\"leader\": \"n1\", \"scheduled_at\": \"+999999999-12-31T23:59:59+00:00\"} | 400 | scheduled_at",
                "/switchover | {\"leader\": \"n1\", \"scheduled_at\": \"+10000-01-01T00:00:00+00:00\"} | 400 | four-digit year",
                "/switchover | {\"leader\": \"n1\", \"scheduled_at\": \"9999-12-31T23:30:00-01:00\"} | 400 | scheduled_at",
                "/failover   | {\"candidate\": \"n2\", \"scheduled_at\": \"2026-03-01T13:00:00+00:00\"} | 400 | cannot be scheduled",
                "/switchover | not json                                                  | 400 | not valid JSON"
            })
    void badRequest_isRefusedWithASentenceAndNothingWritten(String path, String body, int status, String sentence)
            throws Exception {
        HttpResponse<String> response = post(path, body);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).contains(sentence);
        assertThat(dcs.failoverWrites).isEmpty();
        assertThat(wakes.get()).isZero();
    }

    @Test
    void nofailoverCandidate_is412NamingTheTag() throws Exception {
        peerAnswers.put("n2", replica("n2", Tags.of(new TreeMap<>(Map.of("nofailover", true)))));
        HttpResponse<String> response = post("/switchover", "{\"leader\": \"n1\", \"candidate\": \"n2\"}");
        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(response.body()).contains("n2 is tagged nofailover");
        assertThat(dcs.failoverWrites).isEmpty();
    }

    @Test
    void noReachableCandidate_is412() throws Exception {
        peerAnswers.clear();
        HttpResponse<String> response = post("/switchover", "{\"leader\": \"n1\"}");
        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(response.body()).contains("no member can take over").contains("n2 does not answer");
    }

    @Test
    void scheduledSwitchover_is202AndCanBeDeleted() throws Exception {
        HttpResponse<String> response = post(
                "/switchover",
                "{\"leader\": \"n1\", \"candidate\": \"n2\", \"scheduled_at\": \"2026-03-01T13:00:00Z\"}");
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("Switchover scheduled");
        assertThat(dcs.failoverWrites.get(0).scheduledAt()).contains(Instant.parse("2026-03-01T13:00:00Z"));

        HttpResponse<String> deleted = server.send("DELETE", "/switchover", null, Optional.of(ADMIN));
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(dcs.failoverWrites.get(1).isEmpty()).isTrue();
        assertThat(server.send("DELETE", "/switchover", null, Optional.of(ADMIN))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void pausedCluster_refusesASwitchoverWithoutCandidate() throws Exception {
        dcs.set(cluster("n1", Map.of("pause", true)));
        HttpResponse<String> response = post("/switchover", "{\"leader\": \"n1\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("paused");
    }

    @Test
    void patchConfig_mergesDeletesWithNullAndWritesWithTheVersionRead() throws Exception {
        dcs.set(cluster(
                "n1",
                Map.of(
                        "ttl",
                        30,
                        "loop_wait",
                        10,
                        "postgresql",
                        Map.of("parameters", Map.of("work_mem", "4MB", "max_connections", 100)))));
        HttpResponse<String> response = server.send(
                "PATCH",
                "/config",
                "{\"loop_wait\": 5, \"ttl\": null, \"postgresql\": {\"parameters\": {\"work_mem\": \"8MB\"}}}",
                Optional.of(ADMIN));

        assertThat(response.statusCode()).isEqualTo(200);
        var body = TestServer.json(response);
        assertThat(body.get("loop_wait").asInt()).isEqualTo(5);
        assertThat(body.has("ttl")).isFalse();
        assertThat(body.at("/postgresql/parameters/work_mem").asText()).isEqualTo("8MB");
        assertThat(body.at("/postgresql/parameters/max_connections").asInt()).isEqualTo(100);
        assertThat(dcs.read().config().orElseThrow().raw()).containsEntry("loop_wait", 5);
        assertThat(wakes.get()).isEqualTo(1);
    }

    @Test
    void patchConfigWithABadValue_is400NamingTheKeyAndWritesNothing() throws Exception {
        HttpResponse<String> response =
                server.send("PATCH", "/config", "{\"loop_wait\": \"often\"}", Optional.of(ADMIN));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("loop_wait").contains("expected an integer");
        assertThat(dcs.configWrites).isEmpty();
    }

    @Test
    void patchConfigWithASettingBellwetherRefuses_is400NamingTheKeyAndWhy() throws Exception {
        HttpResponse<String> response = server.send(
                "PATCH", "/config", "{\"postgresql\": {\"pg_ident\": [\"map os db\"]}}", Optional.of(ADMIN));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("postgresql.pg_ident: refused: pg_ident.conf is not written");
        assertThat(dcs.configWrites).isEmpty();
    }

    @Test
    void patchConfigWithAParameterPostgresRefuses_is400InPostgresWordsAndWritesNothing() throws Exception {
        HttpResponse<String> garbage = server.send(
                "PATCH",
                "/config",
                "{\"postgresql\": {\"parameters\": {\"work_mem\": \"garbage\"}}}",
                Optional.of(ADMIN));
        HttpResponse<String> lineBreak = server.send(
                "PATCH",
                "/config",
                "{\"postgresql\": {\"parameters\": {\"cluster_name\": \"a\\nb\"}}}",
                Optional.of(ADMIN));

        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("postgresql.parameters.work_mem").contains("invalid value for parameter");
        assertThat(lineBreak.statusCode()).isEqualTo(400);
        assertThat(lineBreak.body())
                .contains("postgresql.parameters.cluster_name")
                .contains("line break");
        assertThat(dcs.configWrites).isEmpty();
        HttpResponse<String> good = server.send(
                "PATCH", "/config", "{\"postgresql\": {\"parameters\": {\"work_mem\": \"64MB\"}}}", Optional.of(ADMIN));
        assertThat(good.statusCode()).isEqualTo(200);
    }

    @Test
    void patchConfigThatOverflows_is400NamingTheKeyAndTheRange() throws Exception {
        for (String key : new String[] {"loop_wait", "retry_timeout", "ttl"}) {
            HttpResponse<String> response =
                    server.send("PATCH", "/config", "{\"" + key + "\": 9223372036854775807}", Optional.of(ADMIN));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body())
                    .contains(key + ": expected an integer between")
                    .contains("got 9223372036854775807");
        }
        assertThat(dcs.configWrites).isEmpty();
    }

    @Test
    void patchConfigThatBreaksTheTimingRule_isWritten_agentsAdjustAsPatroniDoes() throws Exception {
        HttpResponse<String> response = server.send("PATCH", "/config", "{\"ttl\": 12}", Optional.of(ADMIN));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(dcs.read().config().orElseThrow().raw()).containsEntry("ttl", 12);
    }

    @Test
    void patchConfig_isNotRefusedForABadValueItDoesNotTouch() throws Exception {
        dcs.set(cluster("n1", Map.of("ttl", 10, "loop_wait", "abc", "retry_timeout", 4, "synchronous_mode", "maybe")));

        HttpResponse<String> pause = server.send("PATCH", "/config", "{\"pause\": true}", Optional.of(ADMIN));

        assertThat(pause.statusCode()).isEqualTo(200);
        assertThat(dcs.read().config().orElseThrow().raw()).containsEntry("pause", true);
        HttpResponse<String> stillBad = server.send("PATCH", "/config", "{\"loop_wait\": -1}", Optional.of(ADMIN));
        assertThat(stillBad.statusCode()).isEqualTo(400);
        HttpResponse<String> repair = server.send("PATCH", "/config", "{\"loop_wait\": 2}", Optional.of(ADMIN));
        assertThat(repair.statusCode()).isEqualTo(200);
    }

    @Test
    void putConfig_countsEveryError() throws Exception {
        HttpResponse<String> response =
                server.send("PUT", "/config", "{\"ttl\": 20, \"synchronous_mode\": \"maybe\"}", Optional.of(ADMIN));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("synchronous_mode: expected on, off or quorum");
    }

    @Test
    void patchConfigRacingAnotherWriter_is409() throws Exception {
        dcs.loseConfigRaces = true;
        HttpResponse<String> response = server.send("PATCH", "/config", "{\"loop_wait\": 5}", Optional.of(ADMIN));
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("changed meanwhile");
    }

    @Test
    void putConfig_replacesTheWholeConfiguration() throws Exception {
        HttpResponse<String> response = server.send(
                "PUT", "/config", "{\"ttl\": 20, \"loop_wait\": 5, \"retry_timeout\": 5}", Optional.of(ADMIN));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(dcs.read().config().orElseThrow().raw()).containsOnlyKeys("ttl", "loop_wait", "retry_timeout");
    }

    @ParameterizedTest(name = "{0} /config with bytes after the JSON -> 400, nothing written")
    @CsvSource(
            delimiter = '|',
            value = {
                "PUT   | {\"ttl\": 20, \"loop_wait\": 5, \"retry_timeout\": 5} trailing",
                "PATCH | {\"loop_wait\": 5} trailing",
                "PATCH | {\"loop_wait\": 5}{\"loop_wait\": 6}",
                "PATCH | {\"loop_wait\": 5} 7",
            })
    void configWithBytesAfterTheJson_is400AndWritesNothing(String method, String body) throws Exception {
        HttpResponse<String> response = server.send(method, "/config", body, Optional.of(ADMIN));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("error").asText()).contains("more after its JSON value");
        assertThat(dcs.configWrites).isEmpty();
    }

    @Test
    void switchoverWithAnObjectForTheLeader_is400NamingTheField() throws Exception {
        HttpResponse<String> response = post("/switchover", "{\"leader\": {\"name\": \"n1\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("leader: expected a string");
        assertThat(dcs.failoverWrites).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} without credentials -> 401, nothing changed")
    @CsvSource({
        "POST, /switchover",
        "POST, /failover",
        "DELETE, /switchover",
        "POST, /restart",
        "DELETE, /restart",
        "POST, /reload",
        "POST, /reinitialize",
        "PATCH, /config",
        "PUT, /config"
    })
    void unsafeEndpointWithoutCredentials_is401AndChangesNothing(String method, String path) throws Exception {
        String body = "{\"leader\": \"n1\", \"candidate\": \"n2\", \"loop_wait\": 5}";
        HttpResponse<String> anonymous = server.send(method, path, body, Optional.empty());
        HttpResponse<String> wrong = server.send(method, path, body, Optional.of(TestServer.basic("admin", "nope")));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(dcs.failoverWrites).isEmpty();
        assertThat(dcs.configWrites).isEmpty();
        assertThat(requests.peek()).isEmpty();
        assertThat(wakes.get()).isZero();
    }
}
