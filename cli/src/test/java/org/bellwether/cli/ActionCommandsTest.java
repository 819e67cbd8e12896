package org.bellwether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that act through the members' REST API, against a fake API that answers as Patroni's does. */
class ActionCommandsTest {
    @TempDir
    Path dir;

    private FakePatroni api;
    private Ctl ctl;

    @BeforeEach
    void cluster() throws Exception {
        api = new FakePatroni();
        ctl = new Ctl(dir, """
                        scope: demo
                        etcd3:
                          hosts: 127.0.0.1:2379
                        restapi:
                          authentication:
                            username: admin
                            password: secret
                        """).threeMembers(api.apiUrl());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void switchover_forced_postsLeaderAndCandidate_withBasicAuth() {
        api.answer("POST /switchover", 200, "Successfully switched over to \"n2\"");

        Ctl.Result r = ctl.run("switchover", "--force", "--candidate", "n2");

        assertThat(r.exit()).isZero();
        assertThat(api.calls).hasSize(1);
        FakePatroni.Call call = api.calls.get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/switchover");
        assertThat(call.body()).isEqualTo("{\"candidate\": \"n2\", \"leader\": \"n1\"}");
        assertThat(call.authorization()).isEqualTo("Basic YWRtaW46c2VjcmV0");
        assertThat(r.out())
                .startsWith("Current cluster topology\n+ Cluster: demo")
                .contains(" Successfully switched over");
        assertThat(ctl.store.writes).isEmpty();
    }

    @Test
    void switchover_interactive_asksAsPatronictl() {
        api.answer("POST /switchover", 200, "Successfully switched over to \"n2\"");
        ctl.stdin = "\nn2\nnow\ny\n";

        Ctl.Result r = ctl.run("switchover");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("Primary [n1]: ")
                .contains("Candidate ['n2'] []: ")
                .containsPattern(
                        "When should the switchover take place \\(e\\.g\\. \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d \\)  \\[now\\]: ")
                .contains("Are you sure you want to switchover cluster demo, demoting current leader n1? [y/N]: ");
        assertThat(api.calls.get(0).body()).isEqualTo("{\"candidate\": \"n2\", \"leader\": \"n1\"}");
    }

    @Test
    void switchover_answeredNo_aborts() {
        ctl.stdin = "\nn2\nnow\nn\n";

        Ctl.Result r = ctl.run("switchover");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error: Aborting switchover\n");
        assertThat(api.calls).isEmpty();
    }

    @Test
    void switchover_scheduled_sendsTheTime() {
        api.answer("POST /switchover", 202, "Switchover scheduled");

        Ctl.Result r = ctl.run("switchover", "--force", "--candidate", "n2", "--scheduled", "2030-01-02T03:04:05Z");

        assertThat(r.exit()).isZero();
        assertThat(api.calls.get(0).body())
                .isEqualTo(
                        "{\"candidate\": \"n2\", \"leader\": \"n1\", \"scheduled_at\": \"2030-01-02T03:04:05+00:00\"}");
    }

    @Test
    void switchover_refusals_areOneSentence() {
        assertThat(ctl.run("switchover", "--force", "--candidate", "n3").err())
                .isEqualTo("Error: Member n3 does not exist in cluster demo or is tagged as nofailover\n");
        assertThat(ctl.run("switchover", "--force", "--candidate", "n1").err())
                .isEqualTo("Error: Member n1 is already the leader of cluster demo\n");
        assertThat(ctl.run("switchover", "--force", "--leader", "n2").err())
                .isEqualTo("Error: Member n2 is not the leader of cluster demo\n");
        assertThat(ctl.run("switchover", "--force", "--scheduled", "tomorrow-ish")
                        .err())
                .isEqualTo("Error: Unable to parse scheduled timestamp (tomorrow-ish). It should be in an unambiguous"
                        + " format (e.g. ISO 8601)\n");
        assertThat(ctl.run("failover", "--force").err())
                .isEqualTo("Error: Failover could be performed only to a specific candidate\n");
        assertThat(api.calls).isEmpty();
    }

    @Test
    void switchover_endpointMissing_saysSoInOneSentence() {
        Ctl.Result r = ctl.run("switchover", "--force", "--candidate", "n2");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("Switchover failed: member n1: its REST API does not offer this request (HTTP 404: no such"
                        + " endpoint: /switchover)");
    }

    @Test
    void switchover_apiDoesNotAnswer_fallsBackToTheFailoverKey() throws Exception {
        ctl.threeMembers("http://127.0.0.1:" + FakePatroni.closedPort() + "/patroni");

        Ctl.Result r = ctl.run("switchover", "--force", "--candidate", "n2");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(" Could not switchover using Patroni api, falling back to DCS");
        assertThat(ctl.store.writes).containsExactly("failover={\"leader\":\"n1\",\"member\":\"n2\"}");
    }

    @Test
    void failover_postsTheCandidateOnly() {
        api.answer("POST /failover", 200, "Successfully failed over to \"n2\"");

        Ctl.Result r = ctl.run("failover", "--force", "--candidate", "n2");

        assertThat(r.exit()).isZero();
        assertThat(api.calls.get(0).body()).isEqualTo("{\"candidate\": \"n2\"}");
    }

    @Test
    void restart_oneMember_forced() {
        api.answer("POST /restart", 200, "restarted successfully");

        Ctl.Result r = ctl.run("restart", "demo", "n2", "--force");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).endsWith("Success: restart on member n2\n");
        assertThat(api.calls.get(0).body()).isEqualTo("{}");
    }

