package org.bellwether.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bellwether.config.ConfigException;
import org.bellwether.config.ConfigLoader;
import org.bellwether.config.CtlConfig;
import org.bellwether.config.CtlSettings;
import org.bellwether.config.EtcdConfig;
import org.bellwether.config.NodeConfig;
import org.bellwether.config.ZooKeeperConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.dcs.ClusterStore;
import org.bellwether.dcs.DcsException;

/**
 * What the global options resolve to, built once per invocation: the configuration (patronictl's file lookup), the
 * DCS of each cluster named (opened lazily, closed at the end), and the REST client for the members.
 */
final class Session implements AutoCloseable {
    /** patronictl's DCS budget when the file sets none ({@code retry_timeout}'s default). */
    static final Duration DCS_TIMEOUT = Duration.ofSeconds(10);

    private final Terminal terminal;
    private final CtlSettings settings;
    private final Optional<EtcdConfig> etcd3;
    private final Optional<ZooKeeperConfig> zookeeper;
    private final String namespace;
    private final boolean insecure;
    private final StoreOpener opener;
    private final Map<String, ClusterStore> stores = new LinkedHashMap<>();
    private RestClient rest;

    private Session(
            Terminal terminal, CtlSettings settings, Optional<DcsUrl> dcsUrl, boolean insecure, StoreOpener opener) {
        this.terminal = terminal;
        this.opener = opener;
        this.settings = settings;
        this.etcd3 = dcsUrl.isPresent() ? dcsUrl.get().etcd3() : settings.etcd3();
        this.zookeeper = dcsUrl.isPresent() ? dcsUrl.get().zookeeper() : settings.zookeeper();
        this.namespace = dcsUrl.flatMap(DcsUrl::namespace)
                .map(NodeConfig::normaliseNamespace)
                .orElse(settings.namespace());
        this.insecure = insecure || settings.rest().insecure();
    }

    /**
     * @param configFile {@code -c} as given, else empty (then {@code PATRONICTL_CONFIG_FILE}, then the per-user file)
     * @param dcsUrl {@code -d} as given, else empty (then {@code DCS_URL})
     */
    static Session open(
            Terminal terminal,
            Optional<String> configFile,
            Optional<String> dcsUrl,
            boolean insecure,
            StoreOpener opener)
            throws CtlException {
        Optional<String> explicit = configFile.or(() -> terminal.env("PATRONICTL_CONFIG_FILE"));
        Optional<Path> file;
        if (explicit.isPresent()) {
            Path p = Path.of(explicit.get());
            if (!Files.isReadable(p)) {
                throw new CtlException("Provided config file " + p
                        + " not existing or no read rights. Check the -c/--config-file parameter");
            }
            file = Optional.of(p);
        } else {
            Path p = defaultConfigFile(terminal);
            file = Files.isReadable(p) ? Optional.of(p) : Optional.empty();
        }
        CtlSettings settings;
        try {
            settings = ConfigLoader.loadForCtl(file, terminal.environment());
        } catch (ConfigException e) {
            String problems = e.problems().stream().map(Object::toString).collect(Collectors.joining("; "));
            throw new CtlException("the configuration cannot be used: " + problems, e);
        }
        Optional<DcsUrl> url = dcsUrl.or(() -> terminal.env("DCS_URL")).isPresent()
                ? Optional.of(
                        DcsUrl.parse(dcsUrl.or(() -> terminal.env("DCS_URL")).orElseThrow()))
                : Optional.empty();
        return new Session(terminal, settings, url, insecure, opener);
    }

    /** patronictl's default: {@code patronictl.yaml} in click's application directory for {@code patroni}. */
    static Path defaultConfigFile(Terminal terminal) {
        Path base = terminal.env("XDG_CONFIG_HOME")
                .map(Path::of)
                .orElseGet(() -> Path.of(terminal.env("HOME").orElse(System.getProperty("user.home")), ".config"));
        return base.resolve("patroni").resolve("patronictl.yaml");
    }

    Terminal terminal() {
        return terminal;
    }

    CtlSettings settings() {
        return settings;
    }

    /** The cluster named on the command line, else the configuration's {@code scope}. */
    String clusterName(Optional<String> given) throws CtlException {
        Optional<String> name = given.or(settings::scope);
        if (name.isEmpty() || name.get().isBlank()) {
            throw new CtlException("no cluster name: give CLUSTER_NAME or set scope in the configuration file");
        }
        return name.get();
    }

    Optional<String> defaultScope() {
        return settings.scope();
    }

    String prefix(String cluster) {
        return namespace + cluster + "/";
    }

    ClusterStore store(String cluster) throws CtlException {
        ClusterStore store = stores.get(cluster);
        if (store != null) {
            return store;
        }
        if (etcd3.isEmpty() && zookeeper.isEmpty()) {
            throw new CtlException("no DCS is configured: give -d etcd3://HOST:PORT, or a configuration file with an"
                    + " etcd3 or zookeeper section (-c, PATRONICTL_CONFIG_FILE or " + defaultConfigFile(terminal)
                    + ")");
        }
        try {
            store = opener.open(prefix(cluster), etcd3, zookeeper, DCS_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new CtlException(e.getMessage(), e);
        }
        stores.put(cluster, store);
        return store;
    }

    /** One read of the cluster's keys; an empty view when nothing is stored. */
    ClusterView read(String cluster) throws CtlException {
        ClusterStore store = store(cluster);
        try {
            return store.read();
        } catch (DcsException e) {
            throw new CtlException(
                    "cannot read cluster '" + cluster + "' from " + store.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Like {@link #read} for commands that need the cluster to exist: an unknown name is an error, not a blank. */
    ClusterView readExisting(String cluster) throws CtlException {
        ClusterView view = read(cluster);
        if (ClusterJson.isAbsent(view)) {
            throw new CtlException(
                    "cluster '" + cluster + "' not found in " + store(cluster).describe());
        }
        return view;
    }

    RestClient rest() throws CtlException {
        if (rest == null) {
            CtlConfig c = settings.rest();
            rest = RestClient.create(
                    new CtlConfig(
                            insecure, c.cacert(), c.certfile(), c.keyfile(), c.keyfilePassword(), c.authentication()),
                    userAgent());
        }
        return rest;
    }

    private static String userAgent() {
        return "bellwether-ctl";
    }

    @Override
    public void close() {
        stores.values().forEach(ClusterStore::close);
        stores.clear();
    }
}
