package org.bellwether.cli;

import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pause}: maintenance mode; the members keep running but make no automatic failover decisions. */
@Command(
        name = "pause",
        description = "Disable auto failover",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class PauseCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..1", description = "The cluster (default: scope).")
    String cluster;

    @Option(names = "--wait", description = "Wait until pause is applied on all nodes.")
    boolean await;

    @Override
    int run() throws CtlException {
        return PauseToggle.run(this, Optional.ofNullable(cluster), true, await);
    }
}
