package org.bellwether.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bellwether ctl} needs from a configuration: where the DCS is, which cluster to default to, and how to
 * call the members' REST API. Read leniently from a full node configuration or a minimal one (a DCS section, maybe
 * {@code scope}, {@code namespace}, {@code ctl} and {@code restapi.authentication}), as patronictl reads its file.
 *
 * @param scope the cluster to act on when the command line names none
 * @param namespace normalised as {@link NodeConfig#normaliseNamespace}; {@code /service/} by default
 * @param etcd3 the etcd v3 endpoints, when the file configures etcd3 (at most one DCS is set)
 * @param rest how to call the REST API: {@code ctl.*}, each missing value taken from {@code restapi.*} as patronictl
 *     does ({@code authentication}, {@code cafile} for {@code cacert}, {@code certfile}, {@code keyfile},
 *     {@code keyfile_password})
 * @param source the file or directory read, empty when the configuration came from the environment alone
 * @param warnings what looked wrong without being fatal, each naming source and key
 */
public record CtlSettings(
        Optional<String> scope,
        String namespace,
        Optional<EtcdConfig> etcd3,
        Optional<ZooKeeperConfig> zookeeper,
        CtlConfig rest,
        Optional<Path> source,
        List<String> warnings) {

    public CtlSettings {
        warnings = List.copyOf(warnings);
    }

    /** Nothing configured: no DCS, no scope, the default namespace. */
    public static CtlSettings empty() {
        return new CtlSettings(
                Optional.empty(),
                NodeConfig.DEFAULT_NAMESPACE,
                Optional.empty(),
                Optional.empty(),
                CtlConfig.DEFAULTS,
                Optional.empty(),
                List.of());
    }

    public boolean hasDcs() {
        return etcd3.isPresent() || zookeeper.isPresent();
    }
}
