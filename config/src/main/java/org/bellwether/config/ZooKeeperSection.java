package org.bellwether.config;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.core.HostPort;

/** Reads {@code zookeeper.*}. */
final class ZooKeeperSection {
    private ZooKeeperSection() {}

    static ZooKeeperConfig read(Section s) throws ConfigException {
        if (!s.has("hosts")) {
            throw s.error(Kind.MISSING, "hosts", "required setting is missing");
        }
        List<HostPort> hosts = new ArrayList<>();
        for (String h : s.commaList("hosts")) {
            hosts.add(Addresses.hostPort(s, "hosts", h, OptionalInt.of(ZooKeeperConfig.DEFAULT_PORT)));
        }
        if (hosts.isEmpty()) {
            throw s.error(Kind.MISSING, "hosts", "lists no servers");
        }
        ZooKeeperConfig config = new ZooKeeperConfig(
                hosts,
                s.bool("use_ssl").orElse(false),
                s.file("cacert"),
                s.file("cert"),
                s.file("key"),
                s.text("key_password"),
                s.bool("verify").orElse(true),
                s.rawMap("set_acls"),
                s.rawMap("auth_data"));
        s.warnUnknown();
        return config;
    }
}
