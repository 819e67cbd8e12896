package org.bellwether.config;

import java.util.List;
import java.util.Optional;
import org.bellwether.config.ConfigException.Kind;

/**
 * Finds the DCS section. Patroni takes the first DCS section present in the alphabetical order of its DCS modules, so
 * the same rule is applied here: a file with both {@code consul:} and {@code etcd3:} runs Patroni on Consul, and
 * Bellwether must not silently join a different store than its Patroni peers.
 */
final class DcsSection {
    static final List<String> PATRONI_ORDER =
            List.of("consul", "etcd", "etcd3", "exhibitor", "kubernetes", "raft", "zookeeper");
    static final String SUPPORTED = "etcd3 (etcd's v3 API) or zookeeper";

    record Choice(Optional<EtcdConfig> etcd3, Optional<ZooKeeperConfig> zookeeper) {}

    private DcsSection() {}

    static Choice read(Section root) throws ConfigException {
        List<String> present =
                PATRONI_ORDER.stream().filter(root.keys()::contains).toList();
        present.forEach(root::accept);
        if (present.isEmpty()) {
            throw new ConfigException(root.diagnostics()
                    .problem(Kind.MISSING, "", "no DCS is configured: add an etcd3 or a zookeeper section"));
        }
        String chosen = present.get(0);
        for (String other : present.subList(1, present.size())) {
            root.warn(
                    other,
                    "ignored: Patroni uses the first DCS section in the order " + String.join(", ", PATRONI_ORDER)
                            + ", which here is " + chosen);
        }
        return switch (chosen) {
            case "etcd3" -> new Choice(Optional.of(EtcdSection.read(root.sectionOrEmpty("etcd3"))), Optional.empty());
            case "zookeeper" ->
                new Choice(Optional.empty(), Optional.of(ZooKeeperSection.read(root.sectionOrEmpty("zookeeper"))));
            case "etcd" ->
                throw root.error(
                        Kind.UNSUPPORTED,
                        "etcd",
                        "etcd's v2 API is not supported; use an etcd3 section (it takes the same keys). Keys written"
                                + " through v2 are invisible through v3, so a cluster on etcd v2 must move to etcd3 as a"
                                + " whole");
            default ->
                throw root.error(Kind.UNSUPPORTED, chosen, "this DCS is not supported; supported are " + SUPPORTED);
        };
    }
}