    @Test
    void restart_interactive_scheduledWithVersion() {
        api.answer("POST /restart", 202, "restart scheduled");
        ctl.stdin = "2030-01-02T03:04:05+00:00\ny\n15.2\n";

        Ctl.Result r = ctl.run("restart", "demo", "n2", "--pending");

        assertThat(r.out())
                .contains("The nodes needing a restart will be identified at the scheduled time")
                .contains("Restart if the PostgreSQL version is less than provided (e.g. 9.5.2)  []: ")
                .endsWith("Success: restart scheduled on member n2\n");
        assertThat(api.calls.get(0).body())
                .isEqualTo("{\"restart_pending\": true, \"postgres_version\": \"15.2\", \"schedule\":"
                        + " \"2030-01-02T03:04:05+00:00\"}");
    }

    @Test
    void restart_badVersion_andRoleFilter() {
        assertThat(ctl.run("restart", "demo", "--force", "--pg-version", "fifteen")
                        .err())
                .isEqualTo("Error: Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: fifteen\n");
        assertThat(ctl.run("restart", "demo", "n1", "-r", "replica", "--force").err())
                .isEqualTo("Error: No replica among provided members\n");
        assertThat(ctl.run("restart", "demo", "-r", "boss").exit()).isEqualTo(2);
    }

    @Test
    void reload_everyMember() {
        api.answer("POST /reload", 202, "reload scheduled");

        Ctl.Result r = ctl.run("reload", "demo", "--force");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("Reload request received for member n1 and will be processed within 10 seconds\n")
                .contains("Reload request received for member n3 and will be processed within 10 seconds\n");
        assertThat(api.calls).hasSize(3);
    }

