package org.bellwether.cli;

import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code failover}: an unplanned promotion of a named replica, for a cluster whose leader may be gone. */
@Command(
        name = "failover",
        description = "Failover to a replica",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class FailoverCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..1", description = "The cluster (default: scope).")
    String cluster;

    @Option(names = "--candidate", paramLabel = "NAME", description = "The name of the candidate.")
    String candidate;

    @Mixin
    Options.ForceOption force;

    @Override
    int run() throws CtlException {
        return FailoverRequest.run(
                this,
                "failover",
                Optional.ofNullable(cluster),
                Optional.ofNullable(candidate),
                force.force,
                Optional.empty(),
                Optional.empty());
    }
}
