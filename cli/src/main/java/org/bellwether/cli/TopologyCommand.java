package org.bellwether.cli;

import java.util.ArrayList;
import java.util.List;
import org.bellwether.cli.format.Output.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code topology}: the member table as a tree, each replica under the member it replicates from. */
@Command(
        name = "topology",
        description = "Prints ASCII topology for given cluster",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class TopologyCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..*", description = "Clusters to show (default: scope).")
    List<String> clusters = new ArrayList<>();

    @Mixin
    Options.WatchOptions watch;

    @Mixin
    Options.LagColumnsOption lag;

    @Override
    int run() throws CtlException {
        List<String> names = clusters.isEmpty() ? List.of(session.clusterName(java.util.Optional.empty())) : clusters;
        Watch.repeat(terminal, watch.interval(), true, () -> {
            for (String name : names) {
                terminal.print(
                        MemberTable.render(session.readExisting(name), name, false, Format.TOPOLOGY, lag.columns()));
            }
        });
        return 0;
    }
}
