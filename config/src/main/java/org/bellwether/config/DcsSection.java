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

    record Choice(Optional<EtcdConfig> etcd3, Optional<ZooKeeperConfig> zookeeper) {}

    private DcsSection() {}

    /** The DCS section Patroni would use: the first present in its order. */
    static Optional<String> chosen(Section root) {
        return PATRONI_ORDER.stream().filter(root.keys()::contains).findFirst();
    }

    /**
     * The DCS to use. One Patroni would use but Bellwether has no adapter for is refused by the settings table at
     * each of its keys ({@link SettingsAudit}); here only when it is written with no value ({@code consul:}).
     */
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
            default -> unsupported(root, chosen);
        };
    }

    private static Choice unsupported(Section root, String chosen) throws ConfigException {
        if (root.has(chosen)) {
            return new Choice(Optional.empty(), Optional.empty());
        }
        SettingRule rule = SettingsTable.local(chosen).orElseThrow();
        throw root.error(Kind.UNSUPPORTED, chosen, rule.message());
    }
}
