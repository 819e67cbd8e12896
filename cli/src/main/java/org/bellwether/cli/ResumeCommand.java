package org.bellwether.cli;

import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code resume}: leaves maintenance mode. */
@Command(
        name = "resume",
        description = "Resume auto failover",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class ResumeCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..1", description = "The cluster (default: scope).")
    String cluster;

    @Option(names = "--wait", description = "Wait until pause is cleared on all nodes.")
    boolean await;

    @Override
    int run() throws CtlException {
        return PauseToggle.run(this, Optional.ofNullable(cluster), false, await);
    }
}