    @Test
    void reinit_replica() {
        api.answer("POST /reinitialize", 200, "reinitialize started");

        Ctl.Result r = ctl.run("reinit", "demo", "n2", "--force", "--from-leader");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).endsWith("Success: reinitialize for member n2\n");
        assertThat(api.calls.get(0).body()).isEqualTo("{\"force\": true, \"from_leader\": true}");
        assertThat(ctl.run("reinit", "demo", "n1", "--force").err())
                .isEqualTo("Error: No replica among provided members\n");
    }

    @Test
    void pause_patchesConfig_andResumeRefusesWhenNotPaused() {
        api.answer("PATCH /config", 200, "{\"pause\": true}");

        Ctl.Result r = ctl.run("pause");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("Success: cluster management is paused\n");
        assertThat(api.calls.get(0).body()).isEqualTo("{\"pause\": true}");
        assertThat(ctl.run("resume").err()).isEqualTo("Error: Cluster is not paused\n");
    }

    @Test
    void resume_sendsNull_andPauseEndpointMissingIsOneSentence() {
        ctl.store.put("config", "{\"pause\":true}");
        api.answer("PATCH /config", 200, "{}");

        assertThat(ctl.run("resume").out()).isEqualTo("Success: cluster management is resumed\n");
        assertThat(api.calls.get(0).body()).isEqualTo("{\"pause\": null}");

        api.answer("PATCH /config", 405, "method PATCH is not allowed on /config");
        Ctl.Result r = ctl.run("resume");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .isEqualTo("Failed: resume cluster management on member n1: its REST API does not offer this request"
                        + " (HTTP 405: method PATCH is not allowed on /config); the member may run a version without"
                        + " this endpoint\n");
    }

    @Test
    void flushSwitchover_deletesThroughTheApi_orClearsTheKey() throws Exception {
        ctl.store.put(
                "failover", "{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"2030-01-02T03:04:05+00:00\"}");
        api.answer("DELETE /switchover", 200, "scheduled switchover deleted");

        assertThat(ctl.run("flush", "demo", "switchover").out()).isEqualTo("Success: scheduled switchover deleted\n");

        ctl.threeMembers("http://127.0.0.1:" + FakePatroni.closedPort() + "/patroni");
        ctl.store.put(
                "failover", "{\"leader\":\"n1\",\"member\":\"n2\",\"scheduled_at\":\"2030-01-02T03:04:05+00:00\"}");
        Ctl.Result r = ctl.run("flush", "demo", "switchover");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Could not find any accessible member of cluster demo");
        assertThat(ctl.store.writes).containsExactly("failover={}");
    }

    @Test
    void flush_nothingScheduled() {
        assertThat(ctl.run("flush", "demo", "switchover").out()).isEqualTo("No pending scheduled switchover\n");
        assertThat(ctl.run("flush", "demo", "n2", "restart", "--force").out())
                .endsWith("No scheduled restart for member n2\n");
        assertThat(ctl.run("flush", "demo", "everything").err()).contains("'everything' is not one of 'restart'");
    }

    @Test
    void version_ofTheToolAndOfTheMembers() {
        api.answer("GET /patroni", 200, "{\"patroni\":{\"version\":\"4.0.0\"},\"server_version\":150008}");

        assertThat(ctl.run("version").out()).isEqualTo("bellwether ctl version 9.9.9\n");
        assertThat(ctl.run("version", "demo", "n2").out())
                .isEqualTo("bellwether ctl version 9.9.9\n\nn2: Patroni 4.0.0 PostgreSQL 15.8\n");
    }

    @Test
    void remove_afterTypedConfirmations() {
        ctl.stdin = "demo\nYes I am aware\nn1\n";

        Ctl.Result r = ctl.run("remove", "demo");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("Please confirm the cluster name to remove: ")
                .contains("You are about to remove all information in DCS for demo, please type: \"Yes I am aware\": ")
                .contains("This cluster currently is healthy. Please specify the leader name to continue: ");
        assertThat(ctl.store.keys).isEmpty();
    }

    @Test
    void remove_wrongAnswers_keepTheCluster() {
        ctl.stdin = "demo\nyes\n";
        assertThat(ctl.run("remove", "demo").err()).isEqualTo("Error: You did not exactly type \"Yes I am aware\"\n");
        ctl.stdin = "demo\nYes I am aware\nn2\n";
        assertThat(ctl.run("remove", "demo").err())
                .isEqualTo("Error: You did not specify the current leader of the cluster\n");
        ctl.stdin = "";
        assertThat(ctl.run("remove", "demo").err()).startsWith("Error: aborted: no answer on standard input");
        assertThat(ctl.store.keys).isNotEmpty();
    }
}
