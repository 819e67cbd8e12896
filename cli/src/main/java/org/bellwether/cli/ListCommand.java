package org.bellwether.cli;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code list}: the members of one or more clusters as a table, TSV, JSON or YAML. */
@Command(
        name = "list",
        description = "List the Patroni members for a given Patroni",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class ListCommand extends CtlSubcommand {
    /** How long list waits in all for the members' slot reports: a member that answers at all does so in this time. */
    static final Duration SLOT_REPORT_WAIT = Duration.ofSeconds(2);

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

    @Mixin
    Options.LagColumnsOption lag;

    @Override
    int run() throws CtlException {
        List<String> names = clusters.isEmpty() ? List.of(session.clusterName(java.util.Optional.empty())) : clusters;
        Watch.repeat(terminal, watch.interval(), true, () -> {
            if (timestamp) {
                terminal.echo(Timestamps.seconds(ZonedDateTime.now()));
            }
            for (String name : names) {
                ClusterView view = session.readExisting(name);
                terminal.print(MemberTable.render(view, name, extended, format.format, lag.columns()));
                warnAboutSlots(view);
            }
        });
        return 0;
    }

    /**
     * Bellwether members report on {@code /patroni} the replication slots they leave alone and the logical slots not
     * ready for a failover; the DCS does not carry these. Asking is best effort: a member that does not answer within
     * {@link #SLOT_REPORT_WAIT} (or a Patroni member) adds nothing, and the table on standard output is unchanged.
     */
    private void warnAboutSlots(ClusterView view) {
        RestClient rest;
        try {
            rest = session.rest();
        } catch (CtlException e) {
            return; // list itself needs no REST API; a TLS setting it cannot use must not fail it
        }
        Map<String, RestClient.Response> answers = rest.getAll(view.members(), "patroni", SLOT_REPORT_WAIT);
        for (Member m : view.members()) {
            RestClient.Response r = answers.get(m.name());
            if (r == null) {
                continue;
            }
            for (String warning : SlotWarnings.of(r.body())) {
                terminal.err().println("Warning: member " + m.name() + ": " + warning);
            }
        }
        terminal.err().flush();
    }
}
