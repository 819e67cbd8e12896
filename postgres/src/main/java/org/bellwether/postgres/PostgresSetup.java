package org.bellwether.postgres;

import org.bellwether.config.BootstrapConfig;
import org.bellwether.config.NodeConfig;
import org.bellwether.config.PostgresConfig;

/**
 * The parts of the node's configuration that its PostgreSQL needs: the cluster's name ({@code cluster_name}), the
 * member's name ({@code application_name}, slot name) and the {@code postgresql}/{@code bootstrap} sections.
 */
public record PostgresSetup(String scope, String name, PostgresConfig postgresql, BootstrapConfig bootstrap) {
    public static PostgresSetup of(NodeConfig config) {
        return new PostgresSetup(config.scope(), config.name(), config.postgresql(), config.bootstrap());
    }
}
