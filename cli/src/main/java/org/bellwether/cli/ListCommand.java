package org.bellwether.cli;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code list}: the members of one or more clusters as a table, TSV, JSON or YAML. */
@Command(name = "list", description = "List the Patroni members for a given Patroni", mixinStandardHelpOptions = true)
final class ListCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..*", description = "Clusters to list (default: scope).")
    List<String> clusters = new ArrayList<>();

    @Option(
            names = {"-e", "--extended"},
            description = "Show some extra information.")
    boolean extended;

    @Option(
            names = {"-t", "--timestamp"},
            description = "Print timestamp.")
    boolean timestamp;

    @Mixin
    Options.FormatOption format;

    @Mixin
    Options.WatchOptions watch;

    @Override
    int run() throws CtlException {
        List<String> names = clusters.isEmpty() ? List.of(session.clusterName(java.util.Optional.empty())) : clusters;
        Watch.repeat(terminal, watch.interval(), true, () -> {
            if (timestamp) {
                terminal.echo(Timestamps.seconds(ZonedDateTime.now()));
            }
            for (String name : names) {
                terminal.print(MemberTable.render(session.readExisting(name), name, extended, format.format));
            }
        });
        return 0;
    }
}
