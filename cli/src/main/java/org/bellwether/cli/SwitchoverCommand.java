package org.bellwether.cli;

import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchover}: a planned hand-over from the leader to a replica, now or at a scheduled time. */
@Command(
        name = "switchover",
        description = "Switchover to a replica",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class SwitchoverCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..1", description = "The cluster (default: scope).")
    String cluster;

    @Option(
            names = {"--leader", "--primary", "--master"},
            paramLabel = "NAME",
            description = "The name of the current leader.")
    String leader;

    @Option(names = "--candidate", paramLabel = "NAME", description = "The name of the candidate.")
    String candidate;

    @Option(
            names = "--scheduled",
            paramLabel = "TIME",
            description = "Timestamp of a scheduled switchover in unambiguous format (e.g. ISO 8601).")
    String scheduled;

    @Mixin
    Options.ForceOption force;

    @Override
    int run() throws CtlException {
        return FailoverRequest.run(
                this,
                "switchover",
                Optional.ofNullable(cluster),
                Optional.ofNullable(candidate),
                force.force,
                Optional.ofNullable(leader),
                Optional.ofNullable(scheduled));
    }
}
