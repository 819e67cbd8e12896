package org.bellwether.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.Tags;

/**
 * One node's local configuration, read from a Patroni-style YAML file and {@code PATRONI_*} environment variables.
 * Exactly one DCS is set: {@code etcd3} or {@code zookeeper}.
 *
 * @param namespace the DCS namespace, normalised to start and end with a single {@code /} (default {@code /service/})
 * @param source the file or directory it was read from, for messages; empty when it came from the environment
 */
public record NodeConfig(
        String scope,
        String namespace,
        String name,
        RestApiConfig restapi,
        Optional<EtcdConfig> etcd3,
        BootstrapConfig bootstrap,
        PostgresConfig postgresql,
        SortedMap<String, Object> tags,
        Optional<Path> source,
        Optional<ZooKeeperConfig> zookeeper,
        WatchdogConfig watchdog,
        CtlConfig ctl,
        LogConfig log) {

    public static final String DEFAULT_NAMESPACE = "/service/";

    public NodeConfig {
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    public NodeConfig(
            String scope,
            String namespace,
            String name,
            RestApiConfig restapi,
            Optional<EtcdConfig> etcd3,
            BootstrapConfig bootstrap,
            PostgresConfig postgresql,
            SortedMap<String, Object> tags,
            Optional<Path> source) {
        this(
                scope,
                namespace,
                name,
                restapi,
                etcd3,
                bootstrap,
                postgresql,
                tags,
                source,
                Optional.empty(),
                WatchdogConfig.DEFAULTS,
                CtlConfig.DEFAULTS,
                LogConfig.DEFAULTS);
    }

    public Tags typedTags() {
        return Tags.of(new TreeMap<>(tags));
    }

    /** The key prefix of this cluster: {@code /<namespace>/<scope>/}. */
    public String clusterPrefix() {
        return namespace + scope + "/";
    }

    /**
     * Patroni's namespace rule: a leading and a trailing {@code /}, runs of slashes collapsed, so that
     * {@code service}, {@code /service} and {@code //service//} all name {@code /service/}.
     */
    public static String normaliseNamespace(String namespace) {
        return ("/" + namespace.trim() + "/").replaceAll("/{2,}", "/");
    }
}
