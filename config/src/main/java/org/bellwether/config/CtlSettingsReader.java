package org.bellwether.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.config.ConfigException.Problem;

/**
 * Maps a configuration tree onto {@link CtlSettings}. Lenient where the node reader is strict: everything but the DCS,
 * {@code scope}, {@code namespace}, {@code ctl} and {@code restapi}'s client-side settings is ignored without a
 * warning (a node's file holds much that the tool does not use), and no section is required. What is read is checked
 * as strictly as for a node, with the same messages naming file and key.
 */
final class CtlSettingsReader {
    private final Section root;
    private final List<Problem> problems = new ArrayList<>();

    /** A section reader; throws on the first problem in its section. */
    @FunctionalInterface
    private interface Step<T> {
        T read() throws ConfigException;
    }

    private CtlSettingsReader(Section root) {
        this.root = root;
    }

    static CtlSettings read(Map<String, Object> tree, Diagnostics diagnostics, Optional<Path> source)
            throws ConfigException {
        return new CtlSettingsReader(new Section(diagnostics, "", tree)).read(source);
    }

    private CtlSettings read(Optional<Path> source) throws ConfigException {
        Optional<String> scope = step(() -> root.text("scope"), Optional.empty());
        String namespace = step(
                () -> NodeConfig.normaliseNamespace(root.text("namespace").orElse(NodeConfig.DEFAULT_NAMESPACE)),
                NodeConfig.DEFAULT_NAMESPACE);
        DcsSection.Choice dcs = step(this::dcs, new DcsSection.Choice(Optional.empty(), Optional.empty()));
        CtlConfig ctl = step(() -> SmallSections.ctl(root.sectionOrEmpty("ctl")), CtlConfig.DEFAULTS);
        CtlConfig rest = step(() -> withRestApiFallbacks(ctl, root.sectionOrEmpty("restapi")), ctl);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, root.diagnostics().warnings());
        }
        return new CtlSettings(
                scope.filter(s -> !s.isBlank()),
                namespace,
                dcs.etcd3(),
                dcs.zookeeper(),
                rest,
                source,
                root.diagnostics().warnings());
    }

    private <T> T step(Step<T> step, T fallback) {
        try {
            return step.read();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return fallback;
        }
    }

    /** No DCS section is not an error here: {@code --dcs-url} may name one, and the tool says so if neither does. */
    private DcsSection.Choice dcs() throws ConfigException {
        boolean any = DcsSection.PATRONI_ORDER.stream().anyMatch(root::has);
        return any ? DcsSection.read(root) : new DcsSection.Choice(Optional.empty(), Optional.empty());
    }

    /**
     * patronictl takes each REST client setting from {@code ctl}, else from {@code restapi}: a node's own file works
     * as the tool's configuration, its server certificate serving as the client certificate.
     */
    private static CtlConfig withRestApiFallbacks(CtlConfig ctl, Section restapi) throws ConfigException {
        Optional<Path> cacert = ctl.cacert().isPresent() ? ctl.cacert() : restapi.file("cafile");
        Optional<Path> certfile = ctl.certfile().isPresent() ? ctl.certfile() : restapi.file("certfile");
        Optional<Path> keyfile = ctl.keyfile().isPresent() ? ctl.keyfile() : restapi.file("keyfile");
        Optional<String> password =
                ctl.keyfilePassword().isPresent() ? ctl.keyfilePassword() : restapi.text("keyfile_password");
        Optional<Credentials> authentication = ctl.authentication().isPresent()
                ? ctl.authentication()
                : RestApiSection.authentication(restapi, "authentication");
        return new CtlConfig(ctl.insecure(), cacert, certfile, keyfile, password, authentication);
    }
}
