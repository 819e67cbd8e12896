package org.bellwether.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reload}: asks the chosen members to reload their configuration ({@code POST /reload}). */
@Command(
        name = "reload",
        description = "Reload cluster member configuration",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class ReloadCommand extends CtlSubcommand {
    @Parameters(index = "0", paramLabel = "CLUSTER_NAME", description = "The cluster.")
    String cluster;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER_NAMES", description = "Members to reload.")
    List<String> names = new ArrayList<>();

    @Option(
            names = {"-r", "--role"},
            converter = CtlRole.Converter.class,
            description = "Reload only members with this role (default: any).")
    CtlRole role = CtlRole.ANY;

    @Mixin
    Options.ForceOption force;

    @Override
    int run() throws CtlException {
        ClusterView view = session.readExisting(cluster);
        List<Member> members = Members.choose(this, view, cluster, names, role, force.force, "reload", true);
        long loopWait = ClusterJson.loopWait(view);
        int exit = 0;
        for (Member m : members) {
            try {
                RestClient.Response r = session.rest().send(m, "POST", "reload", Optional.empty());
                if (r.status() == 200) {
                    terminal.echo("No changes to apply on member " + m.name());
                } else if (r.status() == 202) {
                    terminal.echo("Reload request received for member " + m.name() + " and will be processed within "
                            + loopWait + " seconds");
                } else {
                    terminal.echo(Responses.failed(r, m, "reload"));
                    exit = 1;
                }
            } catch (RestClient.Unreachable e) {
                terminal.echo("Failed: reload for member " + m.name() + ": " + e.getMessage());
                exit = 1;
            }
        }
        return exit;
    }
}
