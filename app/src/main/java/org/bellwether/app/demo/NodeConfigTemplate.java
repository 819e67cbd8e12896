package org.bellwether.app.demo;

import java.nio.file.Path;

/**
 * A Patroni-format node configuration for a local cluster on 127.0.0.1, the way an operator would write one. Used by
 * the demo (and by tests) so that every local node is configured alike.
 *
 * @param dcsSection the DCS section ({@code etcd3:} or {@code zookeeper:} and its keys), ending with a newline
 */
public record NodeConfigTemplate(
        String scope,
        String name,
        int restPort,
        int postgresPort,
        String dcsSection,
        Path nodeDir,
        int ttl,
        int loopWait,
        int retryTimeout,
        String superuserPassword) {

    public Path dataDir() {
        return nodeDir.resolve("data");
    }

    public String render() {
        return """
                scope: %s
                namespace: /service/
                name: %s
                restapi:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                %sbootstrap:
                  dcs:
                    ttl: %d
                    loop_wait: %d
                    retry_timeout: %d
                    maximum_lag_on_failover: 1048576
                    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                      parameters:
                        max_connections: 40
                        wal_keep_size: 64MB
                  initdb:
                  - encoding: UTF8
                  - data-checksums
                  pg_hba:
                  - local all all trust
                  - host all all 127.0.0.1/32 md5
                  - host replication replicator 127.0.0.1/32 md5
                postgresql:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                  data_dir: %s
                  pgpass: %s
                  authentication:
                    superuser:
                      username: postgres
                      password: %s
                    replication:
                      username: replicator
                      password: rep-secret
                    rewind:
                      username: rewinder
                      password: rewind-secret
                  parameters:
                    unix_socket_directories: '%s'
                    shared_buffers: 16MB
                tags:
                  nofailover: false
                """.formatted(
                        scope,
                        name,
                        restPort,
                        restPort,
                        dcsSection,
                        ttl,
                        loopWait,
                        retryTimeout,
                        postgresPort,
                        postgresPort,
                        dataDir(),
                        nodeDir.resolve("pgpass"),
                        superuserPassword,
                        nodeDir);
    }
}
