package org.bellwether.core.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwether.core.status.Snapshot.NOW;
import static org.bellwether.core.status.Snapshot.primary;
import static org.bellwether.core.status.Snapshot.primaryWithLock;
import static org.bellwether.core.status.Snapshot.replica;
import static org.bellwether.core.status.Snapshot.stopped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthCheckTest {
    private static final long MB = 1024 * 1024;

    static Stream<Arguments> leadershipChecks() {
        return Stream.of(
                check("primaryHoldingLock_primaryIs200", primaryWithLock(), "/primary", 200),
                check("primaryHoldingLock_rootIs200", primaryWithLock(), "/", 200),
                check("primaryHoldingLock_readWriteIs200", primaryWithLock(), "/read-write", 200),
                check("primaryHoldingLock_legacyMasterIs200", primaryWithLock(), "/master", 200),
                check("primaryWithoutLock_primaryIs503", primary(), "/primary", 503),
                check(
                        "primaryWhoseLockExpired_primaryIs503",
                        primary().lockExpiredAgo(Duration.ofMillis(1)),
                        "/primary",
                        503),
                check("replicaHoldingLockMidPromotion_primaryIs200", replica().withLock(), "/primary", 200),
                check(
                        "stoppedNodeHoldingLock_primaryIs503UnlikePatroni",
                        stopped().withLock(),
                        "/primary",
                        503),
                check("leaderStoppingPostgres_primaryIs503", primaryWithLock().stopping(), "/primary", 503),
                check(
                        "leaderWhoseStopEndedAfterItsObservation_primaryIs503",
                        primaryWithLock().stoppedSinceObserved(),
                        "/primary",
                        503),
                check(
                        "leaderOfStandbyCluster_primaryIs503",
                        replica().withLock().standbyCluster(),
                        "/primary",
                        503),
                check(
                        "leaderOfStandbyCluster_standbyLeaderIs200",
                        replica().withLock().standbyCluster(),
                        "/standby-leader",
                        200),
                check(
                        "leaderOfStandbyCluster_underscoreAliasIs200",
                        replica().withLock().standbyCluster(),
                        "/standby_leader",
                        200),
                check("leaderOfStandbyCluster_leaderIs200", replica().withLock().standbyCluster(), "/leader", 200),
                check("primaryHoldingLock_standbyLeaderIs503", primaryWithLock(), "/standby-leader", 503),
                check("primaryHoldingLock_leaderIs200", primaryWithLock(), "/leader", 200),
                check("replicaWithoutLock_leaderIs503", replica(), "/leader", 503),
                check(
                        "pausedPrimaryWithoutDcsView_primaryIs200",
                        primary().paused().withoutDcs(),
                        "/primary",
                        200),
                check(
                        "pausedPrimaryWithoutDcsView_leaderIs200",
                        primary().paused().withoutDcs(),
                        "/leader",
                        200),
                check(
                        "pausedReplicaWithoutDcsView_primaryIs503",
                        replica().paused().withoutDcs(),
                        "/primary",
                        503),
                check("unpausedPrimaryWithoutDcsView_primaryIs503", primary().withoutDcs(), "/primary", 503),
                check(
                        "primaryHoldingLockAndUnmatchedTagFilter_tagsIgnoredIs200",
                        primaryWithLock(),
                        "/primary?tag_zone=b",
                        200));
    }

    static Stream<Arguments> replicaChecks() {
        return Stream.of(
                check("streamingReplica_replicaIs200", replica(), "/replica", 200),
                check("primaryHoldingLock_replicaIs503", primaryWithLock(), "/replica", 503),
                check("noloadbalanceReplica_replicaIs503", replica().tag("noloadbalance", true), "/replica", 503),
                check("stoppedNode_replicaIs503", stopped(), "/replica", 503),
                check(
                        "replicaBehindMoreThanLag_replicaIs503",
                        replica().position(100 * MB, 10 * MB, 90 * MB),
                        "/replica?lag=16MB",
                        503),
                check(
                        "replicaBehindLessThanLag_replicaIs200",
                        replica().position(100 * MB, 90 * MB, 95 * MB),
                        "/replica?lag=16MB",
                        200),
                check(
                        "replicaBehindExactlyLagInBytes_replicaIs200",
                        replica().position(1000, 900, 1000),
                        "/replica?lag=100",
                        200),
                check(
                        "laggingReplicaWithoutLagParameter_replicaIs200",
                        replica().position(100 * MB, 0, 0),
                        "/replica",
                        200),
                check(
                        "unknownLeaderOptime_lagNeverExceeded_replicaIs200",
                        replica().position(0, 0, 0),
                        "/replica?lag=1",
                        200),
                check(
                        "streamingReplica_replicationStateStreamingIs200",
                        replica(),
                        "/replica?replication_state=streaming",
                        200),
                check(
                        "replicaNotStreaming_replicationStateStreamingIs503",
                        replica().notStreaming(),
                        "/replica?replication_state=streaming",
                        503),
                check("replicaWithMatchingTag_replicaIs200", replica().tag("zone", "a"), "/replica?tag_zone=a", 200),
                check("replicaWithOtherTagValue_replicaIs503", replica().tag("zone", "b"), "/replica?tag_zone=a", 503),
                check("replicaWithoutTheTag_replicaIs503", replica(), "/replica?tag_zone=a", 503),
                check(
                        "replicaWithBooleanTag_comparedAsLowercaseText_replicaIs200",
                        replica().tag("backup", true),
                        "/replica?tag_backup=true",
                        200),
                check(
                        "leaderOfStandbyCluster_replicaIs503",
                        replica().withLock().standbyCluster(),
                        "/replica",
                        503),
                check("primaryHoldingLock_readOnlyIs200", primaryWithLock(), "/read-only", 200),
                check(
                        "noloadbalancePrimaryHoldingLock_readOnlyIs200",
                        primaryWithLock().tag("noloadbalance", true),
                        "/read-only",
                        200),
                check("streamingReplica_readOnlyIs200", replica(), "/read-only", 200),
                check("noloadbalanceReplica_readOnlyIs503", replica().tag("noloadbalance", true), "/read-only", 503),
                check("primaryWithoutLock_readOnlyIs503", primary(), "/read-only", 503),
                check(
                        "leaderOfStandbyCluster_readOnlyIs200",
                        replica().withLock().standbyCluster(),
                        "/read-only",
                        200));
    }

    static Stream<Arguments> synchronousChecks() {
        Snapshot sync = replica().syncMode("on", Snapshot.NAME);
        Snapshot quorum = replica().syncMode("quorum", Snapshot.NAME);
        Snapshot async = replica().syncMode("on", "node2");
        return Stream.of(
                check("syncStandby_syncIs200", replica().syncMode("on", Snapshot.NAME), "/sync", 200),
                check("syncStandby_synchronousIs200", replica().syncMode("on", Snapshot.NAME), "/synchronous", 200),
                check("syncStandbyListedInOtherCase_syncIs200", replica().syncMode("on", "NODE1"), "/sync", 200),
                check("asyncReplica_syncIs503", replica().syncMode("on", "node2"), "/sync", 503),
                check("asyncReplica_asyncIs200", replica().syncMode("on", "node2"), "/async", 200),
                check("asyncReplica_asynchronousIs200", replica().syncMode("on", "node2"), "/asynchronous", 200),
                check("syncStandby_asyncIs503", replica().syncMode("on", Snapshot.NAME), "/async", 503),
                check(
                        "listedInSyncKeyWhileSyncModeOff_asyncIs200",
                        replica().syncMode("off", Snapshot.NAME),
                        "/async",
                        200),
                check(
                        "listedInSyncKeyWhileSyncModeOff_syncIs503",
                        replica().syncMode("off", Snapshot.NAME),
                        "/sync",
                        503),
                check(
                        "laggingSyncStandby_syncWithLagIs503",
                        replica().syncMode("on", Snapshot.NAME).position(100 * MB, 0, 0),
                        "/sync?lag=1MB",
                        503),
                check("noloadbalanceSyncStandby_syncIs503", sync.tag("noloadbalance", true), "/sync", 503),
                check("quorumStandby_quorumIs200", replica().syncMode("quorum", Snapshot.NAME), "/quorum", 200),
                check("quorumStandby_syncIs503", replica().syncMode("quorum", Snapshot.NAME), "/sync", 503),
                check("quorumStandby_asyncIs503", quorum, "/async", 503),
                check("asyncReplica_quorumIs503", async, "/quorum", 503),
                check(
                        "quorumStandby_readOnlyQuorumIs200",
                        replica().syncMode("quorum", Snapshot.NAME),
                        "/read-only-quorum",
                        200),
                check(
                        "primaryHoldingLock_readOnlyQuorumIs200",
                        primaryWithLock().syncMode("quorum", "node2"),
                        "/read-only-quorum",
                        200),
                check(
                        "asyncReplicaInQuorumMode_readOnlyQuorumIs503",
                        replica().syncMode("quorum", "node2"),
                        "/read-only-quorum",
                        503),
                check("syncStandby_readOnlySyncIs200", replica().syncMode("on", Snapshot.NAME), "/read-only-sync", 200),
                check(
                        "syncStandby_readOnlySynchronousAliasIs200",
                        replica().syncMode("on", Snapshot.NAME),
                        "/read-only-synchronous",
                        200),
                check(
                        "primaryHoldingLock_readOnlySyncIs200",
                        primaryWithLock().syncMode("on", "node2"),
                        "/read-only-sync",
                        200),
                check("asyncReplica_readOnlySyncIs503", replica().syncMode("on", "node2"), "/read-only-sync", 503),
                check(
                        "syncStandbyWithoutDcsView_syncIs503",
                        replica().syncMode("on", Snapshot.NAME).withoutDcs(),
                        "/sync",
                        503),
                check(
                        "asyncReplicaWithoutDcsView_asyncIs503",
                        replica().syncMode("on", "node2").withoutDcs(),
                        "/async",
                        503));
    }

    static Stream<Arguments> healthChecks() {
        return Stream.of(
                check("runningPrimaryWithoutLock_healthIs200", primary(), "/health", 200),
                check("runningReplica_healthIs200", replica(), "/health", 200),
                check("stoppedNode_healthIs503", stopped(), "/health", 503),
                check("runningNodeWithUnmatchedTag_healthIs503", replica(), "/health?tag_zone=a", 503));
    }

    static Stream<Arguments> livenessChecks() {
        return Stream.of(
                check(
                        "primaryCycledWithinTtl_livenessIs200",
                        primaryWithLock().lastCycleAgo(Duration.ofSeconds(29)),
                        "/liveness",
                        200),
                check(
                        "primaryStuckForTtl_livenessIs503",
                        primaryWithLock().lastCycleAgo(Duration.ofSeconds(30)),
                        "/liveness",
                        503),
                check(
                        "replicaStuckForMoreThanTtl_livenessIs200",
                        replica().lastCycleAgo(Duration.ofSeconds(59)),
                        "/liveness",
                        200),
                check(
                        "replicaStuckForTwiceTtl_livenessIs503",
                        replica().lastCycleAgo(Duration.ofSeconds(60)),
                        "/liveness",
                        503),
                check(
                        "primaryWithCustomTtlStuckPastIt_livenessIs503",
                        primaryWithLock().config("ttl", 60).lastCycleAgo(Duration.ofSeconds(61)),
                        "/liveness",
                        503),
                check(
                        "pausedPrimaryStuckForLong_livenessIs200",
                        primaryWithLock().paused().lastCycleAgo(Duration.ofHours(1)),
                        "/liveness",
                        200));
    }

    static Stream<Arguments> readinessChecks() {
        return Stream.of(
                check("leaderEvenWhileStopped_readinessIs200", stopped().withLock(), "/readiness", 200),
                check("stoppedReplica_readinessIs503", stopped(), "/readiness", 503),
                check("replicaNotStreaming_readinessIs503", replica().notStreaming(), "/readiness", 503),
                check(
                        "streamingReplicaWithinMaximumLagOnFailover_readinessIs200",
                        replica().position(10 * MB, 9 * MB, 10 * MB),
                        "/readiness",
                        200),
                check(
                        "streamingReplicaBeyondMaximumLagOnFailover_readinessIs503",
                        replica().position(10 * MB, 8 * MB, 10 * MB),
                        "/readiness",
                        503),
                check(
                        "streamingReplicaWithinExplicitLag_readinessIs200",
                        replica().position(10 * MB, 8 * MB, 10 * MB),
                        "/readiness?lag=4MB",
                        200),
                check(
                        "replicaReceivedButNotReplayed_writeModeIs200",
                        replica().position(10 * MB, 0, 10 * MB),
                        "/readiness?mode=write",
                        200),
                check(
                        "replicaReceivedButNotReplayed_applyModeIs503",
                        replica().position(10 * MB, 0, 10 * MB),
                        "/readiness?mode=apply",
                        503),
                check("streamingReplicaWithoutDcsView_readinessIs503", replica().withoutDcs(), "/readiness", 503));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({
        "leadershipChecks",
        "replicaChecks",
        "synchronousChecks",
        "healthChecks",
        "livenessChecks",
        "readinessChecks"
    })
    void answersLikePatroni(String name, NodeStatus status, HealthQuery query, int expected) {
        HealthAnswer answer = HealthCheck.evaluate(status, NOW, query);

        assertThat(answer.status()).as(answer.detail()).isEqualTo(expected);
        assertThat(answer.detail()).isNotBlank();
    }

    private static Arguments check(String name, Snapshot snapshot, String request, int expected) {
        return Arguments.of(name, snapshot.build(), query(request), expected);
    }

    static HealthQuery query(String request) {
        int q = request.indexOf('?');
        String path = q < 0 ? request : request.substring(0, q);
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : request.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                params.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv.length > 1 ? kv[1] : "");
            }
        }
        return HealthQuery.parse(HealthEndpoint.fromPath(path).orElseThrow(), params);
    }
}
