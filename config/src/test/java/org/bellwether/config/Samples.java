package org.bellwether.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Configuration texts for tests, modelled on Patroni's own {@code postgres0.yml}, moved to etcd3. */
final class Samples {
    private Samples() {}

    /** Every commonly used section, filled in with settings Bellwether applies: must load without a single warning. */
    static final String POSTGRES0 = """
            scope: batman
            namespace: /service/
            name: postgresql0

            restapi:
              listen: 127.0.0.1:8008
              connect_address: 127.0.0.1:8008
              cafile: /etc/ssl/certs/ssl-cacert-snakeoil.pem
              certfile: /etc/ssl/certs/ssl-cert-snakeoil.pem
              keyfile: /etc/ssl/private/ssl-cert-snakeoil.key
              verify_client: optional
              authentication:
                username: username
                password: password
              allowlist: [127.0.0.1, 10.0.0.0/8]
              allowlist_include_members: true

            ctl:
              insecure: false
              certfile: /etc/ssl/certs/ssl-cert-snakeoil.pem
              keyfile: /etc/ssl/private/ssl-cert-snakeoil.key
              cacert: /etc/ssl/certs/ssl-cacert-snakeoil.pem

            etcd3:
              hosts: 127.0.0.1:2379,127.0.0.2:2379,127.0.0.3
              username: patroni
              password: etcd-pass

            bootstrap:
              dcs:
                ttl: 30
                loop_wait: 10
                retry_timeout: 10
                maximum_lag_on_failover: 1048576
                primary_start_timeout: 300
                synchronous_mode: false
                postgresql:
                  use_pg_rewind: true
                  pg_hba:
                  - host replication replicator 127.0.0.1/32 md5
                  - host all all 0.0.0.0/0 md5
                  parameters:
                    wal_level: replica
                    hot_standby: "on"
                    max_connections: 100
                    max_wal_senders: 10
                    archive_mode: "on"
                    archive_timeout: 1800s
              initdb:
              - encoding: UTF8
              - data-checksums
              - locale: "'en_US.UTF-8'"
              pg_hba:
              - host replication replicator 127.0.0.1/32 md5
              post_bootstrap: /usr/local/bin/setup_cluster.sh

            postgresql:
              listen: 127.0.0.1,::1:5432
              connect_address: 127.0.0.1:5432
              data_dir: data/postgresql0
              bin_dir: /usr/lib/postgresql/17/bin
              pgpass: /tmp/pgpass0
              authentication:
                replication:
                  username: replicator
                  password: rep-pass
                superuser:
                  username: postgres
                  password: zalando
                  sslmode: prefer
                rewind:
                  username: rewind_user
                  password: rewind_password
              parameters:
                unix_socket_directories: '..'
                shared_buffers: 128MB
              pg_hba:
              - local all all trust
              use_pg_rewind: true
              basebackup:
                max-rate: 100M
                checkpoint: fast
              callbacks:
                on_role_change: /usr/local/bin/role_change.sh

            watchdog:
              mode: required
              device: /dev/watchdog
              safety_margin: 5

            log:
              level: WARNING
              dir: /var/log/patroni

            tags:
              failover_priority: 2
              noloadbalance: false
              clonefrom: true
              nosync: false
              nostream: false
              datacenter: eu-1
            """;

    /** The least a node needs. */
    static final String MINIMAL = """
            scope: batman
            name: node1
            restapi:
              listen: 0.0.0.0:8008
              connect_address: 10.0.0.1:8008
            etcd3:
              host: 10.0.0.10:2379
            postgresql:
              listen: 0.0.0.0:5432
              connect_address: 10.0.0.1:5432
              data_dir: /var/lib/postgresql/data
              authentication:
                superuser:
                  username: postgres
                replication:
                  username: replicator
            """;

    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
