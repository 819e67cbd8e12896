package org.bellwether.cli;

import java.util.Optional;
import org.bellwether.cli.format.PyYaml;
import org.bellwether.core.ClusterView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code show-config}: the dynamic configuration (the {@code config} key) as YAML. */
@Command(
        name = "show-config",
        description = "Show cluster configuration",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class ShowConfigCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..1", description = "The cluster (default: scope).")
    String cluster;

    @Override
    int run() throws CtlException {
        String name = session.clusterName(Optional.ofNullable(cluster));
        ClusterView view = session.readExisting(name);
        // click.echo of PyYAML's text: the document, then a blank line.
        view.config().ifPresent(c -> terminal.echo(PyYaml.dump(c.raw())));
        return 0;
    }
}
